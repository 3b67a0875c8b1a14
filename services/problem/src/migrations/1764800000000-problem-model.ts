import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Problem management (issue 16): problems with their incident links, journal and field
 * history, problem tasks, known errors, the copy of incidents the candidate rules and
 * links read, the number sequences, and the indexes the lists and searches need.
 */
export class ProblemModel1764800000000 implements MigrationInterface {
  name = 'ProblemModel1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "problem"."incident_copies" ("id" uuid NOT NULL, "number" text NOT NULL, "title" text NOT NULL, "description" text NOT NULL, "state" text NOT NULL, "requester" text NOT NULL, "assignment_group" text, "assignee" text, "category" text, "subcategory" text, "business_service_id" uuid, "ci_ids" uuid array NOT NULL DEFAULT '{}', "impact" smallint NOT NULL, "urgency" smallint NOT NULL, "major" boolean NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL, CONSTRAINT "PK_incident_copies" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IX_incident_copies_opened" ON "problem"."incident_copies" ("opened_at")`,
      `CREATE INDEX "IX_incident_copies_service_category_opened" ON "problem"."incident_copies" ("business_service_id", "category", "opened_at")`,
      `CREATE TABLE "problem"."known_errors" ("id" uuid NOT NULL, "number" text NOT NULL, "title" text NOT NULL, "symptom" text NOT NULL, "root_cause" text, "workaround" text, "solution" text, "error_code" text, "category" text, "ci_ids" uuid array NOT NULL DEFAULT '{}', "ci_class" text, "vendor" text, "model" text, "version" text, "problem_id" uuid, "valid_until" TIMESTAMP WITH TIME ZONE, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revision" integer NOT NULL, "search_document" tsvector, CONSTRAINT "PK_known_errors" PRIMARY KEY ("id"))`,
      `CREATE UNIQUE INDEX "UQ_known_errors_number" ON "problem"."known_errors" ("number")`,
      `CREATE INDEX "IX_known_errors_problem" ON "problem"."known_errors" ("problem_id") WHERE "problem_id" IS NOT NULL`,
      `CREATE INDEX "IX_known_errors_category" ON "problem"."known_errors" ("category") WHERE "category" IS NOT NULL`,
      `CREATE INDEX "IX_known_errors_ci_class" ON "problem"."known_errors" ("ci_class") WHERE "ci_class" IS NOT NULL`,
      `CREATE INDEX "IX_known_errors_error_code" ON "problem"."known_errors" ("error_code") WHERE "error_code" IS NOT NULL`,
      `CREATE INDEX "IX_known_errors_created" ON "problem"."known_errors" ("created_at", "id")`,
      `CREATE TABLE "problem"."record_history" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "record_id" uuid NOT NULL, "field" text NOT NULL, "old_value" jsonb, "new_value" jsonb, "actor" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_record_history" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IX_record_history_record" ON "problem"."record_history" ("record_id", "id")`,
      `CREATE TABLE "problem"."problem_incidents" ("incident_id" uuid NOT NULL, "problem_id" uuid NOT NULL, "linked_by" text NOT NULL, "linked_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_problem_incidents" PRIMARY KEY ("incident_id"))`,
      `CREATE INDEX "IX_problem_incidents_problem" ON "problem"."problem_incidents" ("problem_id", "incident_id")`,
      `CREATE TABLE "problem"."journal_entries" ("id" uuid NOT NULL, "record_id" uuid NOT NULL, "kind" text NOT NULL, "text" text NOT NULL, "author" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_journal_entries" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IX_journal_entries_record" ON "problem"."journal_entries" ("record_id", "at", "id")`,
      `CREATE TABLE "problem"."problems" ("id" uuid NOT NULL, "number" text NOT NULL, "title" text NOT NULL, "description" text NOT NULL, "category" text, "subcategory" text, "business_service_id" uuid, "ci_ids" uuid array NOT NULL DEFAULT '{}', "impact" smallint NOT NULL, "urgency" smallint NOT NULL, "priority" text NOT NULL, "priority_override_reason" text, "state" text NOT NULL, "source" text NOT NULL, "candidate_reason" text, "candidate_key" text, "assignment_group" text, "assignee" text, "opened_by" text NOT NULL, "cause_notes" text, "fix_notes" text, "workaround" text, "resolution_code" text, "resolution_notes" text, "duplicate_of_id" uuid, "change_ids" uuid array NOT NULL DEFAULT '{}', "incident_count" integer NOT NULL DEFAULT '0', "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "confirmed_at" TIMESTAMP WITH TIME ZONE, "confirmed_by" text, "root_cause_identified_at" TIMESTAMP WITH TIME ZONE, "root_cause_identified_by" text, "resolved_at" TIMESTAMP WITH TIME ZONE, "resolved_by" text, "closed_at" TIMESTAMP WITH TIME ZONE, "closed_by" text, "reanalysis_count" integer NOT NULL DEFAULT '0', "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL, "search_document" tsvector, CONSTRAINT "PK_problems" PRIMARY KEY ("id"))`,
      `CREATE UNIQUE INDEX "UQ_problems_number" ON "problem"."problems" ("number")`,
      `CREATE INDEX "IX_problems_duplicate_of" ON "problem"."problems" ("duplicate_of_id") WHERE "duplicate_of_id" IS NOT NULL`,
      `CREATE INDEX "IX_problems_candidate_key" ON "problem"."problems" ("candidate_key") WHERE "candidate_key" IS NOT NULL`,
      `CREATE INDEX "IX_problems_service_opened" ON "problem"."problems" ("business_service_id", "opened_at", "id")`,
      `CREATE INDEX "IX_problems_category_opened" ON "problem"."problems" ("category", "opened_at", "id")`,
      `CREATE INDEX "IX_problems_source_opened" ON "problem"."problems" ("source", "opened_at", "id")`,
      `CREATE INDEX "IX_problems_assignee_opened" ON "problem"."problems" ("assignee", "opened_at", "id")`,
      `CREATE INDEX "IX_problems_group_opened" ON "problem"."problems" ("assignment_group", "opened_at", "id")`,
      `CREATE INDEX "IX_problems_priority_opened" ON "problem"."problems" ("priority", "opened_at", "id")`,
      `CREATE INDEX "IX_problems_state_opened" ON "problem"."problems" ("state", "opened_at", "id")`,
      `CREATE INDEX "IX_problems_updated" ON "problem"."problems" ("updated_at", "id")`,
      `CREATE INDEX "IX_problems_opened" ON "problem"."problems" ("opened_at", "id")`,
      `CREATE TABLE "problem"."problem_tasks" ("id" uuid NOT NULL, "number" text NOT NULL, "problem_id" uuid NOT NULL, "type" text NOT NULL, "title" text NOT NULL, "description" text NOT NULL, "state" text NOT NULL, "assignment_group" text, "assignee" text, "close_notes" text, "opened_by" text NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL, CONSTRAINT "PK_problem_tasks" PRIMARY KEY ("id"))`,
      `CREATE UNIQUE INDEX "UQ_problem_tasks_number" ON "problem"."problem_tasks" ("number")`,
      `CREATE INDEX "IX_problem_tasks_problem" ON "problem"."problem_tasks" ("problem_id", "opened_at", "id")`,
      // TypeORM cannot describe GIN indexes; the entities name them so the drift check leaves them be.
      `CREATE INDEX "IX_problems_ci_ids" ON "problem"."problems" USING gin ("ci_ids")`,
      `CREATE INDEX "IX_problems_change_ids" ON "problem"."problems" USING gin ("change_ids")`,
      `CREATE INDEX "IX_problems_search" ON "problem"."problems" USING gin ("search_document")`,
      `CREATE INDEX "IX_known_errors_ci_ids" ON "problem"."known_errors" USING gin ("ci_ids")`,
      `CREATE INDEX "IX_known_errors_search" ON "problem"."known_errors" USING gin ("search_document")`,
      `CREATE INDEX "IX_incident_copies_ci_ids" ON "problem"."incident_copies" USING gin ("ci_ids")`,
      `CREATE SEQUENCE "problem"."problem_number_seq" START WITH 1 NO CYCLE`,
      `CREATE SEQUENCE "problem"."problem_task_number_seq" START WITH 1 NO CYCLE`,
      `CREATE SEQUENCE "problem"."known_error_number_seq" START WITH 1 NO CYCLE`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const sequence of [
      'known_error_number_seq',
      'problem_task_number_seq',
      'problem_number_seq',
    ]) {
      await queryRunner.query(`DROP SEQUENCE "problem"."${sequence}"`);
    }
    for (const table of [
      'incident_copies',
      'known_errors',
      'problem_tasks',
      'record_history',
      'journal_entries',
      'problem_incidents',
      'problems',
    ]) {
      await queryRunner.query(`DROP TABLE "problem"."${table}"`);
    }
  }
}
