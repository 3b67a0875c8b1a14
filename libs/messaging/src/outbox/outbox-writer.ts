import { randomUUID } from 'node:crypto';
import { type EntityManager } from 'typeorm';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  JSON_CONTENT_TYPE,
  dataSchemaUri,
  serviceSource,
  type DomainTopic,
  type EventValidator,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import { currentTraceHeaders } from '../tracing/trace-context';
import { OutboxMessage } from './outbox-message.entity';
import { qualifiedTable } from '@itsm/persistence';
import { outboxChannel } from './outbox-sql';

export interface NewDomainEvent<TData> {
  topic: DomainTopic;
  type: string;
  /** The id of the record the event is about: the CloudEvents subject and the Kafka key. */
  subject: string;
  data: TData;
  correlationId?: string;
  causationId?: string;
  time?: Date;
}

/**
 * Appends events to the service's outbox inside the caller's transaction, so an event
 * exists exactly when the change it describes was committed.
 */
export class OutboxWriter {
  constructor(
    private readonly serviceName: string,
    private readonly validator: EventValidator,
  ) {}

  async append<TData>(
    manager: EntityManager,
    event: NewDomainEvent<TData>,
  ): Promise<ItsmCloudEvent<TData>> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must run inside the transaction that makes the change');
    }
    // An invalid event is a bug in the producer: refuse it before anything is committed.
    this.validator.assertValid(event.type, event.data);
    const cloudEvent: ItsmCloudEvent<TData> = {
      specversion: CLOUD_EVENTS_SPEC_VERSION,
      id: randomUUID(),
      source: serviceSource(this.serviceName),
      type: event.type,
      subject: event.subject,
      time: (event.time ?? new Date()).toISOString(),
      datacontenttype: JSON_CONTENT_TYPE,
      dataschema: dataSchemaUri(event.type),
      ...currentTraceHeaders(),
      ...(event.correlationId ? { correlationid: event.correlationId } : {}),
      ...(event.causationId ? { causationid: event.causationId } : {}),
      data: event.data,
    };
    const metadata = manager.connection.getMetadata(OutboxMessage);
    // The per-key lock makes two transactions that emit for the same record take outbox
    // ids in commit order, which the relay relies on to publish a record's events in order.
    await manager.query(
      `WITH key_lock AS (SELECT pg_advisory_xact_lock(hashtextextended($3, 0))),
            wake_relay AS (SELECT pg_notify($5, ''))
       INSERT INTO ${qualifiedTable(metadata)} (event_id, topic, message_key, event)
       SELECT $1, $2, $3, $4::jsonb FROM key_lock, wake_relay`,
      [
        cloudEvent.id,
        event.topic,
        event.subject,
        JSON.stringify(cloudEvent),
        outboxChannel(metadata.schema),
      ],
    );
    return cloudEvent;
  }
}
