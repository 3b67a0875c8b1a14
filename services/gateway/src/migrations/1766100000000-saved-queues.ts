import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Saved queues (issue 21): each user's named filters, sort and search over the incident or
 * request list. A user's names are unique whatever their case, and at most one of their
 * queues is the default; their list is read in position order.
 */
export class SavedQueues1766100000000 implements MigrationInterface {
  name = 'SavedQueues1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "gateway"."saved_queues" ("id" uuid NOT NULL, "owner" text NOT NULL, "name" text NOT NULL, "list" text NOT NULL, "parameters" jsonb NOT NULL DEFAULT '{}', "position" integer NOT NULL, "is_default" boolean NOT NULL DEFAULT false, "version" integer NOT NULL DEFAULT 1, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "CHK_saved_queues_list" CHECK ("list" IN ('incidents', 'requests')), CONSTRAINT "PK_saved_queues" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_saved_queues_owner_position" ON "gateway"."saved_queues" ("owner", "position")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_saved_queues_owner_name" ON "gateway"."saved_queues" ("owner", lower("name"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "UQ_saved_queues_owner_default" ON "gateway"."saved_queues" ("owner") WHERE "is_default"`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "gateway"."saved_queues"`);
  }
}
