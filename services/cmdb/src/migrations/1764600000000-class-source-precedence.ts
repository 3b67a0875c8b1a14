import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Per-field source precedence a class declares (docs/cmdb.md, "Reconciliation"). */
export class ClassSourcePrecedence1764600000000 implements MigrationInterface {
  name = 'ClassSourcePrecedence1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "cmdb"."ci_classes" ADD "source_precedence" jsonb NOT NULL DEFAULT '{}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cmdb"."ci_classes" DROP COLUMN "source_precedence"`);
  }
}
