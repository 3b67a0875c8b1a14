import { type RecordScope } from '@itsm/auth';

/** The columns (as the query names them, e.g. `r.requester`) the record-level rule reads. */
export interface RecordScopeColumns {
  requester: string;
  assignee: string;
  assignmentGroup: string;
}

/** A `WHERE` fragment with its named parameters, for a TypeORM query builder's `andWhere`. */
export interface SqlCondition {
  sql: string;
  parameters: Record<string, unknown>;
}

/**
 * {@link RecordScope} as SQL, the same rule `isInScope` applies to one record, so that a
 * list shows exactly the records a read by id answers; `null` when the scope is every
 * record (nothing to add). Parameters are prefixed with `scope` so they cannot collide
 * with a list's own filters.
 */
export function recordScopeCondition(
  scope: RecordScope,
  columns: RecordScopeColumns,
): SqlCondition | null {
  if (scope.kind === 'all') return null;
  const alternatives = [`${columns.requester} = :scopeUser`, `${columns.assignee} = :scopeUser`];
  const parameters: Record<string, unknown> = { scopeUser: scope.username };
  if (scope.groups.length > 0) {
    alternatives.push(`${columns.assignmentGroup} IN (:...scopeGroups)`);
    parameters.scopeGroups = [...scope.groups];
  }
  if (scope.unassigned) alternatives.push(`${columns.assignmentGroup} IS NULL`);
  return { sql: `(${alternatives.join(' OR ')})`, parameters };
}
