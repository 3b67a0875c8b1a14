import { randomUUID } from 'node:crypto';
import request, { type Response } from 'supertest';
import {
  CALLER_HEADER,
  InternalIdentitySigner,
  loadSigningKey,
  ROLES,
  canSeeRecord,
  hasPermission,
  type AgentRecordScope,
  type Caller,
  type RecordType,
  type Role,
} from '@itsm/auth';
import {
  RecordsApi,
  RunningPlatform,
  directClient,
  freePort,
  identityKeyPair,
  tokenFor,
  type ServiceName,
} from '@itsm/testing';
import { UPSTREAM_SERVICES } from '../src/config/gateway.config';
import { OPERATIONS_PERMISSION } from '../src/operations/http/all-services-operations.controller';
import { SEEDED_GROUPS, SEEDED_USERS, type SeededUser } from '../src/directory/domain/seed';
import {
  ROUTE_TABLE,
  resolveRoute,
  type AccessRule,
  type HttpMethod,
} from '../src/routing/route-table';

/**
 * The authorisation matrix: every route of the gateway's route table, as every seeded role
 * (one user per role, with its groups), on its own, its group's and someone else's record
 * where the route addresses one. The expected status is computed, never observed: 403
 * where the permission table denies the route's permission, 404 where the record-level
 * rule (`canSeeRecord`, under the deployment's policy) hides the record, otherwise what
 * the route answers a caller it lets through.
 */

/** Whose record a route is called on, relative to the caller. */
type Ownership = 'own' | 'group' | 'other';

/** Nobody the matrix logs in as: the requester of the records that are not the caller's. */
const OUTSIDER = 'matrix-outsider';

/** Who requested a ticket and which group holds it, owned as `ownership` says relative to `user`. */
function ticketOwnedBy(
  user: SeededUser,
  ownership: Ownership,
): { requester: string; assignmentGroup: string } {
  const notTheirs = SEEDED_GROUPS.map((group) => group.name).find(
    (group) => !user.groups.includes(group),
  );
  if (!notTheirs) throw new Error(`${user.username} is in every group`);
  switch (ownership) {
    case 'own':
      return { requester: user.username, assignmentGroup: notTheirs };
    case 'group':
      return { requester: OUTSIDER, assignmentGroup: user.groups[0] ?? notTheirs };
    case 'other':
      return { requester: OUTSIDER, assignmentGroup: notTheirs };
  }
}

/**
 * A kind of record a record-level rule governs: where one is opened (as the admin, through
 * the API), with which fields for an owner, and whether the rule lets a user see it.
 * Data-driven, so that other kinds (restricted CIs) are rows to add.
 */
interface RecordKind {
  collection: string;
  /** What any caller opens one with. */
  body: object;
  fieldsFor(user: SeededUser, ownership: Ownership): Record<string, unknown>;
  visible(user: SeededUser, ownership: Ownership, agentScope: AgentRecordScope): boolean;
}

function callerOf(user: SeededUser): Caller {
  return { username: user.username, roles: user.roles, groups: user.groups, kind: 'user' };
}

/** Incidents and requests: the ticket rule, `canSeeRecord`. */
function ticketKind(type: RecordType, collection: string, body: object): RecordKind {
  return {
    collection,
    body,
    fieldsFor: (user, ownership) => ({ ...body, ...ticketOwnedBy(user, ownership) }),
    visible: (user, ownership, agentScope) =>
      canSeeRecord(
        callerOf(user),
        type,
        { ...ticketOwnedBy(user, ownership), assignee: null },
        { agentScope },
      ),
  };
}

/**
 * Problems: the same rule, `canSeeRecord` for `problem`, where whoever opened the problem
 * stands for the requester. The admin opens them all, so a user's own problem is the one
 * assigned to them (in a group they are not in).
 */
function problemOwnedBy(
  user: SeededUser,
  ownership: Ownership,
): { assignmentGroup: string; assignee: string | null } {
  const { assignmentGroup } = ticketOwnedBy(user, ownership);
  return { assignmentGroup, assignee: ownership === 'own' ? user.username : null };
}

const PROBLEM_BODY = { title: 'Matrix problem', impact: 3, urgency: 3 };
const problemKind: RecordKind = {
  collection: '/api/v1/problems',
  body: PROBLEM_BODY,
  fieldsFor: (user, ownership) => ({ ...PROBLEM_BODY, ...problemOwnedBy(user, ownership) }),
  visible: (user, ownership, agentScope) =>
    canSeeRecord(
      callerOf(user),
      'problem',
      { requester: 'admin', ...problemOwnedBy(user, ownership) },
      { agentScope },
    ),
};

