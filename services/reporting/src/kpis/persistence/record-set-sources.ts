import {
  UNRESTRICTED,
  configurationItemCondition,
  recordScope,
  recordScopeCondition,
  serviceRecordCondition,
  type Caller,
  type RecordAccessPolicy,
  type SqlCondition,
} from '@itsm/auth';
import { type Dimension, type RecordSet } from '../domain/metric-definitions';

/** A dimension as SQL: the expression, and a join it needs (kept out of queries that don't use it). */
export interface DimensionColumn {
  expression: string;
  /** Joined only when the dimension is used: a change with two services counts under each. */
  join?: string;
}

/**
 * Where a record set's rows are read from (alias `f`, in the service's schema), which rows belong to it, how its dimensions map to columns, and
 * which rows a caller may count: the same record-level rule the records' own lists apply.
 */
export interface RecordSetSource {
  from: string;
  base: string;
  id: string;
  number: string;
  /** The record's path in the public API, for drill-down links. */
  path: string;
  dimensions: Partial<Record<Dimension, DimensionColumn>>;
  visibility: (caller: Caller, policy: RecordAccessPolicy) => SqlCondition;
}

const ciClassOfFirstCi = (schema: string, alias: string) =>
  `(SELECT ci.class FROM ${schema}.ci_facts AS ci WHERE ci.ci_id = ${alias}.ci_ids[1])`;

function serviceRecordDimensions(schema: string, alias: string) {
  return {
    service: { expression: `${alias}.business_service_id::text` },
    group: { expression: `${alias}.assignment_group` },
    priority: { expression: `${alias}.priority` },
    category: { expression: `${alias}.category` },
    ci_class: { expression: ciClassOfFirstCi(schema, alias) },
    source: { expression: `${alias}.source` },
  } satisfies Partial<Record<Dimension, DimensionColumn>>;
}

function serviceRecordSource(type: 'incident' | 'request'): (schema: string) => RecordSetSource {
  return (schema) => ({
    from: `${schema}.service_record_facts AS f`,
    base: `f.record_type = '${type}'`,
    id: 'f.record_id',
    number: 'f.number',
    path: type === 'incident' ? '/api/v1/incidents/' : '/api/v1/requests/',
    dimensions: serviceRecordDimensions(schema, 'f'),
    visibility: (caller, policy) =>
      recordScopeCondition(
        recordScope(caller, type, policy),
        { requester: 'f.requester', assignmentGroup: 'f.assignment_group', assignee: 'f.assignee' },
        'kpi',
      ),
  });
}

const SOURCES: Record<RecordSet, (schema: string) => RecordSetSource> = {
  incidents: serviceRecordSource('incident'),
  requests: serviceRecordSource('request'),
  sla_timers: (schema) => ({
    // A timer is counted with its record: its breakdowns and visibility are the record's.
    from: `${schema}.sla_timer_facts AS f LEFT JOIN ${schema}.service_record_facts AS r ON r.record_id = f.record_id`,
    base: 'TRUE',
    id: 'f.timer_id',
    number: 'f.record_number',
    path: '/api/v1/sla-timers/',
    dimensions: {
      ...serviceRecordDimensions(schema, 'r'),
      sla: { expression: 'f.sla_name' },
      target: { expression: 'f.target' },
    },
    visibility: (caller, policy) => {
      const record = serviceRecordCondition(caller, policy, {
        recordType: 'r.record_type',
        requester: 'r.requester',
        assignmentGroup: 'r.assignment_group',
        assignee: 'r.assignee',
      });
      return record === UNRESTRICTED
        ? UNRESTRICTED
        : { sql: `(r.record_id IS NOT NULL AND ${record.sql})`, parameters: record.parameters };
    },
  }),
  problems: (schema) => ({
    from: `${schema}.problem_facts AS f`,
    base: 'TRUE',
    id: 'f.problem_id',
    number: 'f.number',
    path: '/api/v1/problems/',
    dimensions: {
      service: { expression: 'f.business_service_id::text' },
      group: { expression: 'f.assignment_group' },
      priority: { expression: 'f.priority' },
      category: { expression: 'f.category' },
      source: { expression: 'f.source' },
    },
    visibility: (caller, policy) =>
      recordScopeCondition(
        recordScope(caller, 'problem', policy),
        // Whoever opened a problem stands where a requester does (the problem service's rule).
        { requester: 'f.opened_by', assignmentGroup: 'f.assignment_group', assignee: 'f.assignee' },
        'kpi',
      ),
  }),
  known_errors: (schema) => ({
    from: `${schema}.known_error_facts AS f`,
    base: 'TRUE',
    id: 'f.known_error_id',
    number: 'f.number',
    path: '/api/v1/known-errors/',
    dimensions: {
      category: { expression: 'f.category' },
      ci_class: { expression: 'f.ci_class' },
    },
    // Known errors are open to every reader of problems, as in the problem service.
    visibility: () => UNRESTRICTED,
  }),
  changes: (schema) => ({
    from: `${schema}.change_facts AS f`,
    base: 'TRUE',
    id: 'f.change_id',
    number: 'f.number',
    path: '/api/v1/changes/',
    dimensions: {
      service: {
        expression: 'change_service.id::text',
        join: 'LEFT JOIN LATERAL unnest(f.business_service_ids) AS change_service(id) ON TRUE',
      },
      group: { expression: 'f.assignment_group' },
      model: { expression: 'f.model' },
      risk: { expression: 'f.risk' },
      category: { expression: 'f.category' },
    },
    visibility: () => UNRESTRICTED,
  }),
  cis: (schema) => ({
    from: `${schema}.ci_facts AS f`,
    base: 'TRUE',
    id: 'f.ci_id',
    number: 'f.name',
    path: '/api/v1/cis/',
    dimensions: {
      class: { expression: 'f.class' },
      environment: { expression: 'f.environment' },
      group: { expression: 'f.owner_group' },
    },
    visibility: (caller) =>
      configurationItemCondition(caller, {
        restricted: 'f.restricted',
        ownerGroup: 'f.owner_group',
      }),
  }),
};

export function recordSetSource(set: RecordSet, schema: string): RecordSetSource {
  return SOURCES[set](schema);
}
