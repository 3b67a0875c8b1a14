import { setTimeout as sleep } from 'node:timers/promises';
import { type Pool } from 'pg';
import { EventTypes } from '@itsm/contracts';
import { distribution, round } from './stats';

/** Incidents whose created event is in the archive, joined on the event subject. */
const ARCHIVED_CREATES = `
  FROM reporting.event_archive a
  JOIN incident.records i ON a.subject = i.id::text
  WHERE a.type = $1`;

export interface PipelineState {
  /** Incidents committed. */
  incidents: number;
  /** Events written but not yet acknowledged by Kafka (the relay's backlog). */
  outbox: number;
  /** Incidents whose created event is archived. */
  archived: number;
}

export async function pipelineState(pool: Pool): Promise<PipelineState> {
  const { rows } = await pool.query<PipelineState>(
    `SELECT (SELECT count(*)::int FROM incident.records) AS incidents,
            (SELECT count(*)::int FROM incident.outbox) AS outbox,
            (SELECT count(*)::int ${ARCHIVED_CREATES}) AS archived`,
    [EventTypes.incident.created],
  );
  const [state] = rows;
  if (!state) throw new Error('the pipeline state query returned nothing');
  return state;
}

export interface Drain {
  /** State right after the load stopped. */
  atLoadEnd: PipelineState;
  /** Archive lag (incidents not yet archived) right after the load stopped. */
  archiveLagAtLoadEnd: number;
  /** Seconds from the end of the load until the outbox was empty. */
  outboxEmptyAfterS: number | null;
  /** Seconds from the end of the load until every incident's created event was archived. */
  archivedAfterS: number | null;
  /** Outbox rows published per second while draining (null when there was little to drain). */
  relayDrainPerS: number | null;
  /** Events archived per second while catching up (null when there was little to catch up). */
  archiveCatchUpPerS: number | null;
  timedOut: boolean;
}

/** Below this backlog the drain is over within one poll and its rate says nothing. */
const MIN_BACKLOG_FOR_RATE = 200;

/**
 * Waits until the outbox is empty and the archive holds every incident's created event,
 * noting how long the relay and the consumer took to work off what the load left behind.
 */
export async function waitForDrain(pool: Pool, timeoutMs: number): Promise<Drain> {
  const started = performance.now();
  const atLoadEnd = await pipelineState(pool);
  let outboxEmptyAfterS: number | null = atLoadEnd.outbox === 0 ? 0 : null;
  let archivedAfterS: number | null = atLoadEnd.archived >= atLoadEnd.incidents ? 0 : null;
  while (outboxEmptyAfterS === null || archivedAfterS === null) {
    if (performance.now() - started > timeoutMs) break;
    await sleep(250);
    const state = await pipelineState(pool);
    const elapsed = (performance.now() - started) / 1000;
    if (outboxEmptyAfterS === null && state.outbox === 0) outboxEmptyAfterS = elapsed;
    if (archivedAfterS === null && state.outbox === 0 && state.archived >= state.incidents)
      archivedAfterS = elapsed;
  }
  const archiveLag = atLoadEnd.incidents - atLoadEnd.archived;
  return {
    atLoadEnd,
    archiveLagAtLoadEnd: archiveLag,
    outboxEmptyAfterS: round(outboxEmptyAfterS, 2),
    archivedAfterS: round(archivedAfterS, 2),
    relayDrainPerS:
      atLoadEnd.outbox >= MIN_BACKLOG_FOR_RATE && outboxEmptyAfterS
        ? round(atLoadEnd.outbox / outboxEmptyAfterS, 0)
        : null,
    archiveCatchUpPerS:
      archiveLag >= MIN_BACKLOG_FOR_RATE && archivedAfterS
        ? round(archiveLag / archivedAfterS, 0)
        : null,
    timedOut: outboxEmptyAfterS === null || archivedAfterS === null,
  };
}

/** Samples the outbox backlog during a load run and keeps its peak. */
export class BacklogMonitor {
  private peak = 0;
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly pool: Pool,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    this.running = true;
    this.peak = 0;
    this.loop = (async () => {
      while (this.running) {
        const { rows } = await this.pool
          .query<{ n: number }>('SELECT count(*)::int AS n FROM incident.outbox')
          .catch(() => ({ rows: [] as { n: number }[] }));
        this.peak = Math.max(this.peak, rows[0]?.n ?? 0);
        await sleep(this.intervalMs);
      }
    })();
  }

  async stop(): Promise<number> {
    this.running = false;
    await this.loop;
    return this.peak;
  }
}

export interface DelayStats {
  phase: string;
  events: number;
  p50Ms: number | null;
  p99Ms: number | null;
  maxMs: number | null;
  /** Created events per second over the phase (first to last event time). */
  createsPerS: number | null;
}

