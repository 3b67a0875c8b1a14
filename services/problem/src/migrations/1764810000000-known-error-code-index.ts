import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The known-error search matches error codes case-insensitively (`lower(error_code)`),
 * which an index on the column itself cannot serve: a rare code walked every known error
 * (docs/benchmarks-problem.md). The index is on the expression the query compares.
 */
export class KnownErrorCodeIndex1764810000000 implements MigrationInterface {
  name = 'KnownErrorCodeIndex1764810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "problem"."IX_known_errors_error_code"`);
    await queryRunner.query(
      `CREATE INDEX "IX_known_errors_error_code" ON "problem"."known_errors" (lower("error_code")) WHERE "error_code" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "problem"."IX_known_errors_error_code"`);
    await queryRunner.query(
      `CREATE INDEX "IX_known_errors_error_code" ON "problem"."known_errors" ("error_code") WHERE "error_code" IS NOT NULL`,
    );
  }
}
