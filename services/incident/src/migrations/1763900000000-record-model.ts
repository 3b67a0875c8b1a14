import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * The full record model (issue 4): incidents and service requests in one `records` table
 * with every field, the journal, the field history, the copy of the directory's groups,
 * and the indexes the service desk's lists and full-text search need.
 */
export class RecordModel1763900000000 implements MigrationInterface {
  name = 'RecordModel1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "incident"."incidents" RENAME TO "records"`);
    await queryRunner.query(
      `ALTER TABLE "incident"."records" RENAME CONSTRAINT "PK_incidents" TO "PK_records"`,
    );
    await queryRunner.query(
      `ALTER INDEX "incident"."UQ_incidents_number" RENAME TO "UQ_records_number"`,
    );
    await queryRunner.query(`ALTER TABLE "incident"."records" ALTER COLUMN "type" DROP DEFAULT`);
    await queryRunner.query(
      `ALTER TABLE "incident"."records"
         ADD COLUMN "category" text,
         ADD COLUMN "subcategory" text,
         ADD COLUMN "catalog_item" text,
         ADD COLUMN "business_service_id" uuid,
         ADD COLUMN "ci_ids" uuid array NOT NULL DEFAULT '{}',
         ADD COLUMN "priority_override_reason" text,
         ADD COLUMN "hold_reason" text,
         ADD COLUMN "awaiting_change_id" uuid,
         ADD COLUMN "assignment_group" text,
         ADD COLUMN "assignee" text,
         ADD COLUMN "major" boolean NOT NULL DEFAULT false,
         ADD COLUMN "parent_id" uuid,
         ADD COLUMN "escalation_level" smallint NOT NULL DEFAULT '0',
         ADD COLUMN "resolution_code" text,
         ADD COLUMN "resolution_notes" text,
         ADD COLUMN "first_response_at" TIMESTAMP WITH TIME ZONE,
         ADD COLUMN "resolved_at" TIMESTAMP WITH TIME ZONE,
         ADD COLUMN "closed_at" TIMESTAMP WITH TIME ZONE,
         ADD COLUMN "reopen_count" integer NOT NULL DEFAULT '0',
         ADD COLUMN "tags" text array NOT NULL DEFAULT '{}',
         ADD COLUMN "external_ref" text,
         ADD COLUMN "search_document" tsvector`,
    );
    await queryRunner.query(
      `UPDATE "incident"."records" SET "search_document" =
         setweight(to_tsvector('english', "title"), 'A') || setweight(to_tsvector('english', "description"), 'B')`,
    );
    await queryRunner.query(
      `CREATE SEQUENCE "incident"."request_number_seq" START WITH 1001 NO CYCLE`,
    );
    const indexes = [
      `"IX_records_type_opened" ON "incident"."records" ("type", "opened_at", "id")`,
      `"IX_records_type_updated" ON "incident"."records" ("type", "updated_at", "id")`,
      `"IX_records_state_opened" ON "incident"."records" ("state", "opened_at", "id")`,
      `"IX_records_priority_opened" ON "incident"."records" ("priority", "opened_at", "id")`,
      `"IX_records_group_opened" ON "incident"."records" ("assignment_group", "opened_at", "id")`,
      `"IX_records_assignee_opened" ON "incident"."records" ("assignee", "opened_at", "id")`,
      `"IX_records_requester_opened" ON "incident"."records" ("requester", "opened_at", "id")`,
      `"IX_records_service_opened" ON "incident"."records" ("business_service_id", "opened_at", "id")`,
      `"IX_records_category_opened" ON "incident"."records" ("category", "subcategory", "opened_at", "id")`,
      `"IX_records_external_ref" ON "incident"."records" ("external_ref") WHERE "external_ref" IS NOT NULL`,
      `"IX_records_parent" ON "incident"."records" ("parent_id") WHERE "parent_id" IS NOT NULL`,
      `"IX_records_major" ON "incident"."records" ("opened_at", "id") WHERE "major"`,
      `"IX_records_awaiting_change" ON "incident"."records" ("awaiting_change_id") WHERE "awaiting_change_id" IS NOT NULL`,
      `"IX_records_resolved_at" ON "incident"."records" ("resolved_at") WHERE "state" IN ('resolved', 'fulfilled')`,
      // TypeORM cannot describe these three; the entity names them so the drift check leaves them be.
      `"IX_records_ci_ids" ON "incident"."records" USING gin ("ci_ids")`,
      `"IX_records_tags" ON "incident"."records" USING gin ("tags")`,
      `"IX_records_search" ON "incident"."records" USING gin ("search_document")`,
    ];
    for (const index of indexes) await queryRunner.query(`CREATE INDEX ${index}`);

