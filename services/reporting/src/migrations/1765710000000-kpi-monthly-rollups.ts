import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Month rows beside the daily rollups (docs/adr/0022): a year's total or a series by month
 * merges twelve histograms per breakdown value instead of 365.
 */
export class KpiMonthlyRollups1765710000000 implements MigrationInterface {
  name = 'KpiMonthlyRollups1765710000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reporting"."kpi_monthly_rollups" ("metric" text NOT NULL, "month" date NOT NULL, "dimension" text NOT NULL, "key" text, "count" integer NOT NULL, "numerator" integer, "measured" integer, "sum_seconds" double precision, "histogram_buckets" integer array, "histogram_counts" integer array)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_kpi_monthly_rollups_metric_dimension_month" ON "reporting"."kpi_monthly_rollups" ("metric", "dimension", "month")`,
    );
    // The months of the days already rolled up are filled by recomputing every day.
    await queryRunner.query(
      `INSERT INTO "reporting"."kpi_rollup_marks" ("fact_table", "utc_day")
       SELECT unnest(ARRAY['service_record_facts', 'sla_timer_facts', 'problem_facts', 'change_facts']), NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "reporting"."kpi_monthly_rollups"`);
  }
}
