import { CloudEvent, Kafka, type KafkaMessage as CeKafkaMessage } from 'cloudevents';
import { type ItsmCloudEvent } from './cloud-event';

/** A Kafka record as kafkajs produces and consumes it (value and header values as bytes or text). */
export interface KafkaRecord {
  key: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
  timestamp?: string;
}

export class MalformedEventError extends Error {
  constructor(reason: string) {
    super(`malformed CloudEvent: ${reason}`);
    this.name = 'MalformedEventError';
  }
}

/**
 * Maps an event onto a Kafka record in CloudEvents binary content mode: attributes as
 * `ce_*` headers, data as the JSON value, the subject (record id) as the key.
 */
export function toKafkaRecord(event: ItsmCloudEvent): {
  key: string;
  value: string;
  headers: Record<string, string>;
} {
  const ce = new CloudEvent({ ...event, partitionkey: event.subject }, true);
  const message = Kafka.binary(ce);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = String(value);
  }
  return { key: event.subject, value: JSON.stringify(event.data), headers };
}

/** Reads a Kafka record written by {@link toKafkaRecord} (or any CloudEvents Kafka binding) back into an event. */
export function fromKafkaRecord(record: KafkaRecord): ItsmCloudEvent {
  const headers: Record<string, string> = {};
  for (const [name, raw] of Object.entries(record.headers ?? {})) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (value !== undefined) headers[name.toLowerCase()] = value.toString();
  }
  if (record.value === null) throw new MalformedEventError('the record has no value');
  let event: CloudEvent<unknown>;
  try {
    const parsed = Kafka.toEvent({
      key: record.key?.toString() ?? '',
      value: record.value.toString(),
      headers,
      body: record.value.toString(),
      timestamp: record.timestamp ?? '',
    } as CeKafkaMessage<string>);
    event = (Array.isArray(parsed) ? parsed[0] : parsed) as CloudEvent<unknown>;
  } catch (error) {
    throw new MalformedEventError(error instanceof Error ? error.message : String(error));
  }
  let data: unknown = event.data;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      throw new MalformedEventError('data is not valid JSON');
    }
  }
  for (const required of ['id', 'type', 'source', 'subject', 'time'] as const) {
    if (!event[required]) throw new MalformedEventError(`attribute "${required}" is missing`);
  }
  // `partitionkey` only maps the Kafka key onto the event; the key is already the subject.
  const { partitionkey: _key, ...attributes } = event.toJSON() as unknown as ItsmCloudEvent & {
    partitionkey?: string;
  };
  return { ...attributes, data };
}