const INCIDENT_BODY = { title: 'Matrix incident', description: 'matrix', impact: 3, urgency: 3 };
const REQUEST_BODY = { title: 'Matrix request', description: 'matrix', catalogItem: 'mouse' };
const RECORD_KINDS = {
  incident: ticketKind('incident', '/api/v1/incidents', INCIDENT_BODY),
  request: ticketKind('request', '/api/v1/requests', REQUEST_BODY),
  problem: problemKind,
} satisfies Record<string, RecordKind>;
type RecordKindName = keyof typeof RECORD_KINDS;

/** One request a route answers, standing for every request its access rule governs. */
interface Probe {
  method: HttpMethod;
  /** After the family's prefix; `{id}` is the record's id, or a random one where none is addressed. */
  path: string;
  /** The record kind whose record `{id}` is, where the record-level rule applies. */
  addresses?: RecordKindName;
  body?: object;
  /** Sends the record's current ETag as If-Match. */
  ifMatch?: boolean;
  /** A call that succeeds moves the record on for good (a transition): each gets a fresh record. */
  consumes?: boolean;
  /** What the route answers a caller the permission and the record-level rule let through. */
  answers: number;
  /** Why `answers` is not a 2xx, when it is not. */
  because?: string;
  /** Where a role the gateway lets through is answered otherwise by the service's own rule. */
  otherwise?: Partial<Record<Role, { answers: number; because: string }>>;
}

const NO_ROUTE = 'the service has no such route yet';
const EMPTY_BODY = 'an empty body is refused: nothing is created outside the record services';
const NO_SUCH_ID = 'no such id';
const NO_IF_MATCH = 'a change without If-Match is refused before anything is read';
const NOT_LINKED = 'nothing of that id is linked';
const UNKNOWN_INCIDENT = 'an incident problem management does not know is refused';

function problemProbes(): Probe[] {
  const onProblem = { addresses: 'problem' as const };
  return [
    ...recordProbes('problem').map((probe) =>
      probe.path === '/{id}/journal' && probe.method === 'POST'
        ? { ...probe, body: { kind: 'work_note', text: 'From the matrix' } }
        : probe,
    ),
    { method: 'GET', path: '/{id}/incidents', ...onProblem, answers: 200 },
    {
      method: 'POST',
      path: '/{id}/incidents',
      ...onProblem,
      body: { incidentIds: [randomUUID()] },
      answers: 400,
      because: UNKNOWN_INCIDENT,
    },
    {
      method: 'DELETE',
      path: `/{id}/incidents/${randomUUID()}`,
      ...onProblem,
      answers: 404,
      because: NOT_LINKED,
    },
    {
      method: 'POST',
      path: '/{id}/changes',
      ...onProblem,
      body: { changeIds: [randomUUID()] },
      answers: 200,
    },
    {
      method: 'POST',
      path: '/{id}/communications',
      ...onProblem,
      body: { kind: 'workaround', text: 'Restart the export from the matrix' },
      answers: 202,
    },
    { method: 'GET', path: '/{id}/tasks', ...onProblem, answers: 200 },
    {
      method: 'POST',
      path: '/{id}/tasks',
      ...onProblem,
      body: { type: 'general', title: 'Matrix task' },
      answers: 201,
    },
  ];
}

function recordProbes(kind: RecordKindName): Probe[] {
  const onRecord = { addresses: kind };
  return [
    { method: 'GET', path: '', answers: 200 },
    { method: 'POST', path: '', body: RECORD_KINDS[kind].body, answers: 201 },
    { method: 'GET', path: '/{id}', ...onRecord, answers: 200 },
    {
      method: 'PATCH',
      path: '/{id}',
      ...onRecord,
      body: { category: 'matrix' },
      ifMatch: true,
      answers: 200,
    },
    {
      method: 'POST',
      path: '/{id}/transitions',
      ...onRecord,
      body: { to: 'cancelled', reason: 'Raised by the matrix' },
      consumes: true,
      answers: 200,
    },
    { method: 'GET', path: '/{id}/journal', ...onRecord, answers: 200 },
    {
      method: 'POST',
      path: '/{id}/journal',
      ...onRecord,
      body: { kind: 'comment', text: 'From the matrix' },
      answers: 201,
    },
    { method: 'GET', path: '/{id}/history', ...onRecord, answers: 200 },
  ];
}

