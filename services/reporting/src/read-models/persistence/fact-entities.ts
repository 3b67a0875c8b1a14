import { Column, Entity, Index, PrimaryColumn, type ColumnOptions } from 'typeorm';
import { type ColumnType, type FactColumn, type FactTableShape } from '../domain/fact-table';
import { CHANGES } from '../domain/changes.projection';
import { CMDB } from '../domain/cmdb.projection';
import { KNOWN_ERRORS, PROBLEMS } from '../domain/problems.projection';
import { type ProjectionDefinition } from '../domain/projection';
import { SERVICE_RECORDS } from '../domain/service-records.projection';
import { SLA_TIMERS } from '../domain/sla-timers.projection';

const COLUMN_OPTIONS: Record<ColumnType, ColumnOptions> = {
  uuid: { type: 'uuid' },
  text: { type: 'text' },
  int: { type: 'integer' },
  bigint: { type: 'bigint' },
  bool: { type: 'boolean' },
  timestamptz: { type: 'timestamptz' },
  'uuid[]': { type: 'uuid', array: true, default: () => "'{}'" },
  'int[]': { type: 'integer', array: true, default: () => "'{}'" },
};

/** Never null: the key, what orders the facts, the time of the newest event, lists and counts. */
function required(shape: FactTableShape, column: FactColumn): boolean {
  return (
    column.name === shape.key ||
    shape.precedence.includes(column.name) ||
    column.name === 'last_event_at' ||
    column.type.endsWith('[]') ||
    column.merge.kind === 'cardinality'
  );
}

/**
 * The TypeORM entity of a fact table, made from the projection's column list so that the
 * table, the mapping and the upsert cannot disagree; the migration creates the same table.
 */
function factEntity(
  projection: ProjectionDefinition,
  indexes: Record<string, readonly string[]>,
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
): Function {
  const { shape } = projection;
  const entity = class {};
  Object.defineProperty(entity, 'name', { value: `${shape.table}_entity` });
  for (const column of shape.columns) {
    const options = { ...COLUMN_OPTIONS[column.type], name: column.name };
    if (column.name === shape.key) {
      PrimaryColumn({ ...options, nullable: false, primaryKeyConstraintName: `PK_${shape.table}` })(
        entity.prototype,
        column.name,
      );
    } else {
      Column({ ...options, nullable: !required(shape, column) })(entity.prototype, column.name);
    }
  }
  for (const [name, names] of Object.entries(indexes)) Index(name, [...names])(entity);
  Entity({ name: shape.table })(entity);
  return entity;
}

export const ServiceRecordFactEntity = factEntity(SERVICE_RECORDS, {
  IX_service_record_facts_type_opened: ['record_type', 'opened_at'],
  IX_service_record_facts_type_resolved: ['record_type', 'resolved_at'],
  IX_service_record_facts_group: ['assignment_group'],
  IX_service_record_facts_service: ['business_service_id'],
  IX_service_record_facts_first_response_at: ['first_response_at'],
  IX_service_record_facts_resolved_at: ['resolved_at'],
  IX_service_record_facts_closed_at: ['closed_at'],
  IX_service_record_facts_cancelled_at: ['cancelled_at'],
});
export const ProblemFactEntity = factEntity(PROBLEMS, {
  IX_problem_facts_opened: ['opened_at'],
  IX_problem_facts_service: ['business_service_id'],
  IX_problem_facts_root_cause_identified_at: ['root_cause_identified_at'],
  IX_problem_facts_resolved_at: ['resolved_at'],
  IX_problem_facts_closed_at: ['closed_at'],
  IX_problem_facts_cancelled_at: ['cancelled_at'],
});
export const KnownErrorFactEntity = factEntity(KNOWN_ERRORS, {
  IX_known_error_facts_created: ['created_at'],
});
export const ChangeFactEntity = factEntity(CHANGES, {
  IX_change_facts_opened: ['opened_at'],
  IX_change_facts_closed: ['closed_at'],
  IX_change_facts_cancelled_at: ['cancelled_at'],
});
export const SlaTimerFactEntity = factEntity(SLA_TIMERS, {
  IX_sla_timer_facts_record: ['record_id'],
  IX_sla_timer_facts_started: ['started_at'],
  IX_sla_timer_facts_breached_at: ['breached_at'],
  IX_sla_timer_facts_stopped_at: ['stopped_at'],
});
export const CiFactEntity = factEntity(CMDB, { IX_ci_facts_class: ['class'] });

export const FACT_ENTITIES = [
  ServiceRecordFactEntity,
  ProblemFactEntity,
  KnownErrorFactEntity,
  ChangeFactEntity,
  SlaTimerFactEntity,
  CiFactEntity,
];
