import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { type Pool } from 'pg';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  EventTypes,
  EventValidator,
  JSON_CONTENT_TYPE,
  Topics,
  dataSchemaUri,
  toKafkaRecord,
  type IncidentCreatedV1,
  type IncidentSnapshot,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import { nameUuid } from '../incident/dataset';
import { distribution, round, type Distribution } from '../stats';
import {
  BUSINESS_SERVICES,
  CATEGORIES,
  COMPONENTS,
  CONFIGURATION_ITEMS,
  GROUPS,
  HOT_CIS,
  HOT_SHARE,
  SYMPTOMS,
  businessServiceId,
  ciId,
} from './dataset';

/**
 * The candidate-rule load: `itsm.incident.created.v1` events for new incidents, as the
 * incident service publishes them (CloudEvents binary mode, keyed by the incident id,
 * snapshot valid against the catalog's schema), produced onto the incident topic as fast
 * as one producer goes; the problem service's consumer keeps its copy of each incident and
 * runs the candidate rules for it. Its inbox row (written in the same transaction) says
 * when each event was applied.
 */

/** Share of the events that come in clusters on one CI, and the size of a cluster. */
export const CLUSTER_SHARE = 0.4;
export const CLUSTER_SIZE = 4;

export interface EventLoad {
  events: ItsmCloudEvent<IncidentCreatedV1>[];
  clusters: number;
  /** Distinct CIs the events name. */
  distinctCis: number;
}

export interface EventFigures {
  events: number;
  clusters: number;
  distinctCis: number;
  /** From the first send to the last acknowledged batch. */
  produceSeconds: number;
  producedPerSecond: number;
  applied: number;
  /** Events whose inbox row never appeared before the time-out (dead-lettered or lost). */
  missing: number;
  deadLettered: number;
  /** From the first send until the last event's inbox row was committed. */
  applySeconds: number;
  appliedPerSecond: number;
  /** The consumer's own pace: from the first inbox row until the last was committed. */
  consumerSeconds: number;
  consumerPerSecond: number;
  /** Wall time per event at the consumer's pace (consumerSeconds / applied). */
  msPerEvent: number;
  /** processed_at - first send, per event (includes the queue the burst builds). */
  delayMs: Distribution;
  /**
   * Time between one event's inbox row and the next in processing order. The consumer
   * applies a run of a partition's events in one transaction, whose start every row of the
   * run holds: within a run the gap is 0, between runs it is what the run before cost.
   */
  gapMs: Distribution;
  candidatesOpened: number;
  /** Links the rules made (candidates' members and later cluster members). */
  incidentsLinkedByRules: number;
  copiesAdded: number;
}

/** xorshift32: the same events for the same seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

function snapshot(
  id: string,
  number: string,
  fields: Pick<
    IncidentSnapshot,
    'title' | 'description' | 'category' | 'businessServiceId' | 'ciIds' | 'impact' | 'urgency'
  >,
  now: string,
): IncidentSnapshot {
  return {
    id,
    number,
    type: 'incident',
    requester: 'user-00042',
    source: 'monitoring',
    subcategory: null,
    catalogItem: null,
    priority: `P${fields.impact + fields.urgency - 1}` as IncidentSnapshot['priority'],
    priorityOverrideReason: null,
    state: 'new',
    holdReason: null,
    awaitingChangeId: null,
    assignmentGroup: GROUPS[0] ?? 'service-desk',
    assignee: null,
    major: false,
    parentId: null,
    escalationLevel: 0,
    resolutionCode: null,
    resolutionNotes: null,
    openedAt: now,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    tags: [],
    externalRef: null,
    updatedAt: now,
    version: 1,
    ...fields,
  };
}

/**
 * `count` created events: CLUSTER_SHARE of them in clusters of CLUSTER_SIZE on one
 * ordinary CI each (a cluster reaches the default threshold of 3, so a candidate opens
 * unless an open problem already names the CI), the rest on CIs drawn as the dataset draws
 * them; shuffled, so a cluster's incidents arrive apart, on different partitions.
 */
