import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { Topics, fromKafkaRecord, type ItsmCloudEvent } from '@itsm/contracts';
import { readWholeTopic } from '@itsm/testing';
import { type AcknowledgedWrite } from './load';

/** Every schema with an outbox, an inbox and a dead-letter ledger (one per service but the gateway). */
const SERVICE_SCHEMAS = ['incident', 'problem', 'change', 'slm', 'cmdb', 'reporting'];

/** What the databases and topics say after the run: the figures docs/reliability.md reports. */
export interface Figures {
  writesAcknowledged: number;
  incidentsStored: number;
  /** Acknowledged writes whose record or version is not stored. */
  lost: number;
  /** Distinct incident events on the topic, and the records on it beyond one per event (republished). */
  incidentEvents: number;
  duplicatesOnTopic: number;
  /** Stored record versions with no event on the topic. */
  versionsWithoutEvent: number;
  /** Two different events for one record version and kind of change. */
  eventsDoubled: number;
  /** Events the reporting archive holds more than once, or lacks. */
  archiveDuplicates: number;
  archiveMissing: number;
  /** Incident copies (problem) and SLA records (slm) behind the incident's version. */
  problemCopiesBehind: number;
  slmRecordsBehind: number;
  /** SLA timers: more than one per record and definition, none where one should be, breaches fired twice, overdue but not breached. */
  timersDoubled: number;
  timersMissing: number;
  breachesFiredTwice: number;
  timersOverdueNotBreached: number;
  slaBreaches: number;
  /** Rows still in an outbox (parked ones counted again in `parked`). */
  outboxLeft: number;
  parked: number;
  /** Dead letters other than the poison messages the suite fed, and the poison ones found. */
  unexpectedDeadLetters: number;
  poisonDeadLetters: number;
}

interface IncidentData {
  incident: { id: string; version: number };
}

