import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The freeze holding a change, so that lifting it releases exactly the changes it held. */
export class HeldByWindow1764920000000 implements MigrationInterface {
  name = 'HeldByWindow1764920000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "change"."changes" ADD "held_by_window_id" uuid`);
    await queryRunner.query(
      `CREATE INDEX "IX_changes_held_by_window" ON "change"."changes" ("held_by_window_id") WHERE "held_by_window_id" IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "change"."IX_changes_held_by_window"`);
    await queryRunner.query(`ALTER TABLE "change"."changes" DROP COLUMN "held_by_window_id"`);
  }
}
