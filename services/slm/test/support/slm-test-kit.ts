import { randomUUID } from 'node:crypto';
import { type Producer } from 'kafkajs';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  JSON_CONTENT_TYPE,
  Topics,
  dataSchemaUri,
  fromKafkaRecord,
  toKafkaRecord,
  type IncidentSnapshot,
  type ItsmCloudEvent,
  type SlaTimerSnapshot,
} from '@itsm/contracts';
import { directClient, readWholeTopic, testKafka, type DirectClient } from '@itsm/testing';

export interface SlaEvent {
  type: string;
  time: string;
  /** The id of the incident or request event that caused it; none for a scheduler's firing. */
  causationId?: string;
  timer: SlaTimerSnapshot;
  threshold?: number;
}

export interface TimerView extends SlaTimerSnapshot {
  durationMs: number;
  kind: string;
}

/** Calls the slm service directly, as the gateway would for the seeded service level manager. */
export function asServiceLevelManager(slmUrl: string): DirectClient {
  return directClient('slm', slmUrl, 'service_level_manager');
}

/** Defines an SLA directly on the slm service, answering its id. */
export async function defineSla(slmUrl: string, body: Record<string, unknown>): Promise<string> {
  const response = await asServiceLevelManager(slmUrl).post('/api/v1/slas').send(body).expect(201);
  return (response.body as { id: string }).id;
}

/** An incident or request event as the incident service publishes it. */
export function recordEvent(
  type: string,
  record: IncidentSnapshot,
  changedFields: string[] = [],
  previous: Record<string, unknown> = {},
  time: Date = new Date(),
): ItsmCloudEvent {
  const data = type.startsWith('itsm.request.')
    ? { request: record, changedFields, previous }
    : { incident: record, changedFields, previous };
  return {
    specversion: CLOUD_EVENTS_SPEC_VERSION,
    id: randomUUID(),
    source: '/itsm/incident',
    type,
    subject: record.id,
    time: time.toISOString(),
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: dataSchemaUri(type),
    data,
  };
}

/**
 * Sends the events, each as its own message keyed by the record id, in order: a few hundred
 * per request, so that a backlog of thousands goes out quickly.
 */
export async function publish(producer: Producer, ...events: ItsmCloudEvent[]): Promise<void> {
  // Well under the broker's largest request (1 MiB by default).
  const perRequest = 200;
  for (let start = 0; start < events.length; start += perRequest) {
    const messages = events.slice(start, start + perRequest).map(toKafkaRecord);
    await producer.send({ topic: Topics.incidentEvents, messages });
  }
}

/** Every SLA event of this run about the given records, in topic order. */
export async function slaEventsAbout(recordIds: readonly string[]): Promise<SlaEvent[]> {
  const wanted = new Set(recordIds);
  const messages = await readWholeTopic(testKafka(), Topics.slaEvents);
  return messages
    .filter(({ message }) => wanted.has(message.key?.toString() ?? ''))
    .sort((a, b) => Number(BigInt(a.message.offset) - BigInt(b.message.offset)))
    .map(({ message }) => {
      const event = fromKafkaRecord(message) as ItsmCloudEvent<{
        timer: SlaTimerSnapshot;
        threshold?: number;
      }>;
      return {
        type: event.type,
        time: event.time,
        causationId: event.causationid,
        ...event.data,
      };
    });
}

/** Defines a business calendar directly on the slm service, answering its id. */
export async function defineCalendar(
  slmUrl: string,
  body: Record<string, unknown>,
): Promise<string> {
  const response = await asServiceLevelManager(slmUrl)
    .post('/api/v1/calendars')
    .send(body)
    .expect(201);
  return (response.body as { id: string }).id;
}

export async function timersOf(slmUrl: string, recordId: string): Promise<TimerView[]> {
  const response = await asServiceLevelManager(slmUrl)
    .get('/api/v1/sla-timers')
    .query({ recordId })
    .expect(200);
  return (response.body as { items: TimerView[] }).items;
}

/** A category no other test uses, so that only this test's definitions apply to its records. */
export function isolatedCategory(): string {
  return `slm-test-${randomUUID()}`;
}