/** Routes of a service not built yet: they answer 404 to whoever the gateway lets through. */
function notBuilt(...probes: Pick<Probe, 'method' | 'path'>[]): Probe[] {
  return probes.map((probe) => ({ ...probe, answers: 404, because: NO_ROUTE }));
}

const PROBES: Record<string, Probe[]> = {
  '/api/v1/incidents': recordProbes('incident'),
  '/api/v1/requests': recordProbes('request'),
  // The service catalogue: keys here are random, the matrix adds nothing to it.
  '/api/v1/catalog-items': [
    { method: 'GET', path: '', answers: 200 },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'POST', path: '', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'PATCH', path: '/{id}', body: {}, answers: 428, because: NO_IF_MATCH },
  ],
  '/api/v1/integrations/alertmanager': [
    {
      method: 'POST',
      path: '',
      body: { version: '4', status: 'firing', alerts: [] },
      answers: 400,
      because: EMPTY_BODY,
    },
  ],
  '/api/v1/problems': problemProbes(),
  '/api/v1/known-errors': [
    { method: 'GET', path: '', answers: 200 },
    {
      method: 'GET',
      path: '/workarounds',
      answers: 400,
      because: 'the self-help search needs what was typed (q)',
    },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'POST', path: '', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'PATCH', path: '/{id}', body: {}, answers: 428, because: NO_IF_MATCH },
  ],
  // The problem service knows no incident here (no incident service runs beside it).
  '/api/v1/incidents/{id}/known-errors': [
    { method: 'GET', path: '', answers: 404, because: NO_SUCH_ID },
  ],
  // Every change is readable by whoever reads changes (no record-level rule): ids here are random.
  '/api/v1/changes': [
    { method: 'GET', path: '', answers: 200 },
    {
      method: 'POST',
      path: '',
      body: { title: 'Matrix change' },
      answers: 201,
      otherwise: {
        pipeline: {
          answers: 403,
          because: 'a pipeline raises only the change of its run (externalRef)',
        },
      },
    },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'PATCH', path: '/{id}', body: {}, answers: 428, because: NO_IF_MATCH },
    {
      method: 'POST',
      path: '/{id}/transitions',
      body: { to: 'cancelled', reason: 'Raised by the matrix' },
      answers: 404,
      because: NO_SUCH_ID,
    },
    { method: 'GET', path: '/{id}/journal', answers: 404, because: NO_SUCH_ID },
    { method: 'GET', path: '/{id}/history', answers: 404, because: NO_SUCH_ID },
    { method: 'GET', path: '/{id}/approvals', answers: 404, because: NO_SUCH_ID },
    { method: 'GET', path: '/awaiting-my-decision', answers: 200 },
    {
      method: 'POST',
      path: '/{id}/approvals',
      body: { decision: 'approve' },
      answers: 404,
      because: NO_SUCH_ID,
    },
    { method: 'GET', path: '/{id}/risk', answers: 404, because: NO_SUCH_ID },
    { method: 'GET', path: '/{id}/conflicts', answers: 404, because: NO_SUCH_ID },
    { method: 'GET', path: '/{id}/next-free-slot', answers: 404, because: NO_SUCH_ID },
    { method: 'GET', path: '/{id}/gate', answers: 404, because: NO_SUCH_ID },
    {
      method: 'POST',
      path: '/{id}/deployments',
      body: { status: 'started' },
      answers: 404,
      because: NO_SUCH_ID,
    },
    {
      method: 'GET',
      path: '/schedule?from=2029-01-01T00:00:00Z&to=2029-01-02T00:00:00Z',
      answers: 200,
    },
    {
      method: 'POST',
      path: '/{id}/incidents',
      body: { incidentIds: [randomUUID()], relation: 'caused' },
      answers: 404,
      because: NO_SUCH_ID,
    },
    {
      method: 'DELETE',
      path: `/{id}/incidents/${randomUUID()}`,
      answers: 404,
      because: NO_SUCH_ID,
    },
    {
      method: 'POST',
      path: '/{id}/problems',
      body: { problemIds: [randomUUID()] },
      answers: 404,
      because: NO_SUCH_ID,
    },
    {
      method: 'DELETE',
      path: `/{id}/problems/${randomUUID()}`,
      answers: 404,
      because: NO_SUCH_ID,
    },
    { method: 'GET', path: '/{id}/tasks', answers: 404, because: NO_SUCH_ID },
    {
      method: 'POST',
      path: '/{id}/tasks',
      body: { type: 'planning', title: 'Matrix task' },
      answers: 404,
      because: NO_SUCH_ID,
    },
    { method: 'GET', path: `/{id}/tasks/${randomUUID()}`, answers: 404, because: NO_SUCH_ID },
    {
      method: 'PATCH',
      path: `/{id}/tasks/${randomUUID()}`,
      body: {},
      answers: 428,
      because: NO_IF_MATCH,
    },
    {
      method: 'POST',
      path: `/{id}/tasks/${randomUUID()}/transitions`,
      body: { to: 'in_progress' },
      answers: 404,
      because: NO_SUCH_ID,
    },
    {
      method: 'GET',
      path: `/{id}/tasks/${randomUUID()}/history`,
      answers: 404,
      because: NO_SUCH_ID,
    },
  ],
  // Every template is readable by whoever reads changes; ids here are random.
  '/api/v1/change-templates': [
    { method: 'GET', path: '', answers: 200 },
    {
      method: 'POST',
      path: '',
      body: { name: 'Matrix template', changeTitle: 'Matrix change' },
      answers: 201,
    },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'GET', path: '/{id}/versions', answers: 404, because: NO_SUCH_ID },
    { method: 'GET', path: '/{id}/versions/1', answers: 404, because: NO_SUCH_ID },
    { method: 'PATCH', path: '/{id}', body: {}, answers: 428, because: NO_IF_MATCH },
    { method: 'POST', path: '/{id}/versions', answers: 404, because: NO_SUCH_ID },
    {
      method: 'POST',
      path: '/{id}/transitions',
      body: { to: 'approved' },
      answers: 404,
      because: NO_SUCH_ID,
    },
  ],
  // Every CAB meeting is readable by whoever reads changes; ids here are random.
  '/api/v1/cab-meetings': [
    { method: 'GET', path: '', answers: 200 },
    { method: 'POST', path: '', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'PATCH', path: '/{id}', body: {}, answers: 428, because: NO_IF_MATCH },
    { method: 'DELETE', path: '/{id}', answers: 428, because: NO_IF_MATCH },
    {
      method: 'GET',
      path: '/{id}/occurrences?from=2029-01-01T00:00:00Z&to=2029-02-01T00:00:00Z',
      answers: 404,
      because: NO_SUCH_ID,
    },
    { method: 'GET', path: '/{id}/agenda', answers: 404, because: NO_SUCH_ID },
    { method: 'GET', path: '/{id}/history', answers: 404, because: NO_SUCH_ID },
    {
      method: 'POST',
      path: '/{id}/decisions',
      body: {
        meetingStart: '2029-01-02T14:00:00Z',
        changeId: randomUUID(),
        decision: 'approve',
      },
      answers: 404,
      because: NO_SUCH_ID,
    },
  ],
  '/api/v1/change-calendar': [
    { method: 'GET', path: '?from=2029-01-01T00:00:00Z&to=2029-01-02T00:00:00Z', answers: 200 },
  ],
  '/api/v1/blackout-windows': [
    { method: 'GET', path: '', answers: 200 },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'POST', path: '', body: {}, answers: 400, because: EMPTY_BODY },
  ],
  '/api/v1/change-windows': [
    { method: 'GET', path: '', answers: 200 },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'POST', path: '', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'PATCH', path: '/{id}', body: {}, answers: 428, because: NO_IF_MATCH },
    { method: 'DELETE', path: '/{id}', answers: 428, because: NO_IF_MATCH },
    { method: 'POST', path: '/{id}/enforce', answers: 404, because: NO_SUCH_ID },
  ],
  '/api/v1/releases': notBuilt({ method: 'GET', path: '' }, { method: 'POST', path: '' }),
  '/api/v1/slas': [
    { method: 'GET', path: '', answers: 200 },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'POST', path: '', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'PATCH', path: '/{id}', body: {}, answers: 428, because: NO_IF_MATCH },
  ],
  '/api/v1/calendars': [
    { method: 'GET', path: '', answers: 200 },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'POST', path: '', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'PATCH', path: '/{id}', body: {}, answers: 428, because: NO_IF_MATCH },
  ],
  '/api/v1/sla-timers': [
    { method: 'GET', path: '', answers: 200 },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
  ],
  '/api/v1/sla-compliance': [
    {
      method: 'GET',
      path: '?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z',
      answers: 200,
    },
  ],
  '/api/v1/ci-classes': [
    { method: 'GET', path: '', answers: 200 },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'POST', path: '', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'PATCH', path: '/{id}', body: {}, answers: 428, because: NO_IF_MATCH },
    { method: 'POST', path: '/{id}/attributes', body: {}, answers: 400, because: EMPTY_BODY },
  ],
  '/api/v1/cis': [
    { method: 'GET', path: '', answers: 200 },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'GET', path: '/{id}/history', answers: 404, because: NO_SUCH_ID },
    { method: 'GET', path: '/{id}/impact', answers: 404, because: NO_SUCH_ID },
    { method: 'POST', path: '/impact', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'POST', path: '', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'PATCH', path: '/{id}', body: {}, answers: 428, because: NO_IF_MATCH },
  ],
  '/api/v1/relationships': [
    { method: 'GET', path: '', answers: 200 },
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'POST', path: '', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'DELETE', path: '/{id}', answers: 404, because: NO_SUCH_ID },
  ],
  '/api/v1/cmdb/imports': [
    { method: 'GET', path: '/{id}', answers: 404, because: NO_SUCH_ID },
    { method: 'POST', path: '', body: {}, answers: 400, because: EMPTY_BODY },
  ],
  '/api/v1/reports': [
    { method: 'GET', path: '/event-archive', answers: 200 },
    { method: 'GET', path: '/event-archive/verify?toSequence=1', answers: 200 },
    { method: 'GET', path: '/evidence/clauses', answers: 200 },
    {
      method: 'GET',
      path: '/evidence?clause=8.5.1&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z',
      answers: 200,
    },
    { method: 'POST', path: '/evidence/verify', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'GET', path: '/metrics', answers: 200 },
    { method: 'GET', path: '/thresholds', answers: 200 },
    { method: 'POST', path: '/thresholds', body: {}, answers: 400, because: EMPTY_BODY },
    { method: 'PATCH', path: '/thresholds/{id}', body: {}, answers: 404, because: NO_SUCH_ID },
    { method: 'DELETE', path: '/thresholds/{id}', answers: 404, because: NO_SUCH_ID },
    {
      method: 'POST',
      path: '/schedules',
      body: {},
      answers: 400,
      because: 'a schedule names its service and period kind',
    },
    { method: 'GET', path: '/projections', answers: 200 },
    {
      method: 'POST',
      path: '/projections/no_such_projection/rebuild',
      answers: 404,
      because: 'no projection has that name (a real one would be rebuilt)',
    },
  ],
  ...Object.fromEntries(
    UPSTREAM_SERVICES.map((service) => [
      `/api/v1/operations/outbox/${service}`,
      [
        { method: 'GET', path: '', answers: 200 },
        {
          method: 'GET',
          path: '/987654321987',
          answers: 404,
          because: 'no outbox event with that id is parked',
        },
        {
          method: 'POST',
          path: '/987654321987/retry',
          answers: 404,
          because: 'no outbox event with that id is parked',
        },
      ] satisfies Probe[],
    ]),
  ),
  ...Object.fromEntries(
    UPSTREAM_SERVICES.map((service) => [
      `/api/v1/operations/dead-letters/${service}`,
      [
        { method: 'GET', path: '', answers: 200 },
        { method: 'GET', path: '/987654321987', answers: 404, because: 'no such dead letter' },
        {
          method: 'POST',
          path: '/987654321987/replay',
          body: {},
          answers: 404,
          because: 'no such dead letter',
        },
        {
          method: 'POST',
          path: '/987654321987/discard',
          body: { reason: 'matrix' },
          answers: 404,
          because: 'no such dead letter',
        },
      ] satisfies Probe[],
    ]),
  ),
};

