import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Each record's ownership, so that timers are shown only to those who may see their record
 * (docs/slm.md). Records known before it get their group from their latest timer (open
 * timers follow the record's group) and their requester and assignee with their next event.
 */
export class RecordOwnership1764800000000 implements MigrationInterface {
  name = 'RecordOwnership1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "slm"."sla_records" ADD "requester" text, ADD "assignment_group" text, ADD "assignee" text`,
    );
    await queryRunner.query(
      `UPDATE "slm"."sla_records" AS record SET assignment_group = latest.assignment_group
         FROM (SELECT DISTINCT ON (record_id) record_id, assignment_group FROM "slm"."sla_timers"
                ORDER BY record_id, updated_at DESC) AS latest
        WHERE latest.record_id = record.record_id`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "slm"."sla_records" DROP COLUMN "requester", DROP COLUMN "assignment_group", DROP COLUMN "assignee"`,
    );
  }
}
