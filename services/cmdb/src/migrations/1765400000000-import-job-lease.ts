import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The fencing token of the worker running an import job: a new one at every claim. */
export class ImportJobLease1765400000000 implements MigrationInterface {
  name = 'ImportJobLease1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cmdb"."import_jobs" ADD "lease" uuid`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "cmdb"."import_jobs" DROP COLUMN "lease"`);
  }
}
