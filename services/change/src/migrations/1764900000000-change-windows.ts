import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Change windows (issue 17): maintenance windows, blackouts and freezes with their first
 * occurrence, recurrence, time zone and scope, and the indexes the list reads by.
 */
export class ChangeWindows1764900000000 implements MigrationInterface {
  name = 'ChangeWindows1764900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const statements = [
      `CREATE TABLE "change"."change_windows" ("id" uuid NOT NULL, "name" text NOT NULL, "kind" text NOT NULL, "description" text NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "recurrence" text, "time_zone" text, "last_ends_at" TIMESTAMP WITH TIME ZONE, "ci_ids" uuid array NOT NULL DEFAULT '{}', "business_service_ids" uuid array NOT NULL DEFAULT '{}', "ci_classes" text array NOT NULL DEFAULT '{}', "active" boolean NOT NULL, "in_force" boolean NOT NULL DEFAULT false, "enforced_at" TIMESTAMP WITH TIME ZONE, "enforced_by" text, "lifted_at" TIMESTAMP WITH TIME ZONE, "lifted_by" text, "retired_at" TIMESTAMP WITH TIME ZONE, "retired_by" text, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL, CONSTRAINT "PK_change_windows" PRIMARY KEY ("id"))`,
      `CREATE INDEX "IX_change_windows_kind_start" ON "change"."change_windows" ("kind", "starts_at", "id")`,
      `CREATE INDEX "IX_change_windows_start" ON "change"."change_windows" ("starts_at", "id")`,
    ];
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "change"."change_windows"`);
  }
}
