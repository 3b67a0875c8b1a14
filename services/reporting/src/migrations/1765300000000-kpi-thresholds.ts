import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** KPI thresholds and where each stood per period (docs/reporting.md, "Thresholds"). */
export class KpiThresholds1765300000000 implements MigrationInterface {
  name = 'KpiThresholds1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reporting"."kpi_thresholds" ("id" uuid NOT NULL, "name" text NOT NULL, "metric" text NOT NULL, "filters" jsonb NOT NULL DEFAULT '{}', "statistic" text NOT NULL, "comparison" text NOT NULL, "limit_value" double precision NOT NULL, "interval" text NOT NULL, "timezone" text NOT NULL, "notify_groups" text array NOT NULL DEFAULT '{}', "enabled" boolean NOT NULL DEFAULT true, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "version" integer NOT NULL, CONSTRAINT "PK_kpi_thresholds" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."kpi_threshold_periods" ("threshold_id" uuid NOT NULL, "period_start" TIMESTAMP WITH TIME ZONE NOT NULL, "period_end" TIMESTAMP WITH TIME ZONE NOT NULL, "side" text NOT NULL, "value" double precision NOT NULL, "crossings" integer NOT NULL DEFAULT 0, "evaluated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_kpi_threshold_periods" PRIMARY KEY ("threshold_id", "period_start"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "reporting"."kpi_threshold_periods"`);
    await queryRunner.query(`DROP TABLE "reporting"."kpi_thresholds"`);
  }
}
