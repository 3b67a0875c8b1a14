import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Recurring CAB meetings, the decisions each meeting recorded, and the pending rounds their agendas read. */
export class CabMeetings1764930000000 implements MigrationInterface {
  name = 'CabMeetings1764930000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "change"."cab_meetings" ("id" uuid NOT NULL, "name" text NOT NULL, "recurrence" text NOT NULL, "first_start" text NOT NULL, "time_zone" text NOT NULL, "duration_minutes" integer NOT NULL, "approver_group" text NOT NULL, "agenda_look_ahead_days" integer NOT NULL, "active" boolean NOT NULL, "retired_at" TIMESTAMP WITH TIME ZONE, "retired_by" text, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL, CONSTRAINT "PK_cab_meetings" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_cab_meetings_name" ON "change"."cab_meetings" ("name", "id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "change"."cab_decisions" ("meeting_id" uuid NOT NULL, "meeting_start" TIMESTAMP WITH TIME ZONE NOT NULL, "change_id" uuid NOT NULL, "change_number" text NOT NULL, "approval_round" integer NOT NULL, "decision" text NOT NULL, "comment" text, "recorded_by" text NOT NULL, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_cab_decisions" PRIMARY KEY ("meeting_id", "meeting_start", "change_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_approval_rounds_pending" ON "change"."approval_rounds" ("change_id") WHERE "outcome" = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "change"."IX_approval_rounds_pending"`);
    await queryRunner.query(`DROP TABLE "change"."cab_decisions"`);
    await queryRunner.query(`DROP TABLE "change"."cab_meetings"`);
  }
}
