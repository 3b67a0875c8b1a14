import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The service catalogue (issue 21): items requesters raise service requests from, keyed
 * by the slug a request's `catalogItem` holds; browsed by category, then name.
 */
export class CatalogItems1766100000000 implements MigrationInterface {
  name = 'CatalogItems1766100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "incident"."catalog_items" (
      "key" text NOT NULL,
      "name" text NOT NULL,
      "description" text NOT NULL,
      "category" text NOT NULL,
      "fulfilment_group" text,
      "active" boolean NOT NULL,
      "created_by" text NOT NULL,
      "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "updated_by" text NOT NULL,
      "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
      "version" integer NOT NULL,
      CONSTRAINT "PK_catalog_items" PRIMARY KEY ("key")
    )`);
    await queryRunner.query(
      `CREATE INDEX "IX_catalog_items_browse" ON "incident"."catalog_items" ("category", "name", "key")`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "incident"."catalog_items"`);
  }
}
