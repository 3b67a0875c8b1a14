import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { GENESIS_HASH, entryHash } from '../event-archive/domain/archive-chain';
import {
  ARCHIVE_CHAIN,
  CHAINED_COLUMNS,
  entryOf,
  type ChainedRow,
} from '../event-archive/persistence/archive-chain';

const BATCH = 1000;

/**
 * The hash-chained archive (ADR 0014): every row gets the hash of the row before and its
 * own; the rows archived before are chained here, in sequence order, by the same function
 * appends use. A trigger then refuses to edit or remove what the chain covers, for every
 * role: only who may alter the table (its owner, a superuser) can get past it, and what
 * they change the chain's verification still finds.
 */
export class HashChainedArchive1765100000000 implements MigrationInterface {
  name = 'HashChainedArchive1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "reporting"."event_archive" ADD "previous_hash" text, ADD "hash" text`,
    );
    await queryRunner.query(
      `CREATE TABLE "reporting"."event_archive_chain_head" ("chain" text NOT NULL, "sequence" bigint, "hash" text NOT NULL, CONSTRAINT "PK_event_archive_chain_head" PRIMARY KEY ("chain"))`,
    );
    // No append may slip between the last row chained here and the head written after.
    await queryRunner.query(`LOCK TABLE "reporting"."event_archive" IN EXCLUSIVE MODE`);
    let previous = { sequence: null as string | null, hash: GENESIS_HASH };
    for (;;) {
      const rows = await queryRunner.manager.query<ChainedRow[]>(
        `SELECT ${CHAINED_COLUMNS} FROM "reporting"."event_archive" AS archived
          WHERE archived.sequence > $1 ORDER BY archived.sequence LIMIT ${BATCH}`,
        [previous.sequence ?? '0'],
      );
      if (rows.length === 0) break;
      const chained = rows.map((row) => {
        const hash = entryHash(previous.hash, entryOf(row));
        const link = { sequence: row.sequence, previous_hash: previous.hash, hash };
        previous = { sequence: row.sequence, hash };
        return link;
      });
      await queryRunner.query(
        `UPDATE "reporting"."event_archive" AS archived
            SET previous_hash = row.previous_hash, hash = row.hash
           FROM jsonb_to_recordset($1::jsonb) AS row(sequence bigint, previous_hash text, hash text)
          WHERE archived.sequence = row.sequence`,
        [JSON.stringify(chained)],
      );
    }
    await queryRunner.query(
      `ALTER TABLE "reporting"."event_archive" ALTER "previous_hash" SET NOT NULL, ALTER "hash" SET NOT NULL`,
    );
    await queryRunner.query(
      `INSERT INTO "reporting"."event_archive_chain_head" (chain, sequence, hash) VALUES ($1, $2, $3)`,
      [ARCHIVE_CHAIN, previous.sequence, previous.hash],
    );
    // Who reads an event (family, record_type, record_ids) is derived, not evidence: it may
    // be reclassified. Everything the chain covers may not change, and no row may go.
    await queryRunner.query(`
      CREATE FUNCTION "reporting"."event_archive_refuse_edit"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' THEN
          IF (NEW.sequence, NEW.event_id, NEW.topic, NEW.kafka_partition, NEW.kafka_offset,
              NEW.type, NEW.source, NEW.subject, NEW.time, NEW.event, NEW.archived_at,
              NEW.previous_hash, NEW.hash)
             IS NOT DISTINCT FROM
             (OLD.sequence, OLD.event_id, OLD.topic, OLD.kafka_partition, OLD.kafka_offset,
              OLD.type, OLD.source, OLD.subject, OLD.time, OLD.event, OLD.archived_at,
              OLD.previous_hash, OLD.hash) THEN
            RETURN NEW;
          END IF;
        END IF;
        RAISE EXCEPTION 'the event archive is append-only: % refused', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'archived events are hash-chained evidence (docs/adr/0014-hash-chained-event-archive.md)';
      END
      $$`);
    // A replica of the previous version appends without hashes during a rolling upgrade:
    // refused with a SQLSTATE the inbox takes as transient (57P03, "cannot connect now"), so
    // the event is not dead-lettered but delivered again, to a replica that chains it.
    await queryRunner.query(`
      CREATE FUNCTION "reporting"."event_archive_refuse_unchained"() RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.hash IS NULL OR NEW.previous_hash IS NULL THEN
          RAISE EXCEPTION 'unchained append to the event archive refused (a replica older than the hash chain?)'
            USING ERRCODE = '57P03';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(
      `CREATE TRIGGER "event_archive_chained_only" BEFORE INSERT ON "reporting"."event_archive" FOR EACH ROW EXECUTE FUNCTION "reporting"."event_archive_refuse_unchained"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "event_archive_append_only" BEFORE UPDATE OR DELETE ON "reporting"."event_archive" FOR EACH ROW EXECUTE FUNCTION "reporting"."event_archive_refuse_edit"()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "event_archive_no_truncate" BEFORE TRUNCATE ON "reporting"."event_archive" FOR EACH STATEMENT EXECUTE FUNCTION "reporting"."event_archive_refuse_edit"()`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP TRIGGER "event_archive_no_truncate" ON "reporting"."event_archive"`,
    );
    await queryRunner.query(
      `DROP TRIGGER "event_archive_append_only" ON "reporting"."event_archive"`,
    );
    await queryRunner.query(`DROP FUNCTION "reporting"."event_archive_refuse_edit"()`);
    await queryRunner.query(
      `DROP TRIGGER "event_archive_chained_only" ON "reporting"."event_archive"`,
    );
    await queryRunner.query(`DROP FUNCTION "reporting"."event_archive_refuse_unchained"()`);
    await queryRunner.query(`DROP TABLE "reporting"."event_archive_chain_head"`);
    await queryRunner.query(
      `ALTER TABLE "reporting"."event_archive" DROP COLUMN "previous_hash", DROP COLUMN "hash"`,
    );
  }
}
