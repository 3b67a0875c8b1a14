import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Approval rounds of changes: the requirement each round fixed, and its decisions. */
export class ApprovalRounds1764860000000 implements MigrationInterface {
  name = 'ApprovalRounds1764860000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "change"."approval_rounds" ("change_id" uuid NOT NULL, "number" integer NOT NULL, "requirement" jsonb NOT NULL, "decisions" jsonb NOT NULL DEFAULT '[]', "outcome" text NOT NULL, "opened_at" TIMESTAMP WITH TIME ZONE NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_approval_rounds" PRIMARY KEY ("change_id", "number"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "change"."approval_rounds"`);
  }
}
