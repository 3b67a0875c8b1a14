#!/usr/bin/env node
/**
 * `npm run ops -- <command>`: the operator's command line for the event flow, on the
 * gateway's public API (`/api/v1/operations/...`, permission `operations:manage`, held by
 * `operator` and `admin`). Prints the API's answers as JSON, for reading or for `jq`.
 *
 * Without a service, lists gather every service's (naming those that did not answer in
 * `unreachable`, each row with its `ref`, e.g. `incident-42`), and an <id> is a ref (sent
 * to its service) or an id alone (found at whichever service has it; refused when two
 * have it); with a service, only that service is asked.
 *
 *   outbox [service]                          pending and parked outbox events
 *   outbox-retry [service] <id>               put a parked event back in line
 *   dead-letters [service] [--status s] [--key k] [--limit n] [--after cursor]
 *   dead-letter [service] <id>                one dead letter, with the record as read
 *   replay [service] <id> [--note text]       replay it, then its record's held events
 *   discard [service] <id> --reason text      drop it for good, saying why
 *
 * ITSM_URL (default http://127.0.0.1:3000); ITSM_TOKEN, or ITSM_USERNAME and ITSM_PASSWORD
 * to sign in with the local issuer.
 */
import { parseArgs } from 'node:util';

const USAGE = `usage: npm run ops -- <command> [arguments]   (no service: every service's)
  outbox [service]
  outbox-retry [service] <id>
  dead-letters [service] [--status open|held|replayed|discarded] [--key <record>] [--limit <n>] [--after <next>]
  dead-letter [service] <id>
  replay [service] <id> [--note <text>]
  discard [service] <id> --reason <text>
environment: ITSM_URL, and ITSM_TOKEN or ITSM_USERNAME + ITSM_PASSWORD`;

interface Call {
  method: 'GET' | 'POST';
  path: string;
  body?: object;
}

class UsageError extends Error {}

function callFor(positionals: string[], options: Record<string, string | undefined>): Call {
  const [command, ...rest] = positionals;
  const what = command ?? 'a command';
  if (rest.length > 2) throw new UsageError(`${what} takes at most a service and an id`);
  // `<family>` for every service's, `<family>/<service>` for one's.
  const under = (family: string, service: string | undefined) =>
    `/api/v1/operations/${family}${service === undefined ? '' : `/${encodeURIComponent(service)}`}`;
  const list = (family: string): string => {
    if (rest.length > 1) throw new UsageError(`${what} takes at most a service`);
    return under(family, rest[0]);
  };
  const one = (family: string): string => {
    const [service, id] = rest.length === 2 ? rest : [undefined, rest[0]];
    if (!id) throw new UsageError(`${what} needs an id`);
    return `${under(family, service)}/${encodeURIComponent(id)}`;
  };
  switch (command) {
    case 'outbox':
      return { method: 'GET', path: list('outbox') };
    case 'outbox-retry':
      return { method: 'POST', path: `${one('outbox')}/retry` };
    case 'dead-letters': {
      const query = new URLSearchParams();
      for (const name of ['status', 'key', 'limit', 'after'] as const) {
        const value = options[name];
        if (value !== undefined) query.set(name, value);
      }
      const search = query.size > 0 ? `?${query.toString()}` : '';
      return { method: 'GET', path: `${list('dead-letters')}${search}` };
    }
    case 'dead-letter':
      return { method: 'GET', path: one('dead-letters') };
    case 'replay':
      return {
        method: 'POST',
        path: `${one('dead-letters')}/replay`,
        body: options.note === undefined ? {} : { note: options.note },
      };
    case 'discard': {
      const reason = options.reason;
      if (!reason) throw new UsageError('discard needs --reason');
      return { method: 'POST', path: `${one('dead-letters')}/discard`, body: { reason } };
    }
    default:
      throw new UsageError(command ? `unknown command ${command}` : 'no command');
  }
}

async function bearerToken(baseUrl: string): Promise<string> {
  const token = process.env.ITSM_TOKEN;
  if (token) return token;
  const username = process.env.ITSM_USERNAME;
  const password = process.env.ITSM_PASSWORD;
  if (!username || !password)
    throw new UsageError('set ITSM_TOKEN, or ITSM_USERNAME and ITSM_PASSWORD');
  const response = await fetch(`${baseUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok)
    throw new Error(`signing in failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      status: { type: 'string' },
      key: { type: 'string' },
      limit: { type: 'string' },
      after: { type: 'string' },
      note: { type: 'string' },
      reason: { type: 'string' },
    },
  });
  const call = callFor(positionals, values);
  const baseUrl = (process.env.ITSM_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const response = await fetch(`${baseUrl}${call.path}`, {
    method: call.method,
    headers: {
      authorization: `Bearer ${await bearerToken(baseUrl)}`,
      ...(call.body ? { 'content-type': 'application/json' } : {}),
    },
    body: call.body ? JSON.stringify(call.body) : undefined,
  });
  const text = await response.text();
  let printed = text;
  try {
    printed = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: printed as it came.
  }
  (response.ok ? process.stdout : process.stderr).write(`${printed}\n`);
  return response.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? error.message : String(error)}\n${error instanceof UsageError ? `${USAGE}\n` : ''}`,
    );
    process.exit(2);
  },
);
