import {
  PERMISSIONS,
  ROLES,
  ROLE_PERMISSIONS,
  ROLES_SEEING_ALL_RECORDS,
  type Permission,
} from './permissions';

/** `docs/authorization.md`, rendered from the permission table so the two never disagree. */
export function renderAuthorizationDoc(): string {
  const header = `| permission | what it allows | ${ROLES.join(' | ')} |`;
  const rule = `| --- | --- | ${ROLES.map(() => ':-:').join(' | ')} |`;
  const rows = (Object.keys(PERMISSIONS) as Permission[]).map((permission) => {
    const marks = ROLES.map((role) => (ROLE_PERMISSIONS[role].includes(permission) ? '✔' : ''));
    return `| \`${permission}\` | ${PERMISSIONS[permission]} | ${marks.join(' | ')} |`;
  });
  return [
    '# Authorisation',
    '',
    '<!-- Rendered from libs/auth/src/permissions.ts by `npm run docs:authorization`; do not edit by hand. -->',
    '',
    'Each role grants the permissions ticked below. The gateway checks the permission a',
    'request needs (from its route table, `services/gateway/src/routing/route-table.ts`)',
    'before forwarding it, and the service checks it again on its own route',
    '(`@RequirePermission`). A caller may hold several roles; it gets the union.',
    '',
    header,
    rule,
    ...rows,
    '',
    '## Record-level rules',
    '',
    `${ROLES_SEEING_ALL_RECORDS.map((role) => `\`${role}\``).join(', ')} see every record. Anyone else`,
    'sees the records they requested, the records assigned to them and the records assigned to',
    'one of their groups; any other record is answered as not found, so that its existence does',
    'not leak.',
    '',
    '## Inside the platform',
    '',
    'The gateway forwards each request with the caller’s identity (user, roles, groups) in the',
    '`X-Itsm-Caller` header: a token signed with the gateway’s private key, which no service',
    'holds; services verify it with the gateway’s public keys. Each token is good for one',
    'request only: the method, path and query it was minted for, at the one service it was',
    'forwarded to, once, for a few seconds. A service refuses every request without such a',
    'token (401), so nobody reaches a service around the gateway, and a service cannot act as',
    'the gateway towards another. Keys, replays and key rotation:',
    '[ADR 9](adr/0009-asymmetric-bound-internal-identity.md).',
    '',
  ].join('\n');
}
