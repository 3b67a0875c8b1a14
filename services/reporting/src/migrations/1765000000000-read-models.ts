import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The projections of the read models and the table of their state (docs/reporting.md). */
const PROJECTIONS = [
  ['service_records', 'service_record_facts'],
  ['problems', 'problem_facts'],
  ['known_errors', 'known_error_facts'],
  ['changes', 'change_facts'],
  ['sla_timers', 'sla_timer_facts'],
  ['cmdb', 'ci_facts'],
] as const;

export class ReadModels1765000000000 implements MigrationInterface {
  name = 'ReadModels1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reporting"."service_record_facts" ("record_id" uuid NOT NULL, "record_type" text, "number" text, "version" integer NOT NULL, "state" text, "priority" text, "impact" integer, "urgency" integer, "category" text, "subcategory" text, "catalog_item" text, "business_service_id" uuid, "ci_ids" uuid array NOT NULL DEFAULT '{}', "assignment_group" text, "assignee" text, "requester" text, "source" text, "major" boolean, "problem_id" uuid, "parent_id" uuid, "resolution_code" text, "opened_at" TIMESTAMP WITH TIME ZONE, "first_response_at" TIMESTAMP WITH TIME ZONE, "resolved_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "reopen_count" integer, "first_assigned_at" TIMESTAMP WITH TIME ZONE, "reassignment_versions" integer array NOT NULL DEFAULT '{}', "resolved_version" integer, "last_event_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_service_record_facts" PRIMARY KEY ("record_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_service_record_facts_type_opened" ON "reporting"."service_record_facts" ("record_type", "opened_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_service_record_facts_type_resolved" ON "reporting"."service_record_facts" ("record_type", "resolved_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_service_record_facts_group" ON "reporting"."service_record_facts" ("assignment_group")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_service_record_facts_service" ON "reporting"."service_record_facts" ("business_service_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."problem_facts" ("problem_id" uuid NOT NULL, "number" text, "version" integer NOT NULL, "state" text, "priority" text, "category" text, "business_service_id" uuid, "ci_ids" uuid array NOT NULL DEFAULT '{}', "assignment_group" text, "assignee" text, "opened_by" text, "source" text, "resolution_code" text, "duplicate_of_id" uuid, "change_ids" uuid array NOT NULL DEFAULT '{}', "incident_count" integer, "opened_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "root_cause_identified_at" TIMESTAMP WITH TIME ZONE, "resolved_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "reanalysis_count" integer, "last_event_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_problem_facts" PRIMARY KEY ("problem_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_problem_facts_opened" ON "reporting"."problem_facts" ("opened_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_problem_facts_service" ON "reporting"."problem_facts" ("business_service_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."known_error_facts" ("known_error_id" uuid NOT NULL, "number" text, "revision" integer NOT NULL, "category" text, "error_code" text, "ci_class" text, "vendor" text, "problem_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE, "valid_until" TIMESTAMP WITH TIME ZONE, "retired_at" TIMESTAMP WITH TIME ZONE, "last_event_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_known_error_facts" PRIMARY KEY ("known_error_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_known_error_facts_created" ON "reporting"."known_error_facts" ("created_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."change_facts" ("change_id" uuid NOT NULL, "number" text, "version" integer NOT NULL, "model" text, "state" text, "risk" text, "risk_source" text, "category" text, "impact" integer, "business_service_ids" uuid array NOT NULL DEFAULT '{}', "ci_ids" uuid array NOT NULL DEFAULT '{}', "assignment_group" text, "assignee" text, "requested_by" text, "close_code" text, "unauthorized" boolean, "template_id" uuid, "problem_ids" uuid array NOT NULL DEFAULT '{}', "caused_incident_ids" uuid array NOT NULL DEFAULT '{}', "opened_at" TIMESTAMP WITH TIME ZONE, "authorized_at" TIMESTAMP WITH TIME ZONE, "planned_start" TIMESTAMP WITH TIME ZONE, "planned_end" TIMESTAMP WITH TIME ZONE, "actual_start" TIMESTAMP WITH TIME ZONE, "actual_end" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "rejection_versions" integer array NOT NULL DEFAULT '{}', "rejection_count" integer NOT NULL, "last_event_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_change_facts" PRIMARY KEY ("change_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_change_facts_opened" ON "reporting"."change_facts" ("opened_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_change_facts_closed" ON "reporting"."change_facts" ("closed_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."sla_timer_facts" ("timer_id" uuid NOT NULL, "record_id" uuid, "record_type" text, "record_number" text, "sla_id" uuid, "sla_name" text, "sla_version" integer, "target" text, "state" text NOT NULL, "outcome" text, "started_at" TIMESTAMP WITH TIME ZONE, "due_at" TIMESTAMP WITH TIME ZONE, "breached_at" TIMESTAMP WITH TIME ZONE, "stopped_at" TIMESTAMP WITH TIME ZONE, "elapsed_ms" bigint NOT NULL, "version" integer NOT NULL, "last_event_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_sla_timer_facts" PRIMARY KEY ("timer_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_sla_timer_facts_record" ON "reporting"."sla_timer_facts" ("record_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_sla_timer_facts_started" ON "reporting"."sla_timer_facts" ("started_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."ci_facts" ("ci_id" uuid NOT NULL, "name" text, "class" text, "status" text, "environment" text, "owner_group" text, "restricted" boolean, "business_service" boolean, "criticality" integer, "created_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE, "retired_at" TIMESTAMP WITH TIME ZONE, "last_verified_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL, "last_event_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_ci_facts" PRIMARY KEY ("ci_id"))`,
    );
    await queryRunner.query(`CREATE INDEX "IX_ci_facts_class" ON "reporting"."ci_facts" ("class")`);
    await queryRunner.query(
      `CREATE TABLE "reporting"."projection_state" ("name" text NOT NULL, "version" integer NOT NULL, "table_name" text NOT NULL, "positions" jsonb NOT NULL DEFAULT '{}', "archive_sequence" bigint NOT NULL DEFAULT '0', "events_applied" bigint NOT NULL DEFAULT '0', "events_skipped" bigint NOT NULL DEFAULT '0', "status" text NOT NULL DEFAULT 'live', "rebuild" jsonb, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_projection_state" PRIMARY KEY ("name"))`,
    );
    // Events archived before the read models existed are not in them: version 0 says a
    // rebuild is due (docs/reporting.md); an empty archive leaves nothing to rebuild.
    await queryRunner.query(
      `INSERT INTO "reporting"."projection_state" (name, version, table_name)
       SELECT projection.name, CASE WHEN EXISTS (SELECT 1 FROM "reporting"."event_archive") THEN 0 ELSE 1 END,
              projection.table_name
         FROM jsonb_to_recordset($1::jsonb) AS projection(name text, table_name text)`,
      [JSON.stringify(PROJECTIONS.map(([name, table]) => ({ name, table_name: table })))],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "reporting"."projection_state"`);
    await queryRunner.query(`DROP TABLE "reporting"."ci_facts"`);
    await queryRunner.query(`DROP TABLE "reporting"."sla_timer_facts"`);
    await queryRunner.query(`DROP TABLE "reporting"."change_facts"`);
    await queryRunner.query(`DROP TABLE "reporting"."known_error_facts"`);
    await queryRunner.query(`DROP TABLE "reporting"."problem_facts"`);
    await queryRunner.query(`DROP TABLE "reporting"."service_record_facts"`);
  }
}