export function buildEvents(
  count: number,
  firstNumber: number,
  runId: string,
  seed: number,
): EventLoad {
  const random = seededRandom(seed);
  const int = (bound: number) => Math.floor(random() * bound);
  const clusters = Math.floor((count * CLUSTER_SHARE) / CLUSTER_SIZE);
  const clusterCis = new Set<number>();
  while (clusterCis.size < clusters) clusterCis.add(HOT_CIS + int(CONFIGURATION_ITEMS - HOT_CIS));
  const cis: number[] = [...clusterCis].flatMap((ci) => Array<number>(CLUSTER_SIZE).fill(ci));
  while (cis.length < count)
    cis.push(random() < HOT_SHARE ? int(HOT_CIS) : int(CONFIGURATION_ITEMS));
  for (let i = cis.length - 1; i > 0; i -= 1) {
    const j = int(i + 1);
    [cis[i], cis[j]] = [cis[j] ?? 0, cis[i] ?? 0];
  }
  const now = new Date().toISOString();
  const events = cis.map((ci, index): ItsmCloudEvent<IncidentCreatedV1> => {
    const id = nameUuid(`bench-event-incident-${runId}-${index}`);
    const component = COMPONENTS[Math.floor(COMPONENTS.length * random() ** 2)] ?? 'vpn';
    const symptom = SYMPTOMS[int(SYMPTOMS.length)] ?? 'is slow';
    const incident = snapshot(
      id,
      `INC${String(firstNumber + index).padStart(7, '0')}`,
      {
        title: `${component} ${symptom}`,
        description: `Monitoring reports that ${component} ${symptom}.`,
        category: CATEGORIES[int(CATEGORIES.length)] ?? 'software',
        businessServiceId: businessServiceId(int(BUSINESS_SERVICES)),
        ciIds: [ciId(ci)],
        impact: (1 + int(3)) as IncidentSnapshot['impact'],
        urgency: (1 + int(3)) as IncidentSnapshot['urgency'],
      },
      now,
    );
    return {
      specversion: CLOUD_EVENTS_SPEC_VERSION,
      id: nameUuid(`bench-event-${runId}-${index}`),
      source: '/itsm/incident',
      type: EventTypes.incident.created,
      subject: id,
      time: now,
      datacontenttype: JSON_CONTENT_TYPE,
      dataschema: dataSchemaUri(EventTypes.incident.created),
      data: {
        incident,
        changedFields: ['title', 'description', 'category', 'businessServiceId', 'ciIds'],
        previous: {},
      },
    };
  });
  // An event the catalog rejects would be dead-lettered, not applied: check them all here.
  const validator = new EventValidator();
  for (const event of events) validator.assertValid(event.type, event.data);
  return { events, clusters, distinctCis: new Set(cis).size };
}

