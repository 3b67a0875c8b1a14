import { randomUUID } from 'node:crypto';
import { queryTestDatabase } from '@itsm/testing';

/**
 * Rows of the read models (the projections' tables, docs/reporting.md), written directly:
 * for suites about what is built on the figures (service reports), whose figures the KPI
 * suite checks from events.
 */

/** A business service as the CMDB read model has it. */
export async function businessService(name: string): Promise<string> {
  const id = randomUUID();
  await queryTestDatabase(
    `INSERT INTO reporting.ci_facts (ci_id, name, class, created_at, updated_at, version, last_event_at)
     VALUES ($1, $2, 'business_service', now(), now(), 1, now())`,
    [id, name],
  );
  return id;
}

/** An incident of a service, opened and (when given) resolved at the given instants. */
export async function incidentOf(
  serviceId: string,
  openedAt: Date,
  resolvedAt: Date | null = null,
): Promise<string> {
  const id = randomUUID();
  await queryTestDatabase(
    `INSERT INTO reporting.service_record_facts
       (record_id, record_type, number, state, priority, business_service_id, opened_at, resolved_at,
        requester, reopen_count, version, last_event_at)
     VALUES ($1, 'incident', $2, $3, 'P3', $4, $5, $6, 'someone', 0, 1, now())`,
    [id, `INC${id.slice(0, 7)}`, resolvedAt ? 'resolved' : 'new', serviceId, openedAt, resolvedAt],
  );
  return id;
}

/** An SLA timer of a record, stopped met or breached at `stoppedAt`. */
export async function slaTimerOf(
  recordId: string,
  slaName: string,
  stoppedAt: Date,
  breached: boolean,
): Promise<void> {
  await queryTestDatabase(
    `INSERT INTO reporting.sla_timer_facts
       (timer_id, record_id, record_type, record_number, sla_id, sla_name, target, state, outcome,
        started_at, breached_at, stopped_at, elapsed_ms, version, last_event_at)
     VALUES ($1, $2, 'incident', 'INC', $3, $4, 'resolution', 'stopped', $5, $6, $7, $8, 0, 1, now())`,
    [
      randomUUID(),
      recordId,
      randomUUID(),
      slaName,
      breached ? 'breached' : 'met',
      new Date(stoppedAt.getTime() - 3_600_000),
      breached ? stoppedAt : null,
      stoppedAt,
    ],
  );
}
