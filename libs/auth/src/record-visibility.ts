import { type Caller, type RecordOwnership } from './caller';
import { hasPermission, seesAllRecords, type Permission } from './permissions';

/** The service records (incidents and requests), which share one table, topic and SLA timers. */
export const RECORD_TYPES = ['incident', 'request'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Every record type the record-level rule governs. */
export const GOVERNED_RECORD_TYPES = [...RECORD_TYPES, 'problem'] as const;
export type GovernedRecordType = (typeof GOVERNED_RECORD_TYPES)[number];

/**
 * The permission that puts a caller on the desk that works a record type: agents hold it
 * for incidents and requests (`<type>:update`) and for problems (`problem:write`).
 */
export const WORK_PERMISSION: Readonly<Record<GovernedRecordType, Permission>> = {
  incident: 'incident:update',
  request: 'request:update',
  problem: 'problem:write',
};

/**
 * How a deployment lets agents see records. `all` (the default) is ServiceNow's `itil`:
 * whoever works a record type sees every record of it, so the service desk can triage
 * its own queue. `groups` restricts agents to their groups' records, the records they
 * requested or are assigned, and the unassigned queue (records with no group).
 */
export type AgentRecordScope = 'all' | 'groups';
export const AGENT_RECORD_SCOPES: readonly AgentRecordScope[] = ['all', 'groups'];

export interface RecordAccessPolicy {
  agentScope: AgentRecordScope;
}

export const DEFAULT_RECORD_ACCESS_POLICY: RecordAccessPolicy = { agentScope: 'all' };

/**
 * Which records of a type a caller may see, in a form both an in-memory check
 * ({@link isInScope}) and a query (a service's `WHERE` clause) can apply, so that a read by
 * id and a list never disagree.
 */
export type RecordScope =
  | { kind: 'all' }
  | {
      kind: 'restricted';
      /** Records this user requested or is assigned. */
      username: string;
      /** Records assigned to one of these groups. */
      groups: readonly string[];
      /** Records with no assignment group: the unassigned queue. */
      unassigned: boolean;
    };

/**
 * The record-level rule, the one every service applies:
 * - managers, auditors and admins see every record;
 * - those who work the record type ({@link WORK_PERMISSION}, i.e. agents) see every record of it,
 *   or, where the deployment sets `groups`, their groups' records and the unassigned queue;
 * - anyone else (requesters) sees the records they requested, are assigned, or that one of
 *   their groups holds.
 * A record outside the scope is answered as not found, so that its existence does not leak.
 */
export function recordScope(
  caller: Caller,
  type: GovernedRecordType,
  policy: RecordAccessPolicy = DEFAULT_RECORD_ACCESS_POLICY,
): RecordScope {
  if (seesAllRecords(caller.roles)) return { kind: 'all' };
  const worksType = hasPermission(caller.roles, WORK_PERMISSION[type]);
  if (worksType && policy.agentScope === 'all') return { kind: 'all' };
  return {
    kind: 'restricted',
    username: caller.username,
    groups: caller.groups,
    unassigned: worksType,
  };
}

export function isInScope(scope: RecordScope, record: RecordOwnership): boolean {
  if (scope.kind === 'all') return true;
  if (record.requester === scope.username || record.assignee === scope.username) return true;
  if (!record.assignmentGroup) return scope.unassigned;
  return scope.groups.includes(record.assignmentGroup);
}

/** Whether the caller may see this record ({@link recordScope} applied to one record). */
export function canSeeRecord(
  caller: Caller,
  type: GovernedRecordType,
  record: RecordOwnership,
  policy: RecordAccessPolicy = DEFAULT_RECORD_ACCESS_POLICY,
): boolean {
  return isInScope(recordScope(caller, type, policy), record);
}

/**
 * Work notes are internal: those who work the record type ({@link WORK_PERMISSION}) and those who
 * see every record (managers, auditors) read them; requesters read comments only.
 */
export function canReadWorkNotes(caller: Caller, recordType: GovernedRecordType): boolean {
  return seesAllRecords(caller.roles) || hasPermission(caller.roles, WORK_PERMISSION[recordType]);
}

/** What the CMDB rule reads of a configuration item. */
export interface ConfigurationItemAccess {
  /** A restricted CI is seen only by its owner group and by those who see every record. */
  restricted: boolean;
  ownerGroup?: string | null;
}

/**
 * CIs are open to every holder of `cmdb:read`, except restricted ones (security appliances,
 * HR systems...), which only their owner group, configuration managers, auditors and admins
 * see; anyone else is answered as if the CI did not exist.
 */
export function canSeeConfigurationItem(caller: Caller, item: ConfigurationItemAccess): boolean {
  if (!item.restricted || seesAllRecords(caller.roles)) return true;
  return Boolean(item.ownerGroup && caller.groups.includes(item.ownerGroup));
}
