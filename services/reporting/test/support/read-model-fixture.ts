import { randomUUID } from 'node:crypto';
import { queryTestDatabase } from '@itsm/testing';

/**
 * The read models the KPI engine reads, as the projections' design describes them (the
 * projections build them from the topics). Until the projections' migration is on this
 * branch the suites that need figures create them here; once it is, `IF NOT EXISTS` leaves
 * the real tables alone and the rows below go into them (each insert fills every column
 * those tables require), and this file's tables can go.
 */
const READ_MODELS = [
  `CREATE TABLE IF NOT EXISTS reporting.service_record_facts (
     record_id uuid PRIMARY KEY, record_type text NOT NULL, number text NOT NULL, version int NOT NULL DEFAULT 1,
     state text NOT NULL DEFAULT 'new', priority text, impact int, urgency int, category text, subcategory text,
     catalog_item text, business_service_id uuid, ci_ids uuid[] NOT NULL DEFAULT '{}', assignment_group text,
     assignee text, requester text NOT NULL DEFAULT 'someone', source text, major boolean NOT NULL DEFAULT false,
     problem_id uuid, parent_id uuid, resolution_code text, opened_at timestamptz NOT NULL,
     first_response_at timestamptz, resolved_at timestamptz, closed_at timestamptz, cancelled_at timestamptz,
     reopen_count int NOT NULL DEFAULT 0, first_assigned_at timestamptz, reassignment_versions int[] NOT NULL DEFAULT '{}',
     resolved_version int, last_event_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS reporting.sla_timer_facts (
     timer_id uuid PRIMARY KEY, record_id uuid NOT NULL, record_type text NOT NULL, record_number text NOT NULL,
     sla_id uuid NOT NULL, sla_name text NOT NULL, sla_version int NOT NULL DEFAULT 1, target text NOT NULL,
     state text NOT NULL, outcome text NOT NULL, started_at timestamptz NOT NULL, due_at timestamptz,
     breached_at timestamptz, stopped_at timestamptz, elapsed_ms bigint NOT NULL DEFAULT 0, version int NOT NULL DEFAULT 1,
     last_event_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS reporting.problem_facts (
     problem_id uuid PRIMARY KEY, number text NOT NULL, version int NOT NULL DEFAULT 1, state text NOT NULL,
     priority text, category text, business_service_id uuid, ci_ids uuid[] NOT NULL DEFAULT '{}', assignment_group text,
     assignee text, opened_by text NOT NULL DEFAULT 'someone', source text, resolution_code text, duplicate_of_id uuid,
     change_ids uuid[] NOT NULL DEFAULT '{}', incident_count int NOT NULL DEFAULT 0, opened_at timestamptz NOT NULL,
     confirmed_at timestamptz, root_cause_identified_at timestamptz, resolved_at timestamptz, closed_at timestamptz,
     cancelled_at timestamptz, reanalysis_count int NOT NULL DEFAULT 0, last_event_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS reporting.change_facts (
     change_id uuid PRIMARY KEY, number text NOT NULL, version int NOT NULL DEFAULT 1, model text NOT NULL,
     state text NOT NULL, risk text, risk_source text, category text, impact int,
     business_service_ids uuid[] NOT NULL DEFAULT '{}', ci_ids uuid[] NOT NULL DEFAULT '{}', assignment_group text,
     assignee text, requested_by text, close_code text, unauthorized boolean NOT NULL DEFAULT false, template_id uuid,
     problem_ids uuid[] NOT NULL DEFAULT '{}', caused_incident_ids uuid[] NOT NULL DEFAULT '{}',
     opened_at timestamptz NOT NULL, authorized_at timestamptz, planned_start timestamptz, planned_end timestamptz,
     actual_start timestamptz, actual_end timestamptz, closed_at timestamptz, cancelled_at timestamptz,
     rejection_count int NOT NULL DEFAULT 0, last_event_at timestamptz NOT NULL DEFAULT now())`,
  `CREATE TABLE IF NOT EXISTS reporting.ci_facts (
     ci_id uuid PRIMARY KEY, name text NOT NULL, class text NOT NULL, status text NOT NULL DEFAULT 'operational',
     environment text, owner_group text, restricted boolean NOT NULL DEFAULT false, created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL, retired_at timestamptz, last_verified_at timestamptz,
     version int NOT NULL DEFAULT 1, last_event_at timestamptz NOT NULL DEFAULT now())`,
];

export async function ensureReadModels(): Promise<void> {
  for (const statement of READ_MODELS) await queryTestDatabase(statement);
}

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
