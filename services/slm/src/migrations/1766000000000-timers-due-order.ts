import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The breaching-soon list (`sort=dueAt`) reads timers in due order from an index. */
export class TimersDueOrder1766000000000 implements MigrationInterface {
  name = 'TimersDueOrder1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IX_sla_timers_due_at" ON "slm"."sla_timers" ("due_at", "id") WHERE due_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "slm"."IX_sla_timers_due_at"`);
  }
}
