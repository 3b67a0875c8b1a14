import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Calendars (with the built-in 24x7), versioned SLA definitions, the records followed and their timers. */
export class ServiceLevels1763800000000 implements MigrationInterface {
  name = 'ServiceLevels1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "slm"."business_calendars" ("id" uuid NOT NULL, "name" text NOT NULL, "description" text NOT NULL DEFAULT '', "time_zone" text NOT NULL, "working_hours" jsonb NOT NULL, "holidays" jsonb NOT NULL DEFAULT '[]', "built_in" boolean NOT NULL DEFAULT false, "version" integer NOT NULL DEFAULT '1', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_business_calendars_name" UNIQUE ("name"), CONSTRAINT "PK_business_calendars" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "slm"."sla_definitions" ("id" uuid NOT NULL, "version" integer NOT NULL, "name" text NOT NULL, "description" text NOT NULL DEFAULT '', "kind" text NOT NULL, "target" text NOT NULL, "record_type" text NOT NULL, "priorities" text array NOT NULL DEFAULT '{}', "business_service_id" uuid, "category" text, "assignment_group" text, "duration" text NOT NULL, "duration_ms" bigint NOT NULL, "calendar_id" uuid NOT NULL, "pause_states" text array NOT NULL, "warning_thresholds" integer array NOT NULL, "start_states" text array NOT NULL, "stop_states" text array NOT NULL, "stop_on_first_response" boolean NOT NULL, "cancel_states" text array NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "superseded_at" TIMESTAMP WITH TIME ZONE, "active" boolean NOT NULL DEFAULT true, CONSTRAINT "PK_sla_definitions" PRIMARY KEY ("id", "version"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_sla_definitions_current" ON "slm"."sla_definitions" ("record_type") WHERE superseded_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "slm"."sla_records" ("record_id" uuid NOT NULL, "record_type" text NOT NULL, "number" text NOT NULL, "priority" text NOT NULL, "state" text NOT NULL, "reopen_count" integer NOT NULL, "record_version" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_sla_records" PRIMARY KEY ("record_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "slm"."sla_timers" ("id" uuid NOT NULL, "record_id" uuid NOT NULL, "record_type" text NOT NULL, "record_number" text NOT NULL, "business_service_id" uuid, "assignment_group" text, "sla_id" uuid NOT NULL, "sla_version" integer NOT NULL, "sla_name" text NOT NULL, "kind" text NOT NULL, "target" text NOT NULL, "state" text NOT NULL, "calendar_id" uuid NOT NULL, "duration_ms" bigint NOT NULL, "warning_thresholds" integer array NOT NULL, "warnings_fired" integer NOT NULL DEFAULT '0', "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "elapsed_ms" bigint NOT NULL, "running_since" TIMESTAMP WITH TIME ZONE, "due_at" TIMESTAMP WITH TIME ZONE, "next_fire_at" TIMESTAMP WITH TIME ZONE, "breached_at" TIMESTAMP WITH TIME ZONE, "stopped_at" TIMESTAMP WITH TIME ZONE, "pause_reason" text, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "UQ_sla_timers_record_sla" UNIQUE ("record_id", "sla_id"), CONSTRAINT "PK_sla_timers" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_sla_timers_started_at" ON "slm"."sla_timers" ("started_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_sla_timers_next_fire_at" ON "slm"."sla_timers" ("next_fire_at") WHERE next_fire_at IS NOT NULL`,
    );
    await queryRunner.query(
      `INSERT INTO "slm"."business_calendars" ("id", "name", "description", "time_zone", "working_hours", "built_in")
       VALUES ($1, '24x7', 'Every minute of every day: the default calendar.', 'UTC', $2::jsonb, true)`,
      [
        '0b8f0a52-247a-4c57-9d3e-000000024007',
        JSON.stringify(
          Object.fromEntries(
            ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map(
              (day) => [day, [{ start: '00:00', end: '24:00' }]],
            ),
          ),
        ),
      ],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "slm"."sla_timers"`);
    await queryRunner.query(`DROP TABLE "slm"."sla_records"`);
    await queryRunner.query(`DROP TABLE "slm"."sla_definitions"`);
    await queryRunner.query(`DROP TABLE "slm"."business_calendars"`);
  }
}
