import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The risk questionnaire's answers given with a change. */
export class RiskAnswers1764861000000 implements MigrationInterface {
  name = 'RiskAnswers1764861000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "change"."changes" ADD "risk_answers" jsonb NOT NULL DEFAULT '{}'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "change"."changes" DROP COLUMN "risk_answers"`);
  }
}
