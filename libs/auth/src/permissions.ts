import { callingService, type Caller } from './caller';

/**
 * Who may do what: the platform's roles and the permissions each grants, and what each
 * service calling another as itself may do. These tables are the single source: the
 * gateway and every service enforce them, `docs/authorization.md` is rendered from them,
 * and the authorisation matrix test is generated from the roles.
 */
export const ROLES = [
  'requester',
  'agent',
  'incident_manager',
  'problem_manager',
  'change_manager',
  'cab_member',
  'configuration_manager',
  'service_level_manager',
  'auditor',
  'pipeline',
  'operator',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export const PERMISSIONS = {
  'incident:read': 'Read incidents (record-level rules apply)',
  'incident:create': 'Open incidents',
  'incident:update': 'Change, assign and transition incidents',
  'incident:comment': 'Add comments to incidents',
  'request:read': 'Read service requests (record-level rules apply)',
  'request:create': 'Submit service requests',
  'request:update': 'Change, approve and fulfil service requests',
  'request:comment': 'Add comments to service requests',
  'catalog:manage':
    'Add, change and retire the items of the service catalogue requests are raised from (reading it needs `request:read`)',
  'alert:ingest': 'Raise incidents from monitoring alerts',
  'problem:read': 'Read problems, their tasks and known errors (record-level rules apply)',
  'problem:write': 'Record and work problems, link incidents and changes, write known errors',
  'problem:manage': 'Re-analyse closed problems and link closed incidents (problem managers)',
  'change:read': 'Read changes, the change calendar, change windows and releases',
  'change:create': 'Raise changes (a pipeline raises, or finds, the change of its run)',
  'change:write': 'Raise and work changes and releases',
  'change:approve': 'Approve or reject changes',
  'change:schedule': 'Manage change windows (maintenance, blackout, freeze)',
  'change:deploy': "Ask a change's gate and report its deployments (CI/CD pipelines)",
  'sla:read': 'Read SLA definitions, calendars, timers and compliance',
  'sla:write': 'Define SLAs, OLAs and business calendars',
  'cmdb:read': 'Read configuration items, classes, relationships and impact',
  'cmdb:write': 'Change configuration items, classes and relationships',
  'cmdb:import': 'Run discovery imports',
  'report:read': 'Read reports, KPIs and the event archive',
  'report:write':
    'Define KPI thresholds, schedule and restate service reports, and keep their notes and actions',
  'report:manage': 'Rebuild the read models reports are computed from (operators)',
  'evidence:read': 'Read ISO/IEC 20000 audit evidence',
  'directory:read': 'Read users and groups',
  'directory:write': 'Manage users and groups',
  'api_key:manage': 'Create and revoke API keys',
  'operations:manage':
    'Operate the event flow: list and retry parked outbox events, replay and discard dead letters (operators)',
} as const;

export type Permission = keyof typeof PERMISSIONS;

const ALL = Object.keys(PERMISSIONS) as Permission[];
const READ_ONLY = ALL.filter((permission) => permission.endsWith(':read'));

const AGENT: readonly Permission[] = [
  'incident:read',
  'incident:create',
  'incident:update',
  'incident:comment',
  'request:read',
  'request:create',
  'request:update',
  'request:comment',
  'alert:ingest',
  'problem:read',
  'problem:write',
  'change:read',
  'sla:read',
  'cmdb:read',
  'directory:read',
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  requester: [
    'incident:read',
    'incident:create',
    'incident:comment',
    'request:read',
    'request:create',
    'request:comment',
  ],
  agent: AGENT,
  // An incident manager works incidents as an agent does, reads the reports on them, sets
  // thresholds on them and keeps the service reviews' notes and actions.
  incident_manager: [...AGENT, 'report:read', 'report:write'],
  problem_manager: [
    'incident:read',
    'incident:comment',
    'problem:read',
    'problem:write',
    'problem:manage',
    'change:read',
    'cmdb:read',
    'report:read',
    'report:write',
    'directory:read',
  ],
  change_manager: [
    'incident:read',
    'problem:read',
    'change:read',
    'change:create',
    'change:write',
    'change:approve',
    'change:schedule',
    'change:deploy',
    'cmdb:read',
    'report:read',
    'report:write',
    'directory:read',
  ],
  cab_member: ['change:read', 'change:approve', 'cmdb:read', 'directory:read'],
  configuration_manager: [
    'incident:read',
    'change:read',
    'cmdb:read',
    'cmdb:write',
    'cmdb:import',
    'report:read',
    'directory:read',
  ],
  service_level_manager: [
    'incident:read',
    'request:read',
    // Service owners: what their services offer requesters is theirs to keep.
    'catalog:manage',
    'sla:read',
    'sla:write',
    'report:read',
    // Service owners: they hold the service reviews and schedule their reports.
    'report:write',
    'directory:read',
  ],
  auditor: [...READ_ONLY, 'evidence:read'],
  // Platform operators: the event flow (parked outbox events, dead letters) and the read
  // models reports are computed from; no records.
  operator: ['operations:manage', 'report:manage', 'report:read'],
  admin: ALL,
  // For the API keys of CI/CD pipelines: their change, its gate, their deployments; nothing else.
  pipeline: ['change:read', 'change:create', 'change:deploy'],
};

/** Roles that see every record; the others see only their own or their groups' records. */
export const ROLES_SEEING_ALL_RECORDS: readonly Role[] = [
  'admin',
  'auditor',
  'incident_manager',
  'problem_manager',
  'change_manager',
  'configuration_manager',
  'service_level_manager',
];

/**
 * What a service calling another as itself (ADR 12) may do there, by calling service. Only
 * these: a service identity carries no roles or groups, and a service named here gets
 * nothing else, whatever its token says. A service missing here may call nothing.
 */
export const SERVICE_PERMISSIONS: Readonly<Record<string, readonly Permission[]>> = {
  // Blast radius and collisions of a change: impact analysis over the dependency graph.
  change: ['cmdb:read'],
};

/** The services that may call another as themselves: those granted something. */
export function callingServices(): string[] {
  return Object.entries(SERVICE_PERMISSIONS)
    .filter(([, permissions]) => permissions.length > 0)
    .map(([service]) => service);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function permissionsOf(roles: readonly string[]): Set<Permission> {
  return new Set(roles.filter(isRole).flatMap((role) => ROLE_PERMISSIONS[role]));
}

export function hasPermission(roles: readonly string[], permission: Permission): boolean {
  return permissionsOf(roles).has(permission);
}

/**
 * What a caller may do: a person's or an API key's roles' permissions, or for a service
 * calling as itself, what {@link SERVICE_PERMISSIONS} grants it (never its roles: it has none).
 */
export function permissionsOfCaller(caller: Caller): Set<Permission> {
  if (caller.kind !== 'service') return permissionsOf(caller.roles);
  const service = callingService(caller);
  return new Set(
    service !== undefined && Object.hasOwn(SERVICE_PERMISSIONS, service)
      ? SERVICE_PERMISSIONS[service]
      : [],
  );
}

export function callerHasPermission(caller: Caller, permission: Permission): boolean {
  return permissionsOfCaller(caller).has(permission);
}

export function seesAllRecords(roles: readonly string[]): boolean {
  return roles.some((role) => (ROLES_SEEING_ALL_RECORDS as readonly string[]).includes(role));
}
