import { randomUUID } from 'node:crypto';
import { CLOUD_EVENTS_SPEC_VERSION, JSON_CONTENT_TYPE, type ItsmCloudEvent } from './cloud-event';
import { MalformedEventError, fromKafkaRecord, toKafkaRecord } from './kafka-binding';

const event: ItsmCloudEvent<{ answer: number }> = {
  specversion: CLOUD_EVENTS_SPEC_VERSION,
  id: randomUUID(),
  source: '/itsm/incident',
  type: 'itsm.incident.created.v1',
  subject: randomUUID(),
  time: '2026-11-22T10:00:00.000Z',
  datacontenttype: JSON_CONTENT_TYPE,
  dataschema: 'https://schemas.itsm.dev/events/itsm.incident.created.v1.json',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  correlationid: 'c-1',
  data: { answer: 42 },
};

describe('the CloudEvents Kafka binding (binary content mode)', () => {
  it('puts attributes in ce_ headers, the data in the value and the subject in the key', () => {
    const record = toKafkaRecord(event);
    expect(record.key).toBe(event.subject);
    expect(JSON.parse(record.value)).toEqual({ answer: 42 });
    expect(record.headers).toMatchObject({
      ce_id: event.id,
      ce_type: event.type,
      ce_source: event.source,
      ce_subject: event.subject,
      ce_specversion: '1.0',
      ce_traceparent: event.traceparent,
      ce_correlationid: 'c-1',
      'content-type': JSON_CONTENT_TYPE,
    });
  });

  it('reads back exactly the event it wrote, from bytes as kafkajs delivers them', () => {
    const record = toKafkaRecord(event);
    const consumed = {
      key: Buffer.from(record.key),
      value: Buffer.from(record.value),
      headers: Object.fromEntries(
        Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value)]),
      ),
    };
    expect(fromKafkaRecord(consumed)).toEqual(event);
  });

  it('refuses a record that is not a CloudEvent', () => {
    expect(() => fromKafkaRecord({ key: 'k', value: '{"hello":"world"}', headers: {} })).toThrow(
      MalformedEventError,
    );
    expect(() =>
      fromKafkaRecord({ key: 'k', value: null, headers: toKafkaRecord(event).headers }),
    ).toThrow(/no value/);
  });

  it('refuses data that is not JSON', () => {
    const record = toKafkaRecord(event);
    expect(() => fromKafkaRecord({ ...record, value: '{not json' })).toThrow(MalformedEventError);
  });
});
