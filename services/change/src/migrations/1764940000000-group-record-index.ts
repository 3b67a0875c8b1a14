import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An assignment group's record (its completed changes of the look-back: how many failed,
 * how many caused incidents) read from the index alone: without it the risk assessment
 * read every change a large group ever had (docs/benchmarks-change.md).
 */
export class GroupRecordIndex1764940000000 implements MigrationInterface {
  name = 'GroupRecordIndex1764940000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IX_changes_group_record" ON "change"."changes" ("assignment_group", "actual_end") INCLUDE ("close_code", "caused_incident_ids") WHERE "close_code" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "change"."IX_changes_group_record"`);
  }
}
