import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Directory1763810000000 implements MigrationInterface {
  name = 'Directory1763810000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "gateway"."users" ("username" text NOT NULL, "roles" text array NOT NULL, "source" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_users" PRIMARY KEY ("username"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "gateway"."groups" ("name" text NOT NULL, "description" text NOT NULL DEFAULT '', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_groups" PRIMARY KEY ("name"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "gateway"."group_members" ("group_name" text NOT NULL, "username" text NOT NULL, CONSTRAINT "PK_group_members" PRIMARY KEY ("group_name", "username"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gateway"."group_members"`);
    await queryRunner.query(`DROP TABLE "gateway"."groups"`);
    await queryRunner.query(`DROP TABLE "gateway"."users"`);
  }
}
