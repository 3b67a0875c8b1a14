import { type Permission } from '@itsm/auth';
import { UPSTREAM_SERVICES, type UpstreamService } from '../config/gateway.config';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface AccessRule {
  methods: readonly HttpMethod[];
  /** Matches the path after the family's prefix ('' for the collection itself); every path when absent. */
  path?: RegExp;
  permission: Permission;
}

export interface RouteFamily {
  /**
   * The path the family starts at. A `{name}` segment matches any one segment: a
   * sub-resource of another family's records that another service answers, such as
   * `/api/v1/incidents/{id}/known-errors`. Such a family precedes the family of the
   * records it hangs under, as the first family that matches wins.
   */
  prefix: string;
  service: UpstreamService;
  /** First match wins. A method no rule names is answered with 405. */
  access: readonly AccessRule[];
}

const READ: readonly HttpMethod[] = ['GET'];
const WRITE: readonly HttpMethod[] = ['POST', 'PUT', 'PATCH', 'DELETE'];
const ID_THEN = (suffix: string) => new RegExp(`^/[^/]+/${suffix}$`);

function readWrite(read: Permission, write: Permission): readonly AccessRule[] {
  return [
    { methods: READ, permission: read },
    { methods: WRITE, permission: write },
  ];
}

function recordFamily(prefix: string, kind: 'incident' | 'request'): RouteFamily {
  return {
    prefix,
    service: 'incident',
    access: [
      { methods: READ, permission: `${kind}:read` },
      { methods: ['POST'], path: /^$/, permission: `${kind}:create` },
      { methods: ['POST'], path: ID_THEN('journal'), permission: `${kind}:comment` },
      {
        methods: ['POST', 'PATCH'],
        path: /^\/[^/]+(\/transitions)?$/,
        permission: `${kind}:update`,
      },
    ],
  };
}

/**
 * `/api/v1/operations/outbox/{service}`: each service answers for its own outbox (the
 * gateway's own is served by the gateway itself, as is `/api/v1/operations/outbox` of every
 * service's: `src/operations/`).
 */
const OUTBOX_OPERATIONS: readonly RouteFamily[] = UPSTREAM_SERVICES.map((service) => ({
  prefix: `/api/v1/operations/outbox/${service}`,
  service,
  access: [
    { methods: READ, path: /^(\/[^/]+)?$/, permission: 'operations:manage' },
    { methods: ['POST'], path: ID_THEN('retry'), permission: 'operations:manage' },
  ],
}));

/** `/api/v1/operations/dead-letters/{service}`: each service's consumer group's dead letters (ADR 20). */
const DEAD_LETTER_OPERATIONS: readonly RouteFamily[] = UPSTREAM_SERVICES.map((service) => ({
  prefix: `/api/v1/operations/dead-letters/${service}`,
  service,
  access: [
    { methods: READ, permission: 'operations:manage' },
    { methods: ['POST'], path: ID_THEN('(replay|discard)'), permission: 'operations:manage' },
  ],
}));

/**
 * Every public API family: the service that owns it and the permission each kind of
 * request needs. The gateway checks the permission before forwarding; the service checks
 * it again.
 */
