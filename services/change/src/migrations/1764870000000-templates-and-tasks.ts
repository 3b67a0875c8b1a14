import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Standard change templates with their versions, and change tasks with their number
 * sequence (issue 17, items 2 and 6).
 */
export class TemplatesAndTasks1764870000000 implements MigrationInterface {
  name = 'TemplatesAndTasks1764870000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "change"."change_templates" ("id" uuid NOT NULL, "name" text NOT NULL, "description" text NOT NULL, "state" text NOT NULL, "published_version" integer, "draft_version" integer, "latest_version" integer NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "revision" integer NOT NULL, CONSTRAINT "PK_change_templates" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IX_change_templates_state_name" ON "change"."change_templates" ("state", "name", "id")`,
      `CREATE INDEX "IX_change_templates_name" ON "change"."change_templates" ("name", "id")`,
      `CREATE TABLE "change"."change_template_versions" ("template_id" uuid NOT NULL, "version" integer NOT NULL, "state" text NOT NULL, "name" text NOT NULL, "description" text NOT NULL, "change_title" text NOT NULL, "change_description" text NOT NULL, "category" text, "implementation_plan" text, "backout_plan" text, "test_plan" text, "impact" smallint NOT NULL, "risk" text NOT NULL, "assignment_group" text, "tasks" jsonb NOT NULL DEFAULT '[]', "authors" text array NOT NULL DEFAULT '{}', "proposed_by" text NOT NULL, "proposed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "approved_by" text, "approved_at" TIMESTAMP WITH TIME ZONE, "published_by" text, "published_at" TIMESTAMP WITH TIME ZONE, "retired_by" text, "retired_at" TIMESTAMP WITH TIME ZONE, "superseded_by" integer, "state_reason" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_change_template_versions" PRIMARY KEY ("template_id", "version"))`,
      `CREATE TABLE "change"."change_tasks" ("id" uuid NOT NULL, "number" text NOT NULL, "change_id" uuid NOT NULL, "type" text NOT NULL, "title" text NOT NULL, "description" text NOT NULL, "state" text NOT NULL, "assignment_group" text, "assignee" text, "planned_start" TIMESTAMP WITH TIME ZONE, "planned_end" TIMESTAMP WITH TIME ZONE, "close_notes" text, "opened_by" text NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL, CONSTRAINT "PK_change_tasks" PRIMARY KEY ("id"))`,
      `CREATE UNIQUE INDEX "UQ_change_tasks_number" ON "change"."change_tasks" ("number")`,
      `CREATE INDEX "IX_change_tasks_change" ON "change"."change_tasks" ("change_id", "number")`,
      `CREATE SEQUENCE "change"."change_task_number_seq" START WITH 1 NO CYCLE`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE "change"."change_task_number_seq"`);
    for (const table of ['change_tasks', 'change_template_versions', 'change_templates']) {
      await queryRunner.query(`DROP TABLE "change"."${table}"`);
    }
  }
}
