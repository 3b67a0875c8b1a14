import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { qualifiedTable } from '@itsm/persistence';
import {
  ChainWalk,
  GENESIS_HASH,
  entryHash,
  type ChainAnchor,
  type ChainBreak,
  type ChainedContent,
  type ChainedEntry,
} from '../domain/archive-chain';
import { ArchiveChainHeadEntity } from './archive-chain-head.entity';
import { ArchivedEventEntity } from './archived-event.entity';

/** The name of the archive's one chain in `event_archive_chain_head`. */
export const ARCHIVE_CHAIN = 'event_archive';

const BATCH = 1000;

/** The columns a chained row is read with, in the shape {@link entryOf} takes. */
export const CHAINED_COLUMNS = `archived.sequence, archived.event_id, archived.topic,
  archived.kafka_partition, archived.kafka_offset::text AS kafka_offset, archived.type,
  archived.source, archived.subject, archived.time, archived.event, archived.previous_hash,
  archived.hash`;

export interface ChainedRow {
  sequence: string;
  event_id: string;
  topic: string;
  kafka_partition: number;
  kafka_offset: string;
  type: string;
  source: string;
  subject: string;
  time: Date;
  event: unknown;
  previous_hash: string;
  hash: string;
}

export function entryOf(row: ChainedRow): ChainedEntry {
  return {
    sequence: row.sequence,
    eventId: row.event_id,
    topic: row.topic,
    partition: row.kafka_partition,
    offset: row.kafka_offset,
    type: row.type,
    source: row.source,
    subject: row.subject,
    time: row.time.toISOString(),
    event: row.event,
    previousHash: row.previous_hash,
    hash: row.hash,
  };
}

function tables(manager: EntityManager): { archive: string; head: string } {
  return {
    archive: qualifiedTable(manager.connection.getMetadata(ArchivedEventEntity)),
    head: qualifiedTable(manager.connection.getMetadata(ArchiveChainHeadEntity)),
  };
}

/** What an appended row carries beside its chained content: who may read it (event-access.ts). */
export interface ArchiveAccessColumns {
  family: string;
  recordType: string | null;
  recordIds: string[];
}

/** A row to append: its content (the chain gives the sequence) and who may read it. */
export interface ArchiveAppend {
  content: Omit<ChainedContent, 'sequence'>;
  access: ArchiveAccessColumns;
}

/**
 * Appends rows at the end of the chain, in order, in the caller's transaction and in one
 * statement. The head row is locked first and the rows take the sequences after the
 * head's, so that sequences are the chain's order and have no gaps whatever the number of
 * appenders; a rolled-back append leaves the head as it was. The lock is held to the
 * commit: append last in a transaction, after everything that need not wait for it.
 */
export async function appendChained(
  manager: EntityManager,
  rows: readonly ArchiveAppend[],
): Promise<ChainedEntry[]> {
  if (rows.length === 0) return [];
  const { archive, head } = tables(manager);
  const [previous] = await manager.query<{ sequence: string | null; hash: string }[]>(
    `SELECT sequence::text AS sequence, hash FROM ${head} WHERE chain = $1 FOR UPDATE`,
    [ARCHIVE_CHAIN],
  );
  if (!previous) throw new Error('the event archive has no chain head: run the migrations');
  let sequence = BigInt(previous.sequence ?? '0');
  let previousHash = previous.hash;
  const entries = rows.map(({ content }): ChainedEntry => {
    sequence += 1n;
    // As the row will be read back: JSON data only (jsonb keeps no `undefined`), the offset a plain integer.
    const chained: ChainedContent = {
      ...content,
      sequence: sequence.toString(),
      offset: BigInt(content.offset).toString(),
      event: JSON.parse(JSON.stringify(content.event)) as unknown,
    };
    const entry = { ...chained, previousHash, hash: entryHash(previousHash, chained) };
    previousHash = entry.hash;
    return entry;
  });
  const last = entries[entries.length - 1];
  await manager.query(
    `WITH appended AS (
       INSERT INTO ${archive} (sequence, event_id, topic, kafka_partition, kafka_offset, type,
              source, subject, time, event, family, record_type, record_ids, previous_hash, hash)
       SELECT s, e, t, p, o, ty, so, su, ti, ev::jsonb, f, rt,
              ARRAY(SELECT jsonb_array_elements_text(ri::jsonb)), ph, h
         FROM unnest($3::bigint[], $4::text[], $5::text[], $6::int[], $7::bigint[], $8::text[],
                     $9::text[], $10::text[], $11::timestamptz[], $12::text[], $13::text[],
                     $14::text[], $15::text[], $16::text[], $17::text[])
           AS row(s, e, t, p, o, ty, so, su, ti, ev, f, rt, ri, ph, h))
     UPDATE ${head} SET sequence = $2::bigint, hash = $18 WHERE chain = $1`,
    [
      ARCHIVE_CHAIN,
      last.sequence,
      entries.map((entry) => entry.sequence),
      entries.map((entry) => entry.eventId),
      entries.map((entry) => entry.topic),
      entries.map((entry) => entry.partition),
      entries.map((entry) => entry.offset),
      entries.map((entry) => entry.type),
      entries.map((entry) => entry.source),
      entries.map((entry) => entry.subject),
      entries.map((entry) => entry.time),
      entries.map((entry) => JSON.stringify(entry.event)),
      rows.map(({ access }) => access.family),
      rows.map(({ access }) => access.recordType),
      rows.map(({ access }) => JSON.stringify(access.recordIds)),
      entries.map((entry) => entry.previousHash),
      entries.map((entry) => entry.hash),
      last.hash,
    ],
  );
  return entries;
}