export const ROUTE_TABLE: readonly RouteFamily[] = [
  // Answered by the problem service from its copy of the incident; before the incidents' family.
  {
    prefix: '/api/v1/incidents/{id}/known-errors',
    service: 'problem',
    access: [{ methods: READ, permission: 'problem:read' }],
  },
  recordFamily('/api/v1/incidents', 'incident'),
  recordFamily('/api/v1/requests', 'request'),
  {
    // The service catalogue: browsed by whoever reads requests, kept by catalog:manage.
    prefix: '/api/v1/catalog-items',
    service: 'incident',
    access: [
      { methods: READ, permission: 'request:read' },
      { methods: ['POST'], path: /^$/, permission: 'catalog:manage' },
      { methods: ['PATCH'], path: /^\/[^/]+$/, permission: 'catalog:manage' },
    ],
  },
  {
    prefix: '/api/v1/integrations/alertmanager',
    service: 'incident',
    access: [{ methods: ['POST'], permission: 'alert:ingest' }],
  },
  {
    prefix: '/api/v1/problems',
    service: 'problem',
    access: readWrite('problem:read', 'problem:write'),
  },
  {
    prefix: '/api/v1/known-errors',
    service: 'problem',
    access: [
      // Self-service: the portal shows workarounds to whoever raises an incident.
      { methods: READ, path: /^\/workarounds$/, permission: 'incident:create' },
      { methods: READ, permission: 'problem:read' },
      { methods: ['POST'], path: /^$/, permission: 'problem:write' },
      { methods: ['PATCH'], path: /^\/[^/]+$/, permission: 'problem:write' },
    ],
  },
  {
    prefix: '/api/v1/changes',
    service: 'change',
    access: [
      // The approvals inbox: only an approver has decisions awaiting them.
      { methods: READ, path: /^\/awaiting-my-decision$/, permission: 'change:approve' },
      { methods: READ, permission: 'change:read' },
      { methods: ['POST'], path: /^$/, permission: 'change:create' },
      { methods: ['POST'], path: ID_THEN('approvals'), permission: 'change:approve' },
      { methods: ['POST'], path: ID_THEN('deployments'), permission: 'change:deploy' },
      { methods: WRITE, permission: 'change:write' },
    ],
  },
  {
    prefix: '/api/v1/change-templates',
    service: 'change',
    access: [
      { methods: READ, permission: 'change:read' },
      // CAB members approve templates; the change service asks change:write for every other step.
      { methods: ['POST'], path: ID_THEN('transitions'), permission: 'change:approve' },
      { methods: ['POST'], path: /^(\/[^/]+\/versions)?$/, permission: 'change:write' },
      { methods: ['PATCH'], path: /^\/[^/]+$/, permission: 'change:write' },
    ],
  },
  {
    prefix: '/api/v1/change-calendar',
    service: 'change',
    access: [{ methods: READ, permission: 'change:read' }],
  },
  {
    prefix: '/api/v1/blackout-windows',
    service: 'change',
    access: readWrite('change:read', 'change:schedule'),
  },
  {
    prefix: '/api/v1/change-windows',
    service: 'change',
    access: readWrite('change:read', 'change:schedule'),
  },
  {
    prefix: '/api/v1/cab-meetings',
    service: 'change',
    access: [
      { methods: READ, permission: 'change:read' },
      // Members of the meeting's group record its decisions; change managers define meetings.
      { methods: ['POST'], path: ID_THEN('decisions'), permission: 'change:approve' },
      { methods: ['POST'], path: /^$/, permission: 'change:schedule' },
      { methods: ['PATCH', 'DELETE'], path: /^\/[^/]+$/, permission: 'change:schedule' },
    ],
  },
  {
    prefix: '/api/v1/releases',
    service: 'change',
    access: readWrite('change:read', 'change:write'),
  },
  { prefix: '/api/v1/slas', service: 'slm', access: readWrite('sla:read', 'sla:write') },
  { prefix: '/api/v1/calendars', service: 'slm', access: readWrite('sla:read', 'sla:write') },
  {
    prefix: '/api/v1/sla-timers',
    service: 'slm',
    access: [{ methods: READ, permission: 'sla:read' }],
  },
  {
    prefix: '/api/v1/sla-compliance',
    service: 'slm',
    access: [{ methods: READ, permission: 'sla:read' }],
  },
  {
    prefix: '/api/v1/ci-classes',
    service: 'cmdb',
    access: [
      { methods: READ, permission: 'cmdb:read' },
      // Classes are added, get attributes, and change (rules, precedence); never deleted.
      { methods: ['POST'], path: /^(\/[^/]+\/attributes)?$/, permission: 'cmdb:write' },
      { methods: ['PATCH'], path: /^\/[^/]+$/, permission: 'cmdb:write' },
    ],
  },
  {
    prefix: '/api/v1/cis',
    service: 'cmdb',
    access: [
      // Impact analysis for a set of CIs takes its ids in a body, but only reads.
      { methods: ['POST'], path: /^\/impact$/, permission: 'cmdb:read' },
      ...readWrite('cmdb:read', 'cmdb:write'),
    ],
  },
  {
    prefix: '/api/v1/relationships',
    service: 'cmdb',
    access: readWrite('cmdb:read', 'cmdb:write'),
  },
  {
    prefix: '/api/v1/cmdb/imports',
    service: 'cmdb',
    access: [{ methods: ['GET', 'POST'], permission: 'cmdb:import' }],
  },
  {
    prefix: '/api/v1/reports',
    service: 'reporting',
    access: [
      { methods: READ, path: /^\/evidence(\/.*)?$/, permission: 'evidence:read' },
      { methods: ['POST'], path: /^\/evidence\/verify$/, permission: 'evidence:read' },
      { methods: READ, path: /^\/event-archive\/verify$/, permission: 'evidence:read' },
      { methods: READ, permission: 'report:read' },
      { methods: ['POST'], path: /^\/thresholds$/, permission: 'report:write' },
      { methods: ['PATCH', 'DELETE'], path: /^\/thresholds\/[^/]+$/, permission: 'report:write' },
      {
        methods: WRITE,
        path: /^\/(service-reports|schedules)(\/.*)?$/,
        permission: 'report:write',
      },
      // Operators rebuild a read model from the event archive.
      { methods: ['POST'], path: /^\/projections\/[^/]+\/rebuild$/, permission: 'report:manage' },
    ],
  },
  ...OUTBOX_OPERATIONS,
  ...DEAD_LETTER_OPERATIONS,
];

