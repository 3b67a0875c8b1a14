import { directClient } from '@itsm/testing';

type Method = 'get' | 'post' | 'patch' | 'delete';

/** Calls the cmdb service directly, as the gateway would for a seeded user (or a role, in groups). */
export function cmdbCaller(
  baseUrl: string,
  username = 'configuration_manager',
  groups: string[] = [],
  roles: string[] = [username],
) {
  const cmdb = directClient('cmdb', baseUrl, { username, roles, groups, kind: 'user' });
  return (method: Method, path: string, body?: object, headers: Record<string, string> = {}) => {
    const call = cmdb[method](path);
    for (const [name, value] of Object.entries(headers)) void call.set(name, value);
    return body === undefined ? call : call.send(body);
  };
}

export type CmdbCall = ReturnType<typeof cmdbCaller>;

/** A name no other test (or earlier run) uses, so that name-based identification stays within a test. */
export function unique(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