/** The last row of the chain as the archive recorded it. */
export async function chainHead(manager: EntityManager): Promise<ChainAnchor> {
  const [head] = await manager.query<{ sequence: string | null; hash: string }[]>(
    `SELECT sequence::text AS sequence, hash FROM ${tables(manager).head} WHERE chain = $1`,
    [ARCHIVE_CHAIN],
  );
  if (!head) throw new Error('the event archive has no chain head: run the migrations');
  return { sequence: head.sequence, hash: head.hash };
}

/** The rows at these sequences, in sequence order. */
export async function chainedRowsAt(
  manager: EntityManager,
  sequences: readonly string[],
): Promise<ChainedEntry[]> {
  if (sequences.length === 0) return [];
  const rows = await manager.query<ChainedRow[]>(
    `SELECT ${CHAINED_COLUMNS} FROM ${tables(manager).archive} AS archived
      WHERE archived.sequence = ANY($1::bigint[]) ORDER BY archived.sequence`,
    [sequences],
  );
  return rows.map(entryOf);
}

export interface ChainRange {
  /** First sequence to check (inclusive); the first row when absent. */
  fromSequence?: string;
  /** Last sequence to check (inclusive); the head when absent, which is then checked too. */
  toSequence?: string;
}

export interface ChainVerification {
  intact: boolean;
  /** Rows checked and found in order. */
  checked: number;
  /** The row the walk started after (null: the start of the archive) and its hash. */
  anchor: ChainAnchor;
  /** The last row found in order. */
  last: ChainAnchor;
  /** The head the archive recorded, when the range reached it. */
  head: ChainAnchor | null;
  /** The first place the chain does not hold. */
  break: ChainBreak | null;
}

/**
 * Recomputes the chain over a range of the archive: from the row before it (trusted as
 * the anchor of a partial range), each row must follow the one before and hash to its
 * stored hash; a range that runs to the end must end at the recorded head. Read in one
 * snapshot, so appends during the walk do not count as breaks.
 */
@Injectable()
export class ArchiveChainVerifier {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  verify(range: ChainRange): Promise<ChainVerification> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const { archive } = tables(manager);
      const head = await chainHead(manager);
      const [before] = range.fromSequence
        ? await manager.query<{ sequence: string; hash: string }[]>(
            `SELECT sequence::text AS sequence, hash FROM ${archive}
              WHERE sequence < $1 ORDER BY sequence DESC LIMIT 1`,
            [range.fromSequence],
          )
        : [];
      const anchor: ChainAnchor = before ?? { sequence: null, hash: GENESIS_HASH };
      const walk = new ChainWalk(anchor);
      let after = anchor.sequence ?? '0';
      for (;;) {
        const rows = await manager.query<ChainedRow[]>(
          `SELECT ${CHAINED_COLUMNS} FROM ${archive} AS archived
            WHERE archived.sequence > $1 AND ($2::bigint IS NULL OR archived.sequence <= $2)
            ORDER BY archived.sequence LIMIT ${BATCH}`,
          [after, range.toSequence ?? null],
        );
        if (!rows.every((row) => walk.check(entryOf(row)))) break;
        const last = rows.at(-1);
        if (!last || rows.length < BATCH) break;
        after = last.sequence;
      }
      const reachesHead = range.toSequence === undefined;
      if (reachesHead) walk.checkHead(head);
      return {
        intact: walk.broken === null,
        checked: walk.checked,
        anchor,
        last: walk.last,
        head: reachesHead ? head : null,
        break: walk.broken,
      };
    });
  }
}
