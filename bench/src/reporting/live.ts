import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { type Pool } from 'pg';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  EventTypes,
  JSON_CONTENT_TYPE,
  Topics,
  dataSchemaUri,
  toKafkaRecord,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import { nameUuid } from '../incident/dataset';
import { seededRandom } from '../problem/events';
import { distribution, round, type Distribution } from '../stats';
import { incidentEvents } from './dataset';

/**
 * The live path: events published to Kafka at a steady rate, as the services would, and
 * the time each one takes to become visible in the archive. The archive row and the fact
 * row are written in the same inbox transaction (ADR 15), so the archive row's visibility
 * is the fact row's too. A poller reads the archive's new rows every POLL_MS: the lags
 * are at that resolution.
 */

const POLL_MS = 100;
const TICK_MS = 100;

export type LiveMix = 'records' | 'unprojected';

export interface LiveFigures {
  mix: LiveMix;
  /** What the events were. */
  description: string;
  targetPerSecond: number;
  seconds: number;
  published: number;
  publishedPerSecond: number | null;
  archived: number;
  /** Events not in the archive when the wait gave up. */
  missing: number;
  /** Archive rows per second from the first to the last of this phase's rows. */
  consumedPerSecond: number | null;
  /** Archive rows per second in each second of the publishing (how the rate held). */
  perSecondWhilePublishing: Distribution;
  /** Publish to visible in the archive (and the read model), ms. */
  lagMs: Distribution;
  /** The events still unconsumed when the publishing stopped. */
  backlogAtEnd: number;
  /** From the end of the publishing to the last event archived, s. */
  drainSeconds: number | null;
}

function recordsMix(count: number, firstIncident: number, runId: string): ItsmCloudEvent[] {
  // Whole incident lifecycles (and their SLA timers), as a desk produces them.
  const random = seededRandom(firstIncident);
  const events: ItsmCloudEvent[] = [];
  for (let n = firstIncident; events.length < count; n += 1)
    for (const { event } of incidentEvents(n, random, Date.parse('2027-01-01T00:00:00Z')))
      events.push({ ...event, id: nameUuid(`${runId}-${event.id}`) });
  return events.slice(0, count);
}

function unprojectedMix(count: number, runId: string): ItsmCloudEvent[] {
  // Directory events: archived like every event, read by no projection.
  return Array.from({ length: count }, (_, index) => {
    const username = `bench-user-${index % 5000}`;
    return {
      specversion: CLOUD_EVENTS_SPEC_VERSION,
      id: nameUuid(`${runId}-directory-${index}`),
      source: '/itsm/gateway',
      type: EventTypes.directory.userUpdated,
      subject: username,
      time: new Date().toISOString(),
      datacontenttype: JSON_CONTENT_TYPE,
      dataschema: dataSchemaUri(EventTypes.directory.userUpdated),
      data: {
        user: { username, roles: ['agent'], groups: ['service-desk'], source: 'seed' },
        changedFields: ['roles'],
      },
    };
  });
}

function topicOf(event: ItsmCloudEvent): string {
  if (event.type.startsWith('itsm.sla.')) return Topics.slaEvents;
  if (event.type.startsWith('itsm.user.')) return Topics.directoryEvents;
  return Topics.incidentEvents;
}

