import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Restricted CIs, seen only by their owner group and those who see every record (docs/cmdb.md). */
export class RestrictedCis1764800000000 implements MigrationInterface {
  name = 'RestrictedCis1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "cmdb"."cis" ADD "restricted" boolean NOT NULL DEFAULT false`,
    );
    // Impact analysis reads every restricted CI (few) to withhold those a caller may not see.
    await queryRunner.query(
      `CREATE INDEX "IDX_cis_restricted" ON "cmdb"."cis" ("id") INCLUDE ("owner_group") WHERE restricted`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "cmdb"."IDX_cis_restricted"`);
    await queryRunner.query(`ALTER TABLE "cmdb"."cis" DROP COLUMN "restricted"`);
  }
}