/**
 * Create-to-archive delay per phase: archived_at (the archiving transaction's now()) minus
 * the event time (set by the incident service inside the creating transaction). The phase
 * is the second word of the incident title the benchmark sends.
 */
export async function delaysByPhase(pool: Pool): Promise<DelayStats[]> {
  const { rows } = await pool.query<{
    phase: string;
    events: number;
    p50: number | null;
    p99: number | null;
    max: number | null;
    span_s: number | null;
  }>(
    `SELECT split_part(i.title, ' ', 2) AS phase,
            count(*)::int AS events,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.archived_at - a.time) * 1000) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM a.archived_at - a.time) * 1000) AS p99,
            max(extract(epoch FROM a.archived_at - a.time) * 1000)::float8 AS max,
            extract(epoch FROM max(a.time) - min(a.time))::float8 AS span_s
     ${ARCHIVED_CREATES}
     GROUP BY 1
     ORDER BY min(a.time)`,
    [EventTypes.incident.created],
  );
  return rows.map((row) => ({
    phase: row.phase,
    events: row.events,
    p50Ms: round(row.p50, 1),
    p99Ms: round(row.p99, 1),
    maxMs: round(row.max, 1),
    createsPerS: row.span_s ? round(row.events / row.span_s, 1) : null,
  }));
}

/** Archived events of this run's consumer group that are not about this run's incidents. */
export async function foreignArchivedEvents(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM reporting.event_archive a
     WHERE NOT EXISTS (SELECT 1 FROM incident.records i WHERE a.subject = i.id::text)`,
  );
  return rows[0]?.n ?? 0;
}

/** Incidents per phase as the database has them, to compare with the 2xx the client counted. */
export async function incidentsByPhase(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ phase: string; n: number }>(
    `SELECT split_part(title, ' ', 2) AS phase, count(*)::int AS n FROM incident.records GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((row) => [row.phase, row.n]));
}

/** Ids of `count` incidents the run created, in random order: what the read phases ask for. */
export async function someIncidentIds(pool: Pool, count: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM incident.records ORDER BY random() LIMIT $1`,
    [count],
  );
  return rows.map((row) => row.id);
}

export interface DelaySplit {
  phase: string;
  events: number;
  /** Event time to the record's Kafka timestamp: commit, relay wake-up, publish. */
  toKafkaMs: { p50: number | null; p99: number | null };
  /** Kafka timestamp to archived_at: fetch, queueing in the consumer, the inbox transaction's start. */
  kafkaToArchiveMs: { p50: number | null; p99: number | null };
}

interface ArchivedCreate {
  phase: string;
  partition: number;
  offset: string;
  timeMs: number;
  archivedMs: number;
}

/** This run's archived created events with their Kafka coordinates. */
export async function archivedCreates(pool: Pool): Promise<ArchivedCreate[]> {
  const { rows } = await pool.query<ArchivedCreate>(
    `SELECT split_part(i.title, ' ', 2) AS phase,
            a.kafka_partition AS partition,
            a.kafka_offset AS offset,
            (extract(epoch FROM a.time) * 1000)::float8 AS "timeMs",
            (extract(epoch FROM a.archived_at) * 1000)::float8 AS "archivedMs"
     ${ARCHIVED_CREATES}`,
    [EventTypes.incident.created],
  );
  return rows;
}

/** The partition offset ranges the events occupy. */
export function offsetRanges(
  events: readonly ArchivedCreate[],
): Map<number, { first: number; last: number }> {
  const ranges = new Map<number, { first: number; last: number }>();
  for (const { partition, offset } of events) {
    const range = ranges.get(partition) ?? { first: Number(offset), last: Number(offset) };
    range.first = Math.min(range.first, Number(offset));
    range.last = Math.max(range.last, Number(offset));
    ranges.set(partition, range);
  }
  return ranges;
}

/** The create-to-archive delay of each phase split at the Kafka record timestamp. */
export function splitDelays(
  events: readonly ArchivedCreate[],
  timestamps: Map<string, number>,
): DelaySplit[] {
  const phases = new Map<string, { toKafka: number[]; toArchive: number[] }>();
  for (const event of events) {
    const published = timestamps.get(`${event.partition}:${event.offset}`);
    if (published === undefined) continue;
    const phase = phases.get(event.phase) ?? { toKafka: [], toArchive: [] };
    phase.toKafka.push(published - event.timeMs);
    phase.toArchive.push(event.archivedMs - published);
    phases.set(event.phase, phase);
  }
  return [...phases].map(([phase, { toKafka, toArchive }]) => {
    const relay = distribution(toKafka);
    const consumer = distribution(toArchive);
    return {
      phase,
      events: relay.count,
      toKafkaMs: { p50: round(relay.p50, 1), p99: round(relay.p99, 1) },
      kafkaToArchiveMs: { p50: round(consumer.p50, 1), p99: round(consumer.p99, 1) },
    };
  });
}