/** The access rule the gateway applies to a probe: the one the expectation reads. */
function ruleOf(prefix: string, probe: Probe): AccessRule {
  const resolved = resolveRoute(probe.method, `${prefix}${probe.path.split('?')[0]}`);
  if (resolved.kind !== 'forward') throw new Error(`${probe.method} ${prefix}${probe.path}`);
  return resolved.rule;
}

interface Case {
  prefix: string;
  probe: Probe;
  user: SeededUser;
  ownership: Ownership | null;
  /** Whose record, for the test's name. */
  on: string;
  expected: number;
  /** Why the expected status is what it is, for the test's name. */
  why: string;
}

/** Every probe x role x whose record, each with the status the tables give. */
function casesUnder(agentScope: AgentRecordScope, services: readonly ServiceName[]): Case[] {
  return ROUTE_TABLE.filter((family) => services.includes(family.service)).flatMap((family) =>
    (PROBES[family.prefix] ?? []).flatMap((probe) =>
      SEEDED_USERS.flatMap((user) => {
        const ownerships: (Ownership | null)[] = probe.addresses
          ? ['own', ...(user.groups.length > 0 ? (['group'] as const) : []), 'other']
          : [null];
        return ownerships.map((ownership) => {
          const permitted = hasPermission(user.roles, ruleOf(family.prefix, probe).permission);
          const hidden =
            probe.addresses !== undefined &&
            ownership !== null &&
            !RECORD_KINDS[probe.addresses].visible(user, ownership, agentScope);
          const exception = user.roles
            .map((role) => probe.otherwise?.[role])
            .find((found) => found !== undefined);
          const expected = !permitted ? 403 : hidden ? 404 : (exception?.answers ?? probe.answers);
          const on = ownership ? `on ${ownership}'s record` : 'on no record';
          const why = !permitted
            ? 'not permitted'
            : hidden
              ? 'hidden by the record-level rule'
              : (exception?.because ?? probe.because ?? 'allowed');
          return { prefix: family.prefix, probe, user, ownership, on, expected, why };
        });
      }),
    ),
  );
}

