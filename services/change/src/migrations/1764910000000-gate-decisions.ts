import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The last gate decision a pipeline got for each change. */
export class GateDecisions1764910000000 implements MigrationInterface {
  name = 'GateDecisions1764910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "change"."gate_decisions" ("change_id" uuid NOT NULL, "decision" text NOT NULL, "reasons" text array NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_gate_decisions" PRIMARY KEY ("change_id"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "change"."gate_decisions"`);
  }
}