export async function query<T>(
  databaseUrl: string,
  sql: string,
  parameters: unknown[] = [],
): Promise<T[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Rows left in any outbox: zero once every relay has caught up. */
export async function outboxBacklog(databaseUrl: string): Promise<number> {
  const counts = await query<{ n: number }>(
    databaseUrl,
    SERVICE_SCHEMAS.map((schema) => `SELECT count(*)::int AS n FROM "${schema}".outbox`).join(
      ' UNION ALL ',
    ),
  );
  return counts.reduce((sum, { n }) => sum + n, 0);
}

/**
 * Whether every consumer has caught up with the incident's stored versions (the archive
 * holds an event of every stored version, problem's copies and slm's records are current):
 * the moment the figures mean something.
 */
export async function consumersCaughtUp(databaseUrl: string): Promise<boolean> {
  const [row] = await query<{ behind: number }>(
    databaseUrl,
    `SELECT (SELECT count(*) FROM incident.records r
              LEFT JOIN problem.incident_copies c ON c.id = r.id
             WHERE r.type = 'incident' AND (c.version IS NULL OR c.version < r.version))
          + (SELECT count(*) FROM incident.records r
              LEFT JOIN slm.sla_records s ON s.record_id = r.id
             WHERE r.type = 'incident' AND (s.record_version IS NULL OR s.record_version < r.version))
          + (SELECT count(*) FROM incident.records r
             WHERE r.type = 'incident' AND NOT EXISTS (
               SELECT 1 FROM reporting.event_archive a
                WHERE a.subject = r.id::text
                  AND (a.event -> 'data' -> 'incident' ->> 'version')::int = r.version)) AS behind`,
  );
  return Number(row?.behind ?? 1) === 0;
}

export async function measure(
  databaseUrl: string,
  kafkaBrokers: string,
  acknowledged: readonly AcknowledgedWrite[],
  poisonKeys: readonly string[],
): Promise<Figures> {
  const stored = new Map(
    (
      await query<{ id: string; version: number }>(
        databaseUrl,
        `SELECT id, version FROM incident.records WHERE type = 'incident'`,
      )
    ).map((row) => [row.id, row.version]),
  );
  const lost = acknowledged.filter((write) => (stored.get(write.id) ?? 0) < write.version).length;

  // The incident topic as a new subscriber reads it.
  const kafka = new Kafka({
    clientId: 'itsm-faults',
    brokers: [kafkaBrokers],
    logLevel: logLevel.NOTHING,
  });
  const records = await readWholeTopic(kafka, Topics.incidentEvents, 120_000);
  const events = new Map<string, ItsmCloudEvent>();
  let unreadable = 0;
  for (const { message } of records) {
    try {
      const event = fromKafkaRecord(message);
      events.set(event.id, event);
    } catch {
      unreadable += 1; // the poison the suite fed
    }
  }
  const duplicatesOnTopic = records.length - unreadable - events.size;
  const byVersionAndType = new Map<string, number>();
  const versionsSeen = new Set<string>();
  for (const event of events.values()) {
    const { id, version } = (event.data as IncidentData).incident;
    versionsSeen.add(`${id}@${version}`);
    const key = `${id}@${version}/${event.type}`;
    byVersionAndType.set(key, (byVersionAndType.get(key) ?? 0) + 1);
  }
  const eventsDoubled = [...byVersionAndType.values()].filter((n) => n > 1).length;
  // Every version of a stored incident came from one change, and each change emits events.
  let versionsWithoutEvent = 0;
  for (const [id, version] of stored)
    for (let v = 1; v <= version; v += 1)
      if (!versionsSeen.has(`${id}@${v}`)) versionsWithoutEvent += 1;

  const archived = await query<{ event_id: string; n: number }>(
    databaseUrl,
    `SELECT event_id, count(*)::int AS n FROM reporting.event_archive
      WHERE topic = $1 GROUP BY event_id`,
    [Topics.incidentEvents],
  );
  const archiveDuplicates = archived.reduce((sum, { n }) => sum + n - 1, 0);
  const archivedIds = new Set(archived.map(({ event_id }) => event_id));
  const archiveMissing = [...events.keys()].filter((id) => !archivedIds.has(id)).length;

  const [behind] = await query<{ problem: number; slm: number }>(
    databaseUrl,
    `SELECT (SELECT count(*)::int FROM incident.records r LEFT JOIN problem.incident_copies c ON c.id = r.id
              WHERE r.type = 'incident' AND (c.version IS NULL OR c.version <> r.version)) AS problem,
            (SELECT count(*)::int FROM incident.records r LEFT JOIN slm.sla_records s ON s.record_id = r.id
              WHERE r.type = 'incident' AND (s.record_version IS NULL OR s.record_version <> r.version)) AS slm`,
  );

  // The suite's one SLA applies to every incident: exactly one timer each.
  const [timers] = await query<{
    doubled: number;
    missing: number;
    overdue: number;
    breached: number;
  }>(
    databaseUrl,
    `SELECT (SELECT count(*)::int FROM (SELECT 1 FROM slm.sla_timers GROUP BY record_id, sla_id HAVING count(*) > 1) d) AS doubled,
            (SELECT count(*)::int FROM incident.records r WHERE r.type = 'incident'
               AND NOT EXISTS (SELECT 1 FROM slm.sla_timers t WHERE t.record_id = r.id)) AS missing,
            (SELECT count(*)::int FROM slm.sla_timers
              WHERE state = 'running' AND due_at < now() - interval '30 seconds') AS overdue,
            (SELECT count(*)::int FROM slm.sla_timers WHERE breached_at IS NOT NULL) AS breached`,
  );
  const slaRecords = await readWholeTopic(kafka, Topics.slaEvents, 120_000);
  const breaches = new Map<string, Set<string>>();
  for (const { message } of slaRecords) {
    const event = fromKafkaRecord(message);
    if (!event.type.endsWith('.breached.v1')) continue;
    const timer = (event.data as { timer?: { id?: string } }).timer?.id ?? event.subject;
    breaches.set(timer, (breaches.get(timer) ?? new Set()).add(event.id));
  }
  const breachesFiredTwice = [...breaches.values()].filter((ids) => ids.size > 1).length;

  const [outbox] = await query<{ left: number; parked: number }>(
    databaseUrl,
    `SELECT coalesce(sum(n), 0)::int AS left, coalesce(sum(p), 0)::int AS parked FROM (${SERVICE_SCHEMAS.map(
      (schema) =>
        `SELECT count(*) AS n, count(*) FILTER (WHERE parked_at IS NOT NULL) AS p FROM "${schema}".outbox`,
    ).join(' UNION ALL ')}) o`,
  );
  const deadLetters = await query<{ key: string | null }>(
    databaseUrl,
    SERVICE_SCHEMAS.map((schema) => `SELECT message_key AS key FROM "${schema}".dead_letters`).join(
      ' UNION ALL ',
    ),
  );
  const poisonDeadLetters = deadLetters.filter(({ key }) => key && poisonKeys.includes(key)).length;

  return {
    writesAcknowledged: acknowledged.length,
    incidentsStored: stored.size,
    lost,
    incidentEvents: events.size,
    duplicatesOnTopic,
    versionsWithoutEvent,
    eventsDoubled,
    archiveDuplicates,
    archiveMissing,
    problemCopiesBehind: behind?.problem ?? -1,
    slmRecordsBehind: behind?.slm ?? -1,
    timersDoubled: timers?.doubled ?? -1,
    timersMissing: timers?.missing ?? -1,
    breachesFiredTwice,
    timersOverdueNotBreached: timers?.overdue ?? -1,
    slaBreaches: timers?.breached ?? -1,
    outboxLeft: outbox?.left ?? -1,
    parked: outbox?.parked ?? -1,
    unexpectedDeadLetters: deadLetters.length - poisonDeadLetters,
    poisonDeadLetters,
  };
}
