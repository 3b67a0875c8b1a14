import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The problem an incident is linked to (issue 16), kept from the problem service's
 * `incidents_linked`/`incidents_unlinked` events; a partial index for the reactions that
 * find a problem's incidents and for `?problemId=` lists (most incidents have none).
 */
export class ProblemLink1764000000000 implements MigrationInterface {
  name = 'ProblemLink1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "incident"."records" ADD COLUMN "problem_id" uuid`);
    await queryRunner.query(
      `CREATE INDEX "IX_records_problem" ON "incident"."records" ("problem_id") WHERE "problem_id" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "incident"."IX_records_problem"`);
    await queryRunner.query(`ALTER TABLE "incident"."records" DROP COLUMN "problem_id"`);
  }
}
