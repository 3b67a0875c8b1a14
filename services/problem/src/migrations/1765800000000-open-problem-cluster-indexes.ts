import { type MigrationInterface, type QueryRunner } from 'typeorm';

const OPEN = `"state" IN ('new', 'assess', 'root_cause_analysis', 'fix_in_progress')`;

/**
 * The candidate rules ask, for every cluster of a run of incident events, which open
 * problem names its CI or its service and category. Over all problems those are a GIN probe
 * ANDed with the 14 % of problems that are open, or two large bitmaps ANDed (1.8 ms a
 * cluster at 100,000 problems); over the open problems alone each is a probe of a few rows
 * (docs/benchmarks-problem.md).
 */
export class OpenProblemClusterIndexes1765800000000 implements MigrationInterface {
  name = 'OpenProblemClusterIndexes1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IX_problems_open_ci_ids" ON "problem"."problems" USING gin ("ci_ids") WHERE ${OPEN}`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_problems_open_service_category" ON "problem"."problems" ("business_service_id", "category", "opened_at") WHERE ${OPEN}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "problem"."IX_problems_open_service_category"`);
    await queryRunner.query(`DROP INDEX "problem"."IX_problems_open_ci_ids"`);
  }
}
