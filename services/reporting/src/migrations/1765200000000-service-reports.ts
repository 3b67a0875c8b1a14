import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Service reports (docs/reporting.md, "Service reports and scheduled reports"): the notes
 * and agreed actions of a service review, the report schedules, and the reports they
 * produced, which a trigger keeps as first stored.
 */
export class ServiceReports1765200000000 implements MigrationInterface {
  name = 'ServiceReports1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reporting"."service_report_notes" ("service_id" uuid NOT NULL, "period" text NOT NULL, "text" text NOT NULL, "updated_by" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_service_report_notes" PRIMARY KEY ("service_id", "period"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."service_report_actions" ("id" uuid NOT NULL, "service_id" uuid NOT NULL, "period" text NOT NULL, "description" text NOT NULL, "owner" text, "due_date" date, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_service_report_actions" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_service_report_actions_service_period" ON "reporting"."service_report_actions" ("service_id", "period", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."report_schedules" ("id" uuid NOT NULL, "service_id" uuid NOT NULL, "period_kind" text NOT NULL, "time_zone" text NOT NULL, "format" text NOT NULL, "recipients" jsonb NOT NULL, "enabled" boolean NOT NULL, "version" integer NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_report_schedules" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_report_schedules_service" ON "reporting"."report_schedules" ("service_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."produced_reports" ("id" uuid NOT NULL, "schedule_id" uuid NOT NULL, "service_id" uuid NOT NULL, "period" text NOT NULL, "time_zone" text NOT NULL, "version" integer NOT NULL, "format" text NOT NULL, "media_type" text NOT NULL, "content" bytea NOT NULL, "sha256" text NOT NULL, "figures" jsonb NOT NULL, "archive_sequence" bigint NOT NULL, "generated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "generated_by" text NOT NULL, "reason" text, "differences" jsonb, "recipients" jsonb NOT NULL, CONSTRAINT "UQ_produced_reports_schedule_period_version" UNIQUE ("schedule_id", "period", "version"), CONSTRAINT "PK_produced_reports" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_produced_reports_schedule_generated" ON "reporting"."produced_reports" ("schedule_id", "generated_at") `,
    );
    // A stored report is evidence: not even the service's own role may rewrite or remove it.
    await queryRunner.query(
      `CREATE FUNCTION "reporting"."refuse_produced_report_change"() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'produced reports are immutable: % refused', TG_OP USING ERRCODE = 'integrity_constraint_violation';
       END $$`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "produced_reports_immutable" BEFORE UPDATE OR DELETE ON "reporting"."produced_reports"
       FOR EACH ROW EXECUTE FUNCTION "reporting"."refuse_produced_report_change"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "produced_reports_no_truncate" BEFORE TRUNCATE ON "reporting"."produced_reports"
       FOR EACH STATEMENT EXECUTE FUNCTION "reporting"."refuse_produced_report_change"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "reporting"."produced_reports"`);
    await queryRunner.query(`DROP FUNCTION "reporting"."refuse_produced_report_change"()`);
    await queryRunner.query(`DROP TABLE "reporting"."report_schedules"`);
    await queryRunner.query(`DROP TABLE "reporting"."service_report_actions"`);
    await queryRunner.query(`DROP TABLE "reporting"."service_report_notes"`);
  }
}
