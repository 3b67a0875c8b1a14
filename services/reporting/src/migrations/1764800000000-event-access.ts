import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { type ItsmCloudEvent } from '@itsm/contracts';
import {
  familyOf,
  governedRecordsOf,
  recordAccessOf,
  type RecordAccess,
} from '../event-archive/domain/event-access';
import { keepRecordAccess } from '../event-archive/persistence/event-archive.repository';

const BATCH = 1000;

/**
 * Who reads which events (docs/events.md): each archived event's record family and the
 * records that decide its visibility, and each record's current ownership. Events archived
 * before are classified here, by the same rules the archive applies to new ones.
 */
export class EventAccess1764800000000 implements MigrationInterface {
  name = 'EventAccess1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "reporting"."event_archive" ADD "family" text, ADD "record_type" text, ADD "record_ids" text array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."record_access" ("record_id" text NOT NULL, "record_type" text NOT NULL, "requester" text, "assignment_group" text, "assignee" text, "restricted" boolean NOT NULL DEFAULT false, "owner_group" text, "version" integer NOT NULL, CONSTRAINT "PK_record_access" PRIMARY KEY ("record_id"))`,
    );
    for (let after = '0'; ;) {
      const rows = await queryRunner.manager.query<
        { sequence: string; topic: string; event: ItsmCloudEvent }[]
      >(
        `SELECT sequence, topic, event FROM "reporting"."event_archive"
          WHERE sequence > $1 ORDER BY sequence LIMIT ${BATCH}`,
        [after],
      );
      if (rows.length === 0) break;
      const classified = rows.map((row) => {
        const family = familyOf(row.topic, row.event.type);
        return { row, family, governed: governedRecordsOf(family, row.event) };
      });
      await queryRunner.query(
        `UPDATE "reporting"."event_archive" AS archived
            SET family = row.family, record_type = row.record_type, record_ids = row.record_ids
           FROM jsonb_to_recordset($1::jsonb) AS row(sequence bigint, family text,
                record_type text, record_ids text[])
          WHERE archived.sequence = row.sequence`,
        [
          JSON.stringify(
            classified.map(({ row, family, governed }) => ({
              sequence: row.sequence,
              family,
              record_type: governed?.type ?? null,
              record_ids: governed?.ids ?? [],
            })),
          ),
        ],
      );
      await keepRecordAccess(
        queryRunner.manager,
        classified.flatMap(({ row, family }): RecordAccess[] => {
          const access = recordAccessOf(family, row.event);
          return access ? [access] : [];
        }),
      );
      after = rows[rows.length - 1]?.sequence ?? after;
    }
    await queryRunner.query(`ALTER TABLE "reporting"."event_archive" ALTER "family" SET NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "reporting"."record_access"`);
    await queryRunner.query(
      `ALTER TABLE "reporting"."event_archive" DROP COLUMN "family", DROP COLUMN "record_type", DROP COLUMN "record_ids"`,
    );
  }
}