export type RouteResolution =
  | { kind: 'forward'; family: RouteFamily; rule: AccessRule; permission: Permission }
  | { kind: 'method-not-allowed'; family: RouteFamily; allowed: HttpMethod[] }
  | { kind: 'unknown' };

/** A family's prefix as a pattern: the prefix itself, or followed by more segments; `{name}` is one segment. */
function prefixPattern(prefix: string): RegExp {
  const source = prefix
    .split(/(\{[^}]+\})/)
    .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}(?=/|$)`);
}

const PREFIX_PATTERNS = new Map(
  ROUTE_TABLE.map((family) => [family, prefixPattern(family.prefix)]),
);

/** The first family a path lies in, and the rest of the path after its prefix. */
function familyMatch(path: string): { family: RouteFamily; rest: string } | undefined {
  for (const [family, pattern] of PREFIX_PATTERNS) {
    const match = pattern.exec(path);
    if (match) return { family, rest: path.slice(match[0].length) };
  }
  return undefined;
}

export function familyOf(path: string): RouteFamily | undefined {
  return familyMatch(path)?.family;
}

/** Which service answers a request and which permission it needs. */
export function resolveRoute(method: string, path: string): RouteResolution {
  const matched = familyMatch(path);
  if (!matched) return { kind: 'unknown' };
  const { family, rest } = matched;
  const applicable = family.access.filter((rule) => !rule.path || rule.path.test(rest));
  const rule = applicable.find((candidate) =>
    (candidate.methods as readonly string[]).includes(method),
  );
  if (!rule) {
    const allowed = [...new Set(applicable.flatMap((candidate) => candidate.methods))];
    return { kind: 'method-not-allowed', family, allowed };
  }
  return { kind: 'forward', family, rule, permission: rule.permission };
}

/** The Express paths the proxy listens on: each family and everything under it (`{name}` as `:name`). */
export const PROXIED_PATHS: string[] = [
  ...new Set(
    ROUTE_TABLE.flatMap((family) => {
      const path = family.prefix.replace(/^\//, '').replace(/\{([^}]+)\}/g, ':$1');
      return [path, `${path}/*rest`];
    }),
  ),
];