export async function measureLive(
  pool: Pool,
  brokers: string,
  options: {
    mix: LiveMix;
    perSecond: number;
    seconds: number;
    drainSeconds: number;
    firstIncident: number;
    runId: string;
  },
  say: (message: string) => void,
): Promise<LiveFigures> {
  const count = options.perSecond * options.seconds;
  const events =
    options.mix === 'records'
      ? recordsMix(count, options.firstIncident, options.runId)
      : unprojectedMix(count, `${options.runId}-${options.mix}`);
  const publishedAt = new Map<string, number>();
  const seenAt = new Map<string, number>();
  const [{ start }] = (
    await pool.query<{ start: string }>(
      'SELECT COALESCE(max(sequence), 0)::text AS start FROM reporting.event_archive',
    )
  ).rows as [{ start: string }];
  let after = start;
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const { rows } = await pool.query<{ event_id: string; sequence: string }>(
        `SELECT event_id, sequence::text AS sequence FROM reporting.event_archive
          WHERE sequence > $1 ORDER BY sequence`,
        [after],
      );
      const now = performance.now();
      for (const row of rows) if (!seenAt.has(row.event_id)) seenAt.set(row.event_id, now);
      after = rows.at(-1)?.sequence ?? after;
      await sleep(POLL_MS);
    }
  })();

  const producer = new Kafka({
    clientId: 'itsm-bench-reporting',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const perTick = Math.max(1, Math.round((options.perSecond * TICK_MS) / 1000));
  const started = performance.now();
  let sent = 0;
  try {
    // Open loop: each tick's events go at their time whatever the consumer does.
    for (let tick = 0; sent < events.length; tick += 1) {
      const due = started + tick * TICK_MS;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const slice = events.slice(sent, sent + perTick);
      const byTopic = new Map<string, ItsmCloudEvent[]>();
      for (const event of slice)
        byTopic.set(topicOf(event), [...(byTopic.get(topicOf(event)) ?? []), event]);
      const at = performance.now();
      for (const event of slice) publishedAt.set(event.id, at);
      await producer.sendBatch({
        topicMessages: [...byTopic].map(([topic, batch]) => ({
          topic,
          messages: batch.map((event) => toKafkaRecord(event)),
        })),
      });
      sent += slice.length;
    }
  } finally {
    await producer.disconnect();
  }
  const publishedEnd = performance.now();
  const backlogAtEnd = events.filter((event) => !seenAt.has(event.id)).length;
  say(
    `${options.mix}: published ${sent} in ${round((publishedEnd - started) / 1000)} s; ` +
      `${backlogAtEnd} not archived yet`,
  );
  // Wait for the rest, giving up after drainSeconds without progress.
  let lastCount = seenAt.size;
  let lastProgress = performance.now();
  while (events.some((event) => !seenAt.has(event.id))) {
    await sleep(500);
    if (seenAt.size > lastCount) {
      lastCount = seenAt.size;
      lastProgress = performance.now();
    } else if (performance.now() - lastProgress > options.drainSeconds * 1000) break;
  }
  polling = false;
  await poller;

  const lags: number[] = [];
  const seen: number[] = [];
  for (const event of events) {
    const at = seenAt.get(event.id);
    const published = publishedAt.get(event.id);
    if (at === undefined || published === undefined) continue;
    lags.push(at - published);
    seen.push(at);
  }
  seen.sort((a, b) => a - b);
  const bySecond = new Map<number, number>();
  for (const at of seen) {
    if (at > publishedEnd) continue;
    const second = Math.floor((at - started) / 1000);
    bySecond.set(second, (bySecond.get(second) ?? 0) + 1);
  }
  // The first seconds fill the pipeline: the rate is over the seconds after them.
  const steady = [...bySecond].filter(([second]) => second >= 5).map(([, rows]) => rows);
  const first = seen[0];
  const last = seen.at(-1);
  return {
    mix: options.mix,
    description:
      options.mix === 'records'
        ? 'incident lifecycles and their SLA timers (the service_records and sla_timers projections)'
        : 'directory user events (archived, read by no projection)',
    targetPerSecond: options.perSecond,
    seconds: options.seconds,
    published: sent,
    publishedPerSecond: round(sent / ((publishedEnd - started) / 1000)),
    archived: seen.length,
    missing: events.length - seen.length,
    consumedPerSecond:
      first !== undefined && last !== undefined && last > first
        ? round((seen.length - 1) / ((last - first) / 1000))
        : null,
    perSecondWhilePublishing: distribution(steady),
    lagMs: distribution(lags),
    backlogAtEnd,
    drainSeconds:
      last !== undefined && last > publishedEnd ? round((last - publishedEnd) / 1000) : 0,
  };
}
