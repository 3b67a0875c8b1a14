import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * From the million-incident benchmark (docs/benchmarks-incident.md): the two queue views a
 * desk opens all day (open work by priority, a group's open work) get an index each
 * instead of ANDing two large bitmaps; and the search document keeps statistics for far
 * more lexemes, so a rare word (an error code) is estimated as rare and found through the
 * GIN index instead of by walking the newest-first index through half the table.
 */
export class QueueIndexes1763910000000 implements MigrationInterface {
  name = 'QueueIndexes1763910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IX_records_state_priority_opened" ON "incident"."records" ("state", "priority", "opened_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_records_group_state_opened" ON "incident"."records" ("assignment_group", "state", "opened_at", "id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident"."records" ALTER COLUMN "search_document" SET STATISTICS 10000`,
    );
    await queryRunner.query(`ANALYZE "incident"."records"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "incident"."records" ALTER COLUMN "search_document" SET STATISTICS -1`,
    );
    await queryRunner.query(`DROP INDEX "incident"."IX_records_group_state_opened"`);
    await queryRunner.query(`DROP INDEX "incident"."IX_records_state_priority_opened"`);
  }
}
