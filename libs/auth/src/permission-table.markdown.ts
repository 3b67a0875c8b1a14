import {
  PERMISSIONS,
  ROLES,
  ROLE_PERMISSIONS,
  ROLES_SEEING_ALL_RECORDS,
  SERVICE_PERMISSIONS,
  hasPermission,
  seesAllRecords,
  type Permission,
  type Role,
} from './permissions';
import { WORK_PERMISSION, type GovernedRecordType } from './record-visibility';

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
    ...recordLevelRules(),
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
    '## Services calling services',
    '',
    'A service that reads another synchronously calls it as itself: it signs a token of the same',
    'kind with a key of its own (issuer `urn:itsm:service:<caller>`, subject `service:<caller>`),',
    'which the service called accepts only when it is configured with that caller’s public keys',
    '(`ITSM_TRUSTED_SERVICE_KEYS`). Such a caller has no roles and no groups, whatever its token',
    'says; it holds the permissions below, from `SERVICE_PERMISSIONS` in',
    '`libs/auth/src/permissions.ts`, and nothing else (403 otherwise). The gateway never',
    'forwards a service’s identity and never signs one: a user or token named `service:…` is',
    'refused. [ADR 12](adr/0012-service-identity-for-synchronous-reads.md).',
    '',
    '| calling service | permissions |',
    '| --- | --- |',
    ...Object.entries(SERVICE_PERMISSIONS).map(
      ([service, permissions]) =>
        `| \`${service}\` | ${permissions.map((permission) => `\`${permission}\``).join(', ')} |`,
    ),
    '',
    'Record-level rules give a calling service the narrowest scope: it holds no role that sees',
    'every record, belongs to no group and requests nothing, so it sees no incident, request or',
    'problem, and of the CMDB only what is open to every holder of `cmdb:read`. Impact analysis',
    'still walks through restricted CIs for it and counts them (`reachedCount`, `withheldCount`),',
    'so the number of CIs a change affects is the same whoever asks, but names none of them (a',
    'restricted business service included), and a restricted start CI is refused as an unknown',
    'one: whatever the calling service keeps or shows of an answer cannot reveal a restricted CI',
    'to someone who may not see it.',
    '',
  ].join('\n');
}

const RECORD_TYPES: readonly { type: GovernedRecordType; label: string }[] = [
  { type: 'incident', label: 'incidents' },
  { type: 'request', label: 'service requests' },
  { type: 'problem', label: 'problems (whoever opened one stands for its requester)' },
];

function roleList(roles: readonly Role[]): string {
  return roles.map((role) => `\`${role}\``).join(', ');
}

/** Roles that read a record type without seeing every record, by whether they work it. */
function rolesReading(type: GovernedRecordType, works: boolean): Role[] {
  return ROLES.filter(
    (role) =>
      !seesAllRecords([role]) &&
      hasPermission([role], `${type}:read`) &&
      hasPermission([role], WORK_PERMISSION[type]) === works,
  );
}

/** The record-level rule (`recordScope`) in words, its roles read from the permission table. */
function recordLevelRules(): string[] {
  const rows = RECORD_TYPES.map(
    ({ type, label }) =>
      `| ${label} | ${roleList(rolesReading(type, true))} | ${roleList(rolesReading(type, false))} |`,
  );
  return [
    'One rule, `recordScope` in `libs/auth/src/record-visibility.ts`, decides which incidents,',
    'service requests and problems a caller sees. Every read of a record, its journal and history,',
    'every change, transition and journal entry, and every list applies it (a list filters',
    'in SQL built from the same scope, so it shows exactly the records a read by id answers).',
    'A record outside the scope is answered 404, exactly as a missing one, and a reference',
    'to one (a `parentId`) is refused exactly as an id that does not exist, so that neither',
    'reveals that it exists.',
    '',
    `- ${roleList(ROLES_SEEING_ALL_RECORDS)} see every record.`,
    '- Those who work a record type (`incident:update`, `request:update`, `problem:write`) see every record of it, as',
    '  ServiceNow’s `itil` role does, so the service desk triages its own queue. A deployment',
    '  that sets `AGENT_RECORD_SCOPE=groups` (every service reads it; default `all`) restricts',
    '  them to the records they requested or are assigned, their groups’ records and the',
    '  records with no assignment group.',
    '- Anyone else who reads the type sees the records they requested or are assigned and',
    '  their groups’ records.',
    '',
    '| records | work them | see only their own and their groups’ |',
    '| --- | --- | --- |',
    ...rows,
    '',
    'New records opened without an assignment group go to the triage group (`TRIAGE_GROUP`,',
    'default `service-desk`; docs/incidents.md), so under `groups` the service desk sees them',
    'through its group. Work notes are read by those who work the record type and those who',
    'see every record; everyone else reads comments only.',
  ];
}
