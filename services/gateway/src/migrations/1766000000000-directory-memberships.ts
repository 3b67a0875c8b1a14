import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The directory API (`directory:write`): a membership says where it comes from, the
 * identity provider's token (`from_token`), the API (`from_api`) or both, so that a
 * sign-in brings the token's groups up to date without undoing what an admin added; a
 * group has a version for `ETag` and `If-Match`. Memberships recorded before are the
 * tokens' (and local mode's seed, which stands for a token).
 */
export class DirectoryMemberships1766000000000 implements MigrationInterface {
  name = 'DirectoryMemberships1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "gateway"."group_members" ADD "from_token" boolean NOT NULL DEFAULT true`,
    );
    await queryRunner.query(
      `ALTER TABLE "gateway"."group_members" ADD "from_api" boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(
      `ALTER TABLE "gateway"."group_members" ADD CONSTRAINT "CHK_group_members_source" CHECK ("from_token" OR "from_api")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_group_members_username" ON "gateway"."group_members" ("username")`,
    );
    await queryRunner.query(
      `ALTER TABLE "gateway"."groups" ADD "version" integer NOT NULL DEFAULT 1`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "gateway"."groups" DROP COLUMN "version"`);
    await queryRunner.query(`DROP INDEX "gateway"."IDX_group_members_username"`);
    await queryRunner.query(`DELETE FROM "gateway"."group_members" WHERE NOT "from_token"`);
    await queryRunner.query(
      `ALTER TABLE "gateway"."group_members" DROP CONSTRAINT "CHK_group_members_source"`,
    );
    await queryRunner.query(`ALTER TABLE "gateway"."group_members" DROP COLUMN "from_api"`);
    await queryRunner.query(`ALTER TABLE "gateway"."group_members" DROP COLUMN "from_token"`);
  }
}
