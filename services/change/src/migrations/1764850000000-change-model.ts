import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Change enablement (issue 17): changes with their journal and field history, the number
 * sequence, and the indexes the lists, the schedule, conflict detection, pipelines and
 * search need.
 */
export class ChangeModel1764850000000 implements MigrationInterface {
  name = 'ChangeModel1764850000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "change"."record_history" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "record_id" uuid NOT NULL, "field" text NOT NULL, "old_value" jsonb, "new_value" jsonb, "actor" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_record_history" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IX_record_history_record" ON "change"."record_history" ("record_id", "id")`,
      `CREATE TABLE "change"."journal_entries" ("id" uuid NOT NULL, "record_id" uuid NOT NULL, "kind" text NOT NULL, "text" text NOT NULL, "author" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_journal_entries" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IX_journal_entries_record" ON "change"."journal_entries" ("record_id", "at", "id")`,
      `CREATE TABLE "change"."changes" ("id" uuid NOT NULL, "number" text NOT NULL, "title" text NOT NULL, "description" text NOT NULL, "justification" text, "model" text NOT NULL, "template_id" uuid, "template_version" integer, "category" text, "impact" smallint NOT NULL, "risk" text NOT NULL, "risk_source" text, "risk_reasons" text array NOT NULL DEFAULT '{}', "risk_assessed_at" TIMESTAMP WITH TIME ZONE, "state" text NOT NULL, "approval" text NOT NULL, "on_hold" boolean NOT NULL DEFAULT false, "hold_reason" text, "planned_start" TIMESTAMP WITH TIME ZONE, "planned_end" TIMESTAMP WITH TIME ZONE, "actual_start" TIMESTAMP WITH TIME ZONE, "actual_end" TIMESTAMP WITH TIME ZONE, "implementation_plan" text, "backout_plan" text, "test_plan" text, "ci_ids" uuid array NOT NULL DEFAULT '{}', "business_service_ids" uuid array NOT NULL DEFAULT '{}', "assignment_group" text, "assignee" text, "requested_by" text NOT NULL, "problem_ids" uuid array NOT NULL DEFAULT '{}', "incident_ids" uuid array NOT NULL DEFAULT '{}', "caused_incident_ids" uuid array NOT NULL DEFAULT '{}', "close_code" text, "close_notes" text, "review_notes" text, "unauthorized" boolean NOT NULL DEFAULT false, "blackout_override_reason" text, "external_ref" jsonb, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "authorized_at" TIMESTAMP WITH TIME ZONE, "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL, CONSTRAINT "PK_changes" PRIMARY KEY ("id"))`,
      `CREATE UNIQUE INDEX "UQ_changes_number" ON "change"."changes" ("number")`,
      `CREATE INDEX "IX_changes_assignee_opened" ON "change"."changes" ("assignee", "opened_at", "id")`,
      `CREATE INDEX "IX_changes_group_opened" ON "change"."changes" ("assignment_group", "opened_at", "id")`,
      `CREATE INDEX "IX_changes_model_opened" ON "change"."changes" ("model", "opened_at", "id")`,
      `CREATE INDEX "IX_changes_state_opened" ON "change"."changes" ("state", "opened_at", "id")`,
      `CREATE INDEX "IX_changes_planned_start" ON "change"."changes" ("planned_start", "id")`,
      `CREATE INDEX "IX_changes_updated" ON "change"."changes" ("updated_at", "id")`,
      `CREATE INDEX "IX_changes_opened" ON "change"."changes" ("opened_at", "id")`,
      // TypeORM cannot describe these; the entity names them so the drift check leaves them be.
      `CREATE INDEX "IX_changes_planned_window" ON "change"."changes" USING gist (tstzrange("planned_start", "planned_end")) WHERE "planned_start" IS NOT NULL`,
      `CREATE INDEX "IX_changes_ci_ids" ON "change"."changes" USING gin ("ci_ids")`,
      `CREATE UNIQUE INDEX "UQ_changes_external_ref" ON "change"."changes" (("external_ref"->>'provider'), ("external_ref"->>'pipeline'), ("external_ref"->>'run'), ("external_ref"->>'environment')) WHERE "external_ref" IS NOT NULL`,
      `CREATE INDEX "IX_changes_search" ON "change"."changes" USING gin ((setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, description || ' ' || coalesce(justification, '') || ' ' || coalesce(implementation_plan, '')), 'B')))`,
      `CREATE SEQUENCE "change"."change_number_seq" START WITH 1 NO CYCLE`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE "change"."change_number_seq"`);
    for (const table of ['changes', 'journal_entries', 'record_history']) {
      await queryRunner.query(`DROP TABLE "change"."${table}"`);
    }
  }
}
