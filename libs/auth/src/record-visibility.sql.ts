import { type Caller } from './caller';
import { seesAllRecords } from './permissions';
import {
  GOVERNED_RECORD_TYPES,
  recordScope,
  type RecordAccessPolicy,
  type RecordScope,
} from './record-visibility';

/**
 * A condition for a query's `WHERE`, with TypeORM named parameters (`:name`). Lists filter
 * in SQL with the same rule a read by id applies in memory, so that paging stays right
 * (no page of 100 filtered down to 3) and a list never shows what a read would 404. It is
 * never NULL (an empty group compares as unknown in SQL), so that it may be negated.
 */
export interface SqlCondition {
  sql: string;
  parameters: Record<string, unknown>;
}

/** The condition of a caller who sees every row: callers may skip joins it makes useless. */
export const UNRESTRICTED: SqlCondition = Object.freeze({ sql: 'TRUE', parameters: {} });

/** The SQL expressions (columns, usually) holding a record's ownership. */
export interface OwnershipColumns {
  requester: string;
  assignmentGroup: string;
  assignee: string;
}

/**
 * {@link isInScope} as SQL over a row's ownership columns. `prefix` names the parameters,
 * so that one query may hold the conditions of several record types.
 */
export function recordScopeCondition(
  scope: RecordScope,
  columns: OwnershipColumns,
  prefix = 'scope',
): SqlCondition {
  if (scope.kind === 'all') return UNRESTRICTED;
  const username = `${prefix}Username`;
  const groups = `${prefix}Groups`;
  const alternatives = [
    `${columns.requester} = :${username}`,
    `${columns.assignee} = :${username}`,
    `${columns.assignmentGroup} = ANY(:${groups})`,
    ...(scope.unassigned ? [`${columns.assignmentGroup} IS NULL`] : []),
  ];
  return {
    sql: `COALESCE(${alternatives.join(' OR ')}, FALSE)`,
    parameters: { [username]: scope.username, [groups]: [...scope.groups] },
  };
}

/**
 * The record-level rule over rows that may be of any governed record type (the type in
 * `columns.recordType`: incident, request or problem): for tables that follow records by
 * their ownership, such as SLA timers' records or the event archive's.
 */
export function serviceRecordCondition(
  caller: Caller,
  policy: RecordAccessPolicy,
  columns: OwnershipColumns & { recordType: string },
): SqlCondition {
  const perType = GOVERNED_RECORD_TYPES.map((type) => ({
    type,
    condition: recordScopeCondition(recordScope(caller, type, policy), columns, type),
  }));
  if (perType.every(({ condition }) => condition === UNRESTRICTED)) return UNRESTRICTED;
  return {
    sql: `COALESCE(${perType
      .map(({ type, condition }) => `(${columns.recordType} = '${type}' AND ${condition.sql})`)
      .join(' OR ')}, FALSE)`,
    parameters: Object.fromEntries(
      perType.flatMap(({ condition }) => Object.entries(condition.parameters)),
    ),
  };
}

/**
 * {@link serviceRecordCondition} for rows that refer to a record whose ownership a table of
 * the service keeps (columns `record_id`, `record_type`, `requester`, `assignment_group`,
 * `assignee`), e.g. SLA timers and their records. A row whose record the table does not
 * know is hidden from those the rule restricts.
 */
export function ownedRecordCondition(
  caller: Caller,
  policy: RecordAccessPolicy,
  ownershipTable: string,
  recordIdExpression: string,
): SqlCondition {
  const records = serviceRecordCondition(caller, policy, {
    recordType: 'owner.record_type',
    requester: 'owner.requester',
    assignmentGroup: 'owner.assignment_group',
    assignee: 'owner.assignee',
  });
  if (records === UNRESTRICTED) return UNRESTRICTED;
  return {
    sql: `EXISTS (SELECT 1 FROM ${ownershipTable} AS owner
                   WHERE owner.record_id = ${recordIdExpression} AND ${records.sql})`,
    parameters: records.parameters,
  };
}

/** The SQL expressions holding a CI's restriction. */
export interface ConfigurationItemColumns {
  restricted: string;
  ownerGroup: string;
}

/** {@link canSeeConfigurationItem} as SQL over a row's restriction columns. */
export function configurationItemCondition(
  caller: Caller,
  columns: ConfigurationItemColumns,
  prefix = 'ci',
): SqlCondition {
  if (seesAllRecords(caller.roles)) return UNRESTRICTED;
  const groups = `${prefix}OwnerGroups`;
  return {
    sql: `COALESCE(NOT ${columns.restricted} OR ${columns.ownerGroup} = ANY(:${groups}), FALSE)`,
    parameters: { [groups]: [...caller.groups] },
  };
}
