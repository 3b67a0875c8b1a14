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
import { StatementParameters, qualifiedTable } from '@itsm/persistence';
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
 * Writes that must commit exactly when the events do, made in the events' own statement:
 * data-modifying CTEs (`name AS (INSERT …)`) numbering their placeholders with
 * `parameters`. A statement is atomic on its own, so such an append needs no transaction
 * around it, and the change and its events cost one round trip.
 */
export interface SameStatementWrites {
  ctes: readonly string[];
  parameters: StatementParameters;
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
    const [written] = await this.appendMany(manager, [event]);
    return written;
  }

  /**
   * Appends several events in one statement whatever their number (bulk writers such as
   * an import), in the order given; each key's lock is taken as {@link append} takes it.
   * With `alongside`, the change the events describe is written by the same statement.
   */
  async appendMany<TData>(
    manager: EntityManager,
    events: readonly NewDomainEvent<TData>[],
    alongside?: SameStatementWrites,
  ): Promise<ItsmCloudEvent<TData>[]> {
    if (!alongside && !manager.queryRunner?.isTransactionActive) {
      throw new Error('OutboxWriter.append must run inside the transaction that makes the change');
    }
    if (events.length === 0 && !alongside) return [];
    // An invalid event is a bug in the producer: refuse it before anything is committed.
    for (const event of events) this.validator.assertValid(event.type, event.data);
    const traceHeaders = currentTraceHeaders();
    const cloudEvents = events.map((event): ItsmCloudEvent<TData> => ({
      specversion: CLOUD_EVENTS_SPEC_VERSION,
      id: randomUUID(),
      source: serviceSource(this.serviceName),
      type: event.type,
      subject: event.subject,
      time: (event.time ?? new Date()).toISOString(),
      datacontenttype: JSON_CONTENT_TYPE,
      dataschema: dataSchemaUri(event.type),
      ...traceHeaders,
      ...(event.correlationId ? { correlationid: event.correlationId } : {}),
      ...(event.causationId ? { causationid: event.causationId } : {}),
      data: event.data,
    }));
    const metadata = manager.connection.getMetadata(OutboxMessage);
    const parameters = alongside?.parameters ?? new StatementParameters();
    const ids = parameters.add(cloudEvents.map((event) => event.id));
    const topics = parameters.add(events.map((event) => event.topic));
    const keys = parameters.add(events.map((event) => event.subject));
    const bodies = parameters.add(cloudEvents.map((event) => JSON.stringify(event)));
    const channel = parameters.add(outboxChannel(metadata.schema));
    // The per-key lock makes two transactions that emit for the same record take outbox
    // ids in commit order, which the relay relies on to publish a record's events in order.
    // Taken in key order, so that two writers locking overlapping keys cannot deadlock;
    // the locks come first (the CTE is joined), the relay is woken once.
    await manager.query(
      `WITH ${[...(alongside?.ctes ?? []), ''].join(',\n')}
            key_lock AS (
         SELECT count(*) AS locked
           FROM (SELECT pg_advisory_xact_lock(hashtextextended(key, 0))
                   FROM (SELECT DISTINCT unnest(${keys}::text[]) AS key ORDER BY 1) AS keys) AS locks),
            wake_relay AS (SELECT pg_notify(${channel}, ''))
       INSERT INTO ${qualifiedTable(metadata)} (event_id, topic, message_key, event)
       SELECT row.event_id, row.topic, row.message_key, row.event
         FROM unnest(${ids}::uuid[], ${topics}::text[], ${keys}::text[], ${bodies}::jsonb[])
              WITH ORDINALITY AS row(event_id, topic, message_key, event, position),
              key_lock, wake_relay
        ORDER BY row.position`,
      parameters.values,
    );
    return cloudEvents;
  }
}