describe('the probes of the authorisation matrix', () => {
  it('try every access rule of every family of the route table', () => {
    const tried = new Set(
      Object.entries(PROBES).flatMap(([prefix, probes]) =>
        probes.map((probe) => ruleOf(prefix, probe)),
      ),
    );
    const untried = ROUTE_TABLE.flatMap((family) =>
      family.access
        .filter((rule) => !tried.has(rule))
        .map((rule) => `${family.prefix} ${rule.methods.join('|')} ${rule.path ?? ''}`),
    );
    expect(untried).toEqual([]);
  });
});

/**
 * Runs the matrix against the real services. Records are opened once per owner and kind,
 * as the admin, and shared by every case that leaves them as they were.
 */
function runMatrix(
  agentScope: AgentRecordScope,
  services: readonly ServiceName[],
  alongside: (platform: () => RunningPlatform) => void = () => undefined,
): void {
  let platform: RunningPlatform;
  let admin: RecordsApi;
  const tokens = new Map<string, string>();
  const shared = new Map<string, Promise<string>>();
  const cases = casesUnder(agentScope, services);

  beforeAll(async () => {
    platform = await RunningPlatform.start(services, { AGENT_RECORD_SCOPE: agentScope });
    for (const user of SEEDED_USERS)
      tokens.set(user.username, await tokenFor(platform.gatewayUrl, user.username));
    admin = await RecordsApi.as(platform.gatewayUrl, 'admin');
    // Records are opened in every seeded group: the incident service must know them all.
    if (
      cases.some(
        (testCase) =>
          testCase.probe.addresses === 'incident' || testCase.probe.addresses === 'request',
      )
    )
      await admin.untilGroupsKnown(SEEDED_GROUPS.map((group) => group.name));
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function open(kind: RecordKindName, user: SeededUser, ownership: Ownership) {
    const created = await request(platform.gatewayUrl)
      .post(RECORD_KINDS[kind].collection)
      .set('authorization', admin.authorization)
      .send(RECORD_KINDS[kind].fieldsFor(user, ownership))
      .expect(201);
    return (created.body as { id: string }).id;
  }

  function recordFor(kind: RecordKindName, user: SeededUser, ownership: Ownership, fresh: boolean) {
    if (fresh) return open(kind, user, ownership);
    const key = `${kind}/${user.username}/${ownership}`;
    if (!shared.has(key)) shared.set(key, open(kind, user, ownership));
    return shared.get(key) as Promise<string>;
  }

  async function call(testCase: Case): Promise<Response> {
    const { prefix, probe, user, ownership, expected } = testCase;
    const kind = probe.addresses;
    const id =
      kind && ownership
        ? await recordFor(kind, user, ownership, probe.consumes === true && expected < 300)
        : randomUUID();
    // A family may hang under a record (`/incidents/{id}/known-errors`): its prefix names the id too.
    const path = `${prefix}${probe.path}`.replaceAll('{id}', id);
    const method = probe.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
    const sent = request(platform.gatewayUrl)
      [method](path)
      .set('authorization', `Bearer ${tokens.get(user.username)}`);
    if (probe.ifMatch && kind) {
      const current = await request(platform.gatewayUrl)
        .get(`${RECORD_KINDS[kind].collection}/${id}`)
        .set('authorization', admin.authorization)
        .expect(200);
      sent.set('if-match', current.headers.etag);
    }
    return probe.body ? sent.send(probe.body) : sent;
  }

  it.each(cases)(
    '$probe.method $prefix$probe.path as $user.username $on: $expected ($why)',
    async (testCase) => {
      const response = await call(testCase);
      expect({ status: response.status, body: response.body as unknown }).toMatchObject({
        status: testCase.expected,
      });
      if (response.status >= 400)
        expect(response.headers['content-type']).toContain('application/problem+json');
    },
  );

  alongside(() => platform);
}

/**
 * Each service behind the gateway on its own: a family's routes need only the service
 * that owns it, and two processes start far faster than seven on a loaded machine.
 */
const UPSTREAMS = [...new Set(ROUTE_TABLE.map((family) => family.service))];

describe.each(UPSTREAMS)(
  'the authorisation matrix of the %s service, agents seeing every record (the default)',
  (service) => {
    runMatrix('all', ['gateway', service], service === 'reporting' ? aroundTheGateway : undefined);
  },
);

describe('the authorisation matrix of incidents and requests, agents restricted to their groups', () => {
  runMatrix('groups', ['gateway', 'incident']);
});

describe('the authorisation matrix of problems, agents restricted to their groups', () => {
  runMatrix('groups', ['gateway', 'problem']);
});

/**
 * The gateway's own routes over every service's operations (`src/operations/`), outside the
 * route table: every role, with the services other than the incident service absent (each
 * answer names them as unreachable, never failing).
 */
const ALL_SERVICES_OPERATIONS: Probe[] = [
  { method: 'GET', path: '/outbox', answers: 200 },
  {
    method: 'POST',
    path: '/outbox/987654321987/retry',
    answers: 404,
    because: 'no service has an outbox event with that id parked',
  },
  { method: 'GET', path: '/dead-letters?status=open', answers: 200 },
  {
    method: 'GET',
    path: '/dead-letters/987654321987',
    answers: 404,
    because: 'no service has that dead letter',
  },
  {
    method: 'POST',
    path: '/dead-letters/987654321987/replay',
    body: {},
    answers: 404,
    because: 'no service has that dead letter',
  },
  {
    method: 'POST',
    path: '/dead-letters/987654321987/discard',
    body: { reason: 'matrix' },
    answers: 404,
    because: 'no service has that dead letter',
  },
];

describe('the authorisation matrix of every service’s operations at the gateway', () => {
  let platform: RunningPlatform;
  const tokens = new Map<string, string>();
  const cases = ALL_SERVICES_OPERATIONS.flatMap((probe) =>
    SEEDED_USERS.map((user) => {
      const permitted = hasPermission(user.roles, OPERATIONS_PERMISSION);
      return {
        probe,
        user,
        expected: permitted ? probe.answers : 403,
        why: permitted ? (probe.because ?? 'allowed') : 'not permitted',
      };
    }),
  );

  beforeAll(async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const absent = UPSTREAM_SERVICES.filter((service) => service !== 'incident');
    platform = await RunningPlatform.start(
      ['gateway', 'incident'],
      Object.fromEntries(absent.map((service) => [`${service.toUpperCase()}_URL`, nowhere])),
    );
    for (const user of SEEDED_USERS)
      tokens.set(user.username, await tokenFor(platform.gatewayUrl, user.username));
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it.each(cases)(
    '$probe.method /api/v1/operations$probe.path as $user.username: $expected ($why)',
    async ({ probe, user, expected }) => {
      const method = probe.method.toLowerCase() as 'get' | 'post';
      const sent = request(platform.gatewayUrl)
        [method](`/api/v1/operations${probe.path}`)
        .set('authorization', `Bearer ${tokens.get(user.username)}`);
      const response = await (probe.body ? sent.send(probe.body) : sent);
      expect({ status: response.status, body: response.body as unknown }).toMatchObject({
        status: expected,
      });
      if (response.status >= 400)
        expect(response.headers['content-type']).toContain('application/problem+json');
    },
  );
});

/**
 * The gateway's own routes that any signed-in caller may use, whatever their roles
 * (`src/saved-queues/`), outside the route table: every role gets the same answer, about
 * their own saved queues only.
 */
const EVERY_CALLER_ROUTES: Probe[] = [
  { method: 'GET', path: '/me/saved-queues', answers: 200 },
  {
    method: 'POST',
    path: '/me/saved-queues',
    body: {},
    answers: 400,
    because: 'a saved queue needs a name and a list',
  },
  { method: 'GET', path: `/me/saved-queues/${randomUUID()}`, answers: 404, because: NO_SUCH_ID },
  {
    method: 'PATCH',
    path: `/me/saved-queues/${randomUUID()}`,
    body: {},
    answers: 428,
    because: NO_IF_MATCH,
  },
  {
    method: 'DELETE',
    path: `/me/saved-queues/${randomUUID()}`,
    answers: 404,
    because: NO_SUCH_ID,
  },
];

describe('the authorisation matrix of the gateway’s routes for every signed-in caller', () => {
  let platform: RunningPlatform;
  const tokens = new Map<string, string>();
  const cases = EVERY_CALLER_ROUTES.flatMap((probe) =>
    SEEDED_USERS.map((user) => ({
      probe,
      user,
      expected: probe.answers,
      why: probe.because ?? 'allowed',
    })),
  );

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway']);
    for (const user of SEEDED_USERS)
      tokens.set(user.username, await tokenFor(platform.gatewayUrl, user.username));
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it.each(cases)(
    '$probe.method /api/v1$probe.path as $user.username: $expected ($why)',
    async ({ probe, user, expected }) => {
      const method = probe.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
      const sent = request(platform.gatewayUrl)
        [method](`/api/v1${probe.path}`)
        .set('authorization', `Bearer ${tokens.get(user.username)}`);
      const response = await (probe.body ? sent.send(probe.body) : sent);
      expect({ status: response.status, body: response.body as unknown }).toMatchObject({
        status: expected,
      });
      if (response.status >= 400)
        expect(response.headers['content-type']).toContain('application/problem+json');
    },
  );

  it('refuses every one of them without credentials', async () => {
    for (const probe of EVERY_CALLER_ROUTES) {
      const method = probe.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
      const response = await request(platform.gatewayUrl)[method](`/api/v1${probe.path}`);
      expect({ probe: probe.method + probe.path, status: response.status }).toEqual({
        probe: probe.method + probe.path,
        status: 401,
      });
    }
  });
});

/** What the gateway and the services refuse besides the matrix, on the same platform. */
function aroundTheGateway(platform: () => RunningPlatform): void {
  const path = '/api/v1/reports/event-archive';
  const reportingUrl = () => platform().service('reporting').url;

  it('has a seeded user for every role', () => {
    expect(SEEDED_USERS.map((user) => user.roles)).toEqual(ROLES.map((role) => [role]));
  });

  it('refuses a service call without the internal identity', async () => {
    const response = await request(reportingUrl()).get(path).expect(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses an identity signed with a key the services do not accept', async () => {
    const intruder = await loadSigningKey(identityKeyPair().signingKey, 'an intruder’s key');
    const forged = await new InternalIdentitySigner(intruder, { ttlSeconds: 5 }).sign(
      { username: 'admin', roles: ['admin'], groups: [], kind: 'user' },
      { service: 'reporting', method: 'GET', target: path },
    );
    await request(reportingUrl()).get(path).set(CALLER_HEADER, forged).expect(401);
  });

  it('checks the permission again in the service', async () => {
    await directClient('reporting', reportingUrl(), 'requester').get(path).expect(403);
    await directClient('reporting', reportingUrl(), 'auditor').get(path).expect(200);
  });

  it('answers a method a family does not accept with 405 and the methods it does', async () => {
    const response = await request(platform().gatewayUrl)
      .delete('/api/v1/sla-timers')
      .set('authorization', `Bearer ${await tokenFor(platform().gatewayUrl, 'admin')}`)
      .expect(405);
    expect(response.headers.allow).toBe('GET');
    expect(response.headers['content-type']).toContain('application/problem+json');
  });
}
