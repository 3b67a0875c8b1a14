import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The fact tables whose KPIs are rolled up by day (docs/adr/0022), each with the instants
 * its metrics are anchored on: a changed row changes the figures of the days of these
 * instants, before and after the change.
 */
export const MARKED_TABLES = {
  service_record_facts: [
    'opened_at',
    'first_response_at',
    'resolved_at',
    'closed_at',
    'cancelled_at',
  ],
  sla_timer_facts: ['breached_at', 'stopped_at'],
  problem_facts: [
    'opened_at',
    'root_cause_identified_at',
    'resolved_at',
    'closed_at',
    'cancelled_at',
  ],
  change_facts: ['opened_at', 'closed_at', 'cancelled_at'],
} as const;

/** Indexes that let a few days be recomputed without reading the whole table. */
const DAY_INDEXES: Record<string, readonly string[]> = {
  service_record_facts: ['first_response_at', 'resolved_at', 'closed_at', 'cancelled_at'],
  sla_timer_facts: ['breached_at', 'stopped_at'],
  problem_facts: ['root_cause_identified_at', 'resolved_at', 'closed_at', 'cancelled_at'],
  change_facts: ['cancelled_at'],
};

const markDays = (table: string, rows: string, columns: readonly string[]) => `
    INSERT INTO "reporting"."kpi_rollup_marks" ("fact_table", "utc_day")
    SELECT DISTINCT '${table}', (moment AT TIME ZONE 'UTC')::date
      FROM ${rows}, unnest(ARRAY[${columns.map((column) => `${rows}."${column}"`).join(', ')}]) AS moment
     WHERE moment IS NOT NULL;`;

/** An SLA timer is counted under its record's breakdowns: a record's change marks its timers' days. */
const markTimersOf = (rows: string) => `
    INSERT INTO "reporting"."kpi_rollup_marks" ("fact_table", "utc_day")
    SELECT DISTINCT 'sla_timer_facts', (moment AT TIME ZONE 'UTC')::date
      FROM "reporting"."sla_timer_facts" AS timer,
           unnest(ARRAY[timer."breached_at", timer."stopped_at"]) AS moment
     WHERE timer."record_id" IN (SELECT "record_id" FROM ${rows}) AND moment IS NOT NULL;`;

function markingFunction(table: keyof typeof MARKED_TABLES): string {
  const columns = MARKED_TABLES[table];
  const forRows = (rows: string) =>
    markDays(table, rows, columns) + (table === 'service_record_facts' ? markTimersOf(rows) : '');
  return `CREATE FUNCTION "reporting"."kpi_mark_${table}"() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN ${forRows('new_rows')}
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN ${forRows('old_rows')}
    END IF;
    RETURN NULL;
  END $$`;
}

function markingTriggers(table: string): string[] {
  const target = `"reporting"."${table}"`;
  const run = `FOR EACH STATEMENT EXECUTE FUNCTION "reporting"."kpi_mark_${table}"()`;
  return [
    `CREATE TRIGGER "kpi_mark_inserted" AFTER INSERT ON ${target} REFERENCING NEW TABLE AS new_rows ${run}`,
    `CREATE TRIGGER "kpi_mark_updated" AFTER UPDATE ON ${target} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows ${run}`,
    `CREATE TRIGGER "kpi_mark_deleted" AFTER DELETE ON ${target} REFERENCING OLD TABLE AS old_rows ${run}`,
  ];
}

export class KpiDailyRollups1765700000000 implements MigrationInterface {
  name = 'KpiDailyRollups1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reporting"."kpi_daily_rollups" ("metric" text NOT NULL, "day" date NOT NULL, "dimension" text NOT NULL, "key" text, "count" integer NOT NULL, "numerator" integer, "measured" integer, "sum_seconds" double precision, "p50" double precision, "p90" double precision, "delta" integer, "histogram_buckets" integer array, "histogram_counts" integer array)`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_kpi_daily_rollups_metric_dimension_day" ON "reporting"."kpi_daily_rollups" ("metric", "dimension", "day")`,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."kpi_rollup_marks" ("id" BIGSERIAL NOT NULL, "fact_table" text NOT NULL, "utc_day" date, CONSTRAINT "PK_kpi_rollup_marks" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_kpi_rollup_marks_table_day" ON "reporting"."kpi_rollup_marks" ("fact_table", "utc_day")`,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."kpi_rollup_state" ("id" integer NOT NULL, "time_zone" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_kpi_rollup_state" PRIMARY KEY ("id"), CONSTRAINT "CHK_kpi_rollup_state_single" CHECK ("id" = 1))`,
    );
    for (const [table, columns] of Object.entries(DAY_INDEXES))
      for (const column of columns)
        await queryRunner.query(
          `CREATE INDEX "IX_${table}_${column}" ON "reporting"."${table}" ("${column}")`,
        );
    for (const table of Object.keys(MARKED_TABLES) as (keyof typeof MARKED_TABLES)[]) {
      await queryRunner.query(markingFunction(table));
      for (const statement of markingTriggers(table)) await queryRunner.query(statement);
      // Whatever the tables already hold is rolled up by the first rounds.
      await queryRunner.query(
        `INSERT INTO "reporting"."kpi_rollup_marks" ("fact_table", "utc_day") VALUES ($1, NULL)`,
        [table],
      );
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of Object.keys(MARKED_TABLES)) {
      for (const trigger of ['kpi_mark_inserted', 'kpi_mark_updated', 'kpi_mark_deleted'])
        await queryRunner.query(`DROP TRIGGER "${trigger}" ON "reporting"."${table}"`);
      await queryRunner.query(`DROP FUNCTION "reporting"."kpi_mark_${table}"()`);
    }
    for (const [table, columns] of Object.entries(DAY_INDEXES))
      for (const column of columns)
        await queryRunner.query(`DROP INDEX "reporting"."IX_${table}_${column}"`);
    await queryRunner.query(`DROP TABLE "reporting"."kpi_rollup_state"`);
    await queryRunner.query(`DROP TABLE "reporting"."kpi_rollup_marks"`);
    await queryRunner.query(`DROP TABLE "reporting"."kpi_daily_rollups"`);
  }
}
