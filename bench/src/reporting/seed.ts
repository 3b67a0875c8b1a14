import { join } from 'node:path';
import { type Pool } from 'pg';
import { EventValidator, type ItsmCloudEvent } from '@itsm/contracts';
import { round } from '../stats';
import { datasetEvents, type DatasetSize } from './dataset';

/**
 * Seeds the event archive with the generated year directly in SQL: multi-row INSERTs of
 * `unnest` arrays, each row chained by the reporting service's own `entryHash` (loaded
 * from its build, as the service computes it: the table's trigger refuses rows without a
 * hash, and the chain must verify). Consuming millions of events through Kafka would take
 * an hour or more at the live path's rate (see the live phase), on top of the publishing:
 * what the rebuild phase measures is reading the archive, not filling it.
 */

interface ChainFunctions {
  GENESIS_HASH: string;
  entryHash(previousHash: string, content: Record<string, unknown>): string;
}

interface AccessFunctions {
  familyOf(topic: string, type: string): string;
  governedRecordsOf(family: string, event: ItsmCloudEvent): { type: string; ids: string[] } | null;
}

export interface SeedFigures {
  records: DatasetSize;
  events: number;
  byFamily: Record<string, number>;
  seconds: number;
  perSecond: number | null;
  /** Events checked against the event catalog's schemas (the first ones of each type). */
  validated: number;
  archiveMiB: number;
}

/** Events per INSERT; three INSERTs in flight while the next batch is hashed. */
const INSERT_ROWS = 2000;
const VALIDATE_PER_TYPE = 50;

export async function seedArchive(
  pool: Pool,
  repoRoot: string,
  size: DatasetSize,
  seed: number,
  say: (message: string) => void,
): Promise<SeedFigures> {
  const source = join(repoRoot, 'dist/services/reporting/src/event-archive/domain');
  const chain = (await import(join(source, 'archive-chain.js'))) as ChainFunctions;
  const access = (await import(join(source, 'event-access.js'))) as AccessFunctions;
  const validator = new EventValidator();
  const validatedPerType = new Map<string, number>();
  const [head] = (
    await pool.query<{ sequence: string | null; hash: string }>(
      `SELECT sequence::text AS sequence, hash FROM reporting.event_archive_chain_head WHERE chain = 'event_archive'`,
    )
  ).rows;
  if (!head) throw new Error('the archive has no chain head: was the database migrated?');
  let sequence = BigInt(head.sequence ?? '0');
  let previousHash = head.hash;
  const offsets = new Map<string, bigint>();
  const byFamily: Record<string, number> = {};
  let events = 0;
  let validated = 0;
  const started = performance.now();
  let lastReport = started;
  const inFlight = new Set<Promise<unknown>>();

  for (const batch of datasetEvents(size, seed)) {
    const rows = {
      sequence: [] as string[],
      eventId: [] as string[],
      topic: [] as string[],
      partition: [] as number[],
      offset: [] as string[],
      type: [] as string[],
      source: [] as string[],
      subject: [] as string[],
      time: [] as string[],
      event: [] as string[],
      family: [] as string[],
      recordType: [] as (string | null)[],
      recordIds: [] as string[],
      previousHash: [] as string[],
      hash: [] as string[],
    };
    for (const { topic, partition, event } of batch) {
      const seen = validatedPerType.get(event.type) ?? 0;
      if (seen < VALIDATE_PER_TYPE) {
        validator.assertValid(event.type, event.data);
        validatedPerType.set(event.type, seen + 1);
        validated += 1;
      }
      sequence += 1n;
      const key = `${topic}:${partition}`;
      const offset = offsets.get(key) ?? 0n;
      offsets.set(key, offset + 1n);
      const content = {
        sequence: sequence.toString(),
        eventId: event.id,
        topic,
        partition,
        offset: offset.toString(),
        type: event.type,
        source: event.source,
        subject: event.subject,
        time: new Date(event.time).toISOString(),
        event,
      };
      const hash = chain.entryHash(previousHash, content);
      const family = access.familyOf(topic, event.type);
      const governed = access.governedRecordsOf(family, event);
      rows.sequence.push(content.sequence);
      rows.eventId.push(event.id);
      rows.topic.push(topic);
      rows.partition.push(partition);
      rows.offset.push(content.offset);
      rows.type.push(event.type);
      rows.source.push(event.source);
      rows.subject.push(event.subject);
      rows.time.push(content.time);
      rows.event.push(JSON.stringify(event));
      rows.family.push(family);
      rows.recordType.push(governed?.type ?? null);
      // A text[] per row, as an array literal: unnest cannot take an array of arrays of different lengths.
      rows.recordIds.push(`{${(governed?.ids ?? []).join(',')}}`);
      rows.previousHash.push(previousHash);
      rows.hash.push(hash);
      previousHash = hash;
      byFamily[family] = (byFamily[family] ?? 0) + 1;
      events += 1;
    }
    for (let from = 0; from < rows.sequence.length; from += INSERT_ROWS) {
      const slice = <T>(values: T[]) => values.slice(from, from + INSERT_ROWS);
      const insert = pool.query(
        `INSERT INTO reporting.event_archive (sequence, event_id, topic, kafka_partition,
                kafka_offset, type, source, subject, time, event, family, record_type, record_ids,
                previous_hash, hash)
         SELECT s, e, t, p, o, ty, so, su, ti, ev::jsonb, f, rt, ri::text[], ph, h
           FROM unnest($1::bigint[], $2::text[], $3::text[], $4::int[], $5::bigint[], $6::text[],
                       $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::text[],
                       $12::text[], $13::text[], $14::text[], $15::text[])
             AS row(s, e, t, p, o, ty, so, su, ti, ev, f, rt, ri, ph, h)`,
        [
          slice(rows.sequence),
          slice(rows.eventId),
          slice(rows.topic),
          slice(rows.partition),
          slice(rows.offset),
          slice(rows.type),
          slice(rows.source),
          slice(rows.subject),
          slice(rows.time),
          slice(rows.event),
          slice(rows.family),
          slice(rows.recordType),
          slice(rows.recordIds),
          slice(rows.previousHash),
          slice(rows.hash),
        ],
      );
      inFlight.add(insert);
      void insert.finally(() => inFlight.delete(insert)).catch(() => undefined);
      while (inFlight.size >= 3) await Promise.race(inFlight);
    }
    if (performance.now() - lastReport > 30_000) {
      lastReport = performance.now();
      const seconds = (lastReport - started) / 1000;
      say(
        `seeded ${events} events in ${Math.round(seconds)} s (${Math.round(events / seconds)}/s)`,
      );
    }
  }
  await Promise.all(inFlight);
  // The head names the last row: the next live append chains on from it.
  await pool.query(
    `UPDATE reporting.event_archive_chain_head SET sequence = $1, hash = $2 WHERE chain = 'event_archive'`,
    [sequence.toString(), previousHash],
  );
  await pool.query(
    `SELECT setval(pg_get_serial_sequence('reporting.event_archive', 'sequence'), $1)`,
    [sequence.toString()],
  );
  await pool.query('VACUUM ANALYZE reporting.event_archive');
  const seconds = (performance.now() - started) / 1000;
  const {
    rows: [{ bytes }],
  } = await pool.query<{ bytes: string }>(
    `SELECT pg_total_relation_size('reporting.event_archive')::text AS bytes`,
  );
  return {
    records: size,
    events,
    byFamily,
    seconds: round(seconds) ?? 0,
    perSecond: round(events / seconds, 0),
    validated,
    archiveMiB: Math.round(Number(bytes) / 2 ** 20),
  };
}
