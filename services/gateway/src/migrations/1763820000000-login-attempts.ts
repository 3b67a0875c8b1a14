import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class LoginAttempts1763820000000 implements MigrationInterface {
  name = 'LoginAttempts1763820000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "gateway"."login_attempt_counters" ("key" text NOT NULL, "failures" integer NOT NULL, "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "locked_until" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_login_attempt_counters" PRIMARY KEY ("key"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gateway"."login_attempt_counters"`);
  }
}