function kafkaClient(brokers: string): Kafka {
  return new Kafka({
    clientId: 'itsm-bench-problem',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
}

/** Sends the events in batches as fast as the broker acknowledges them; answers the seconds it took. */
export async function produceEvents(
  brokers: string,
  events: readonly ItsmCloudEvent[],
  batchSize = 500,
): Promise<number> {
  const producer = kafkaClient(brokers).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    const started = performance.now();
    for (let from = 0; from < events.length; from += batchSize) {
      await producer.send({
        topic: Topics.incidentEvents,
        messages: events.slice(from, from + batchSize).map((event) => toKafkaRecord(event)),
      });
    }
    return (performance.now() - started) / 1000;
  } finally {
    await producer.disconnect();
  }
}

interface InboxProgress {
  applied: number;
  first: Date | null;
  last: Date | null;
}

async function inboxProgress(
  pool: Pool,
  consumerGroup: string,
  eventIds: readonly string[],
): Promise<InboxProgress> {
  const { rows } = await pool.query<{ applied: string; first: Date | null; last: Date | null }>(
    `SELECT count(*) AS applied, min(processed_at) AS first, max(processed_at) AS last
     FROM "problem"."inbox" WHERE consumer_group = $1 AND event_id = ANY($2::text[])`,
    [consumerGroup, eventIds],
  );
  const row = rows[0];
  return { applied: Number(row?.applied ?? 0), first: row?.first ?? null, last: row?.last ?? null };
}

/**
 * Produces the events and waits until the problem service's inbox holds all of them (or
 * nothing moved for `stallSeconds`), then reads what the rules did in the database.
 */
export async function measureEvents(
  pool: Pool,
  brokers: string,
  consumerGroup: string,
  load: EventLoad,
  stallSeconds: number,
  progress: (message: string) => void,
): Promise<Omit<EventFigures, 'deadLettered'>> {
  const ids = load.events.map((event) => event.id);
  const { rows: before } = await pool.query<{ now: Date; copies: string }>(
    `SELECT now() AS now, (SELECT count(*) FROM "problem"."incident_copies") AS copies`,
  );
  const since = before[0]?.now ?? new Date();
  const sentAt = Date.now();
  const produceSeconds = await produceEvents(brokers, load.events);
  progress(
    `${load.events.length} events produced in ${produceSeconds.toFixed(1)} s; waiting for the inbox`,
  );
  let state = await inboxProgress(pool, consumerGroup, ids);
  let lastChange = Date.now();
  let lastReport = Date.now();
  while (state.applied < ids.length && Date.now() - lastChange < stallSeconds * 1000) {
    await sleep(100);
    const next = await inboxProgress(pool, consumerGroup, ids);
    if (next.applied !== state.applied) lastChange = Date.now();
    state = next;
    if (Date.now() - lastReport > 10_000) {
      progress(`${state.applied} of ${ids.length} events applied`);
      lastReport = Date.now();
    }
  }
  const { rows: delays } = await pool.query<{ ms: number; gap: number | null }>(
    `SELECT extract(epoch FROM processed_at - $3::timestamptz) * 1000 AS ms,
            extract(epoch FROM processed_at - lag(processed_at) OVER (ORDER BY processed_at)) * 1000 AS gap
     FROM "problem"."inbox" WHERE consumer_group = $1 AND event_id = ANY($2::text[])`,
    [consumerGroup, ids, new Date(sentAt)],
  );
  const { rows: effects } = await pool.query<{ opened: string; linked: string; copies: string }>(
    `SELECT (SELECT count(*) FROM "problem"."problems" WHERE source = 'auto' AND opened_at >= $1) AS opened,
            (SELECT count(*) FROM "problem"."problem_incidents"
              WHERE linked_by = 'system' AND linked_at >= $1) AS linked,
            (SELECT count(*) FROM "problem"."incident_copies") AS copies`,
    [since],
  );
  // An inbox row holds its transaction's start, and the consumer applies a run of events in
  // one transaction: the last run ends when its rows became visible to the polls above
  // (lastChange, at most 100 ms late), not at its rows' time.
  const appliedUntil = state.last ? Math.max(state.last.getTime(), lastChange) : Number.NaN;
  const applySeconds = (appliedUntil - sentAt) / 1000;
  const consumerSeconds = state.first ? (appliedUntil - state.first.getTime()) / 1000 : Number.NaN;
  const effect = effects[0];
  return {
    events: ids.length,
    clusters: load.clusters,
    distinctCis: load.distinctCis,
    produceSeconds: round(produceSeconds, 2) ?? 0,
    producedPerSecond: Math.round(ids.length / produceSeconds),
    applied: state.applied,
    missing: ids.length - state.applied,
    applySeconds: round(applySeconds, 2) ?? 0,
    appliedPerSecond: Math.round(state.applied / applySeconds),
    consumerSeconds: round(consumerSeconds, 2) ?? 0,
    consumerPerSecond: Math.round(state.applied / consumerSeconds),
    msPerEvent: round((consumerSeconds * 1000) / state.applied, 2) ?? 0,
    delayMs: distribution(delays.map((row) => Number(row.ms))),
    gapMs: distribution(delays.filter((row) => row.gap !== null).map((row) => Number(row.gap))),
    candidatesOpened: Number(effect?.opened ?? 0),
    incidentsLinkedByRules: Number(effect?.linked ?? 0),
    copiesAdded: Number(effect?.copies ?? 0) - Number(before[0]?.copies ?? 0),
  };
}