    await queryRunner.query(
      `CREATE TABLE "incident"."journal_entries" ("id" uuid NOT NULL, "record_id" uuid NOT NULL, "kind" text NOT NULL, "text" text NOT NULL, "author" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_journal_entries" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_journal_entries_record" ON "incident"."journal_entries" ("record_id", "at", "id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "incident"."record_history" ("id" bigint GENERATED ALWAYS AS IDENTITY NOT NULL, "record_id" uuid NOT NULL, "field" text NOT NULL, "old_value" jsonb, "new_value" jsonb, "actor" text NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_record_history" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IX_record_history_record" ON "incident"."record_history" ("record_id", "id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "incident"."directory_groups" ("name" text NOT NULL, "members" text array NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_directory_groups" PRIMARY KEY ("name"))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "incident"."directory_groups"`);
    await queryRunner.query(`DROP TABLE "incident"."record_history"`);
    await queryRunner.query(`DROP TABLE "incident"."journal_entries"`);
    await queryRunner.query(`DROP SEQUENCE "incident"."request_number_seq"`);
    await queryRunner.query(`DELETE FROM "incident"."records" WHERE "type" = 'request'`);
    for (const index of [
      'type_opened',
      'type_updated',
      'state_opened',
      'priority_opened',
      'group_opened',
      'assignee_opened',
      'requester_opened',
      'service_opened',
      'category_opened',
      'external_ref',
      'parent',
      'major',
      'awaiting_change',
      'resolved_at',
      'ci_ids',
      'tags',
      'search',
    ]) {
      await queryRunner.query(`DROP INDEX "incident"."IX_records_${index}"`);
    }
    await queryRunner.query(
      `ALTER TABLE "incident"."records"
         DROP COLUMN "category", DROP COLUMN "subcategory", DROP COLUMN "catalog_item",
         DROP COLUMN "business_service_id", DROP COLUMN "ci_ids", DROP COLUMN "priority_override_reason",
         DROP COLUMN "hold_reason", DROP COLUMN "awaiting_change_id", DROP COLUMN "assignment_group",
         DROP COLUMN "assignee", DROP COLUMN "major", DROP COLUMN "parent_id", DROP COLUMN "escalation_level",
         DROP COLUMN "resolution_code", DROP COLUMN "resolution_notes", DROP COLUMN "first_response_at",
         DROP COLUMN "resolved_at", DROP COLUMN "closed_at", DROP COLUMN "reopen_count", DROP COLUMN "tags",
         DROP COLUMN "external_ref", DROP COLUMN "search_document"`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident"."records" ALTER COLUMN "type" SET DEFAULT 'incident'`,
    );
    await queryRunner.query(
      `ALTER INDEX "incident"."UQ_records_number" RENAME TO "UQ_incidents_number"`,
    );
    await queryRunner.query(
      `ALTER TABLE "incident"."records" RENAME CONSTRAINT "PK_records" TO "PK_incidents"`,
    );
    await queryRunner.query(`ALTER TABLE "incident"."records" RENAME TO "incidents"`);
  }
}
