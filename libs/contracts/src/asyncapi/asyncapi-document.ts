import { dataSchemaUri } from '../envelope/cloud-event';
import { EVENT_CATALOG, type EventDefinition } from '../event-catalog';
import { EVENT_SUBSCRIPTIONS, type EventSubscription } from '../event-subscriptions';
import { Topics, deadLetterTopic, type DomainTopic } from '../topics';

/** A JSON Schema (AsyncAPI's default schema format is a superset of draft 07). */
export type AsyncApiSchemaObject = Record<string, unknown>;

export interface AsyncApiReference {
  $ref: string;
}

export interface AsyncApiServer {
  host: string;
  protocol: 'kafka';
  description?: string;
}

export interface AsyncApiMessage {
  name: string;
  title: string;
  summary?: string;
  description?: string;
  contentType: string;
  headers: AsyncApiSchemaObject;
  payload: AsyncApiSchemaObject;
  bindings: { kafka: { key: AsyncApiSchemaObject; bindingVersion: string } };
}

export interface AsyncApiChannel {
  address: string;
  title: string;
  description: string;
  messages: Record<string, AsyncApiReference>;
  parameters?: Record<string, { description: string; examples?: string[] }>;
  bindings: { kafka: { topic?: string; partitions?: number; bindingVersion: string } };
}

export interface AsyncApiOperation {
  action: 'send' | 'receive';
  title: string;
  summary: string;
  channel: AsyncApiReference;
  messages: AsyncApiReference[];
  bindings?: { kafka: { groupId: AsyncApiSchemaObject; bindingVersion: string } };
}

/** The parts of an AsyncAPI 3.0 document this platform uses. */
export interface AsyncApiDocument {
  asyncapi: '3.0.0';
  info: { title: string; version: string; description: string };
  defaultContentType: string;
  servers?: Record<string, AsyncApiServer>;
  channels: Record<string, AsyncApiChannel>;
  operations: Record<string, AsyncApiOperation>;
  components: { messages: Record<string, AsyncApiMessage> };
}

export interface AsyncApiOptions {
  /** Kafka bootstrap brokers (`host:port`), one server each. */
  brokers: readonly string[];
  /** Partitions per topic, as the migrate step creates them. */
  partitions?: number;
  /** `KAFKA_CONSUMER_GROUP_PREFIX`: consumer groups, and so dead-letter topics, are named after it. */
  consumerGroupPrefix?: string;
  /** The document's version (`info.version`). */
  version?: string;
  /** The event types to describe; the whole catalog by default. */
  catalog?: readonly EventDefinition[];
  /** What each service consumes, one `receive` operation each; {@link EVENT_SUBSCRIPTIONS} by default. */
  subscriptions?: readonly EventSubscription[];
}

const KAFKA_BINDING_VERSION = '0.5.0';
const JSON_CONTENT = 'application/json';
export const DEAD_LETTER_CHANNEL = 'deadLetters';
export const DEAD_LETTER_MESSAGE = 'deadLetter';

const TOPIC_DESCRIPTIONS: Record<DomainTopic, string> = {
  [Topics.incidentEvents]: 'Incidents and service requests.',
  [Topics.problemEvents]: 'Problems and known errors.',
  [Topics.changeEvents]: 'Changes, approvals and releases.',
  [Topics.slaEvents]: 'SLA timers.',
  [Topics.cmdbEvents]: 'Configuration items and relationships.',
  [Topics.directoryEvents]: 'Users and groups.',
  [Topics.reportEvents]: 'KPI thresholds crossed and cleared.',
};

/** Where dead-lettered records came from and why they were given up on (headers added to the original ones). */
const DEAD_LETTER_HEADERS: Record<string, AsyncApiSchemaObject> = {
  'x-dlq-error-type': {
    type: 'string',
    description:
      "The error's name, e.g. `MalformedEventError`, `EventSchemaViolation`, `TypeError`.",
  },
  'x-dlq-error-message': {
    type: 'string',
    maxLength: 4000,
    description: "The error's message.",
  },
  'x-dlq-original-topic': { type: 'string', description: 'The topic the record was read from.' },
  'x-dlq-original-partition': {
    type: 'string',
    pattern: '^[0-9]+$',
    description: 'Its partition there.',
  },
  'x-dlq-original-offset': {
    type: 'string',
    pattern: '^[0-9]+$',
    description: 'Its offset there.',
  },
  'x-dlq-consumer-group': { type: 'string', description: 'The consumer group that gave up on it.' },
  'x-dlq-attempts': {
    type: 'string',
    pattern: '^[0-9]+$',
    description: 'Handler attempts made (0 when the record could not be read).',
  },
  'x-dlq-failed-at': {
    type: 'string',
    format: 'date-time',
    description: 'When the group gave up on it (ISO 8601).',
  },
};

/** `itsm.incident.events.v1` -> `incidentEvents`: channel ids are the constants' names. */
function channelIdOf(topic: string): string {
  const entry = Object.entries(Topics).find(([, name]) => name === topic);
  if (!entry) throw new Error(`topic ${topic} is not a domain topic`);
  return entry[0];
}

const capitalized = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

function operationIdOf(channelId: string): string {
  return `send${capitalized(channelId)}`;
}

/** `incident` receiving `slaEvents` -> `incidentReceivesSlaEvents`. */
function receiveOperationIdOf(service: string, channelId: string): string {
  const serviceId = service.replace(/[^a-zA-Z0-9]+(.)?/g, (_, next?: string) =>
    next ? next.toUpperCase() : '',
  );
  return `${serviceId}Receives${capitalized(channelId)}`;
}

/**
 * The CloudEvents attributes of an event as Kafka headers (binary content mode, see
 * docs/events.md), with `ce_type` and `ce_dataschema` fixed when the type is known.
 */
export function cloudEventsKafkaHeaders(type?: string): AsyncApiSchemaObject {
  return {
    type: 'object',
    description:
      'CloudEvents 1.0 attributes in binary content mode: one `ce_` header per attribute, the data in the record value.',
    required: [
      'ce_specversion',
      'ce_id',
      'ce_source',
      'ce_type',
      'ce_subject',
      'ce_time',
      'ce_dataschema',
      'content-type',
    ],
    properties: {
      ce_specversion: { type: 'string', const: '1.0', description: 'CloudEvents `specversion`.' },
      ce_id: {
        type: 'string',
        format: 'uuid',
        description: 'CloudEvents `id`: unique per event; consumers deduplicate on it.',
      },
      ce_source: {
        type: 'string',
        pattern: '^/itsm/[a-z][a-z0-9-]*$',
        description: 'CloudEvents `source`: the producing service.',
        examples: ['/itsm/incident'],
      },
      ce_type: {
        type: 'string',
        ...(type ? { const: type } : { pattern: '^itsm\\.[a-z_]+\\.[a-z_]+\\.v[0-9]+$' }),
        description: 'CloudEvents `type`: `itsm.<record>.<what happened>.v<n>`.',
      },
      ce_subject: {
        type: 'string',
        description:
          'CloudEvents `subject`: the id of the record the event is about; also the key.',
      },
      ce_time: {
        type: 'string',
        format: 'date-time',
        description: 'CloudEvents `time`: when the change was made (ISO 8601, UTC).',
      },
      ce_dataschema: {
        type: 'string',
        format: 'uri',
        ...(type ? { const: dataSchemaUri(type) } : {}),
        description: 'CloudEvents `dataschema`: the JSON Schema the value conforms to.',
      },
      ce_datacontenttype: {
        type: 'string',
        const: JSON_CONTENT,
        description: 'CloudEvents `datacontenttype`.',
      },
      ce_traceparent: {
        type: 'string',
        pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
        description: 'W3C trace context of the request that made the change.',
      },
      ce_tracestate: { type: 'string', description: 'W3C `tracestate`, when there is one.' },
      ce_correlationid: {
        type: 'string',
        description: 'The request that started a chain of events, when set.',
      },
      ce_causationid: {
        type: 'string',
        description: 'The id of the event that caused this one, when set.',
      },
      ce_partitionkey: {
        type: 'string',
        description: 'CloudEvents `partitionkey`: the record id, as the key.',
      },
      'content-type': {
        type: 'string',
        const: JSON_CONTENT,
        description: 'The content type of the value (CloudEvents `datacontenttype`).',
      },
      traceparent: {
        type: 'string',
        description:
          'Plain W3C trace context written by the OpenTelemetry Kafka instrumentation when the relay publishes.',
      },
    },
  };
}

function recordKey(description: string): AsyncApiSchemaObject {
  return { type: 'string', description };
}

function eventMessage(definition: EventDefinition): AsyncApiMessage {
  const { title, description } = definition.schema as { title?: unknown; description?: unknown };
  return {
    name: definition.type,
    title: typeof title === 'string' ? title : definition.type,
    summary: definition.summary,
    ...(typeof description === 'string' ? { description } : {}),
    contentType: JSON_CONTENT,
    headers: cloudEventsKafkaHeaders(definition.type),
    payload: structuredClone(definition.schema),
    bindings: {
      kafka: {
        key: recordKey('The id of the record the event is about (the CloudEvents `subject`).'),
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

function deadLetterMessage(): AsyncApiMessage {
  const original = cloudEventsKafkaHeaders();
  return {
    name: DEAD_LETTER_MESSAGE,
    title: 'Dead letter',
    summary: 'A record a consumer group could not apply, with the error.',
    description:
      'The original record unchanged (key, value and headers), plus `x-dlq-*` headers saying where it came from and why it was given up on. A record that was not a CloudEvent may lack the `ce_` headers.',
    contentType: JSON_CONTENT,
    headers: {
      type: 'object',
      required: Object.keys(DEAD_LETTER_HEADERS),
      properties: {
        ...(original.properties as Record<string, AsyncApiSchemaObject>),
        ...DEAD_LETTER_HEADERS,
      },
    },
    payload: { description: 'The original record value, unchanged.' },
    bindings: {
      kafka: {
        key: recordKey('The original key.'),
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

/**
 * The AsyncAPI 3.0 document of the platform's events, generated from the contracts: one
 * channel per domain topic (address = topic name), one message per event type with its
 * JSON Schema as payload and its CloudEvents headers, a send operation per topic that
 * carries events, a receive operation per service and topic it consumes (from
 * {@link EVENT_SUBSCRIPTIONS}), and the consumer groups' dead-letter topics.
 */
export function buildAsyncApiDocument(options: AsyncApiOptions): AsyncApiDocument {
  const catalog = options.catalog ?? EVENT_CATALOG;
  const prefix = options.consumerGroupPrefix ?? 'itsm';
  const messages: Record<string, AsyncApiMessage> = {};
  const channels: Record<string, AsyncApiChannel> = {};
  const operations: Record<string, AsyncApiOperation> = {};

  for (const topic of Object.values(Topics)) {
    const channelId = channelIdOf(topic);
    const definitions = catalog.filter((definition) => definition.topic === topic);
    const channelMessages: Record<string, AsyncApiReference> = {};
    for (const definition of definitions) {
      messages[definition.type] = eventMessage(definition);
      channelMessages[definition.type] = { $ref: `#/components/messages/${definition.type}` };
    }
    channels[channelId] = {
      address: topic,
      title: topic,
      description: `${TOPIC_DESCRIPTIONS[topic]} Keyed by record id, so one record's events stay in order.${
        definitions.length === 0 ? ' No event type is published on this topic yet.' : ''
      }`,
      messages: channelMessages,
      bindings: {
        kafka: {
          topic,
          ...(options.partitions ? { partitions: options.partitions } : {}),
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
    if (definitions.length > 0) {
      operations[operationIdOf(channelId)] = {
        action: 'send',
        title: `Publish on ${topic}`,
        summary: `The owning service publishes its changes on ${topic}, through its transactional outbox.`,
        channel: { $ref: `#/channels/${channelId}` },
        messages: definitions.map((definition) => ({
          $ref: `#/channels/${channelId}/messages/${definition.type}`,
        })),
      };
    }
  }

  for (const subscription of options.subscriptions ?? EVENT_SUBSCRIPTIONS) {
    const channelId = channelIdOf(subscription.topic);
    const received = catalog.filter(
      (definition) =>
        definition.topic === subscription.topic &&
        (!subscription.eventTypes || subscription.eventTypes.includes(definition.type)),
    );
    const unknown = (subscription.eventTypes ?? []).filter(
      (type) => !received.some((definition) => definition.type === type),
    );
    if (unknown.length > 0)
      throw new Error(
        `${subscription.service} subscribes to ${unknown.join(', ')}, which ${subscription.topic} does not carry`,
      );
    const group = `${prefix}.${subscription.service}`;
    operations[receiveOperationIdOf(subscription.service, channelId)] = {
      action: 'receive',
      title: `${subscription.service} receives ${subscription.topic}`,
      summary: `${subscription.summary} Consumer group \`${group}\`; each event applied once (inbox), failures to \`${deadLetterTopic(group)}\`.`,
      channel: { $ref: `#/channels/${channelId}` },
      messages: received.map((definition) => ({
        $ref: `#/channels/${channelId}/messages/${definition.type}`,
      })),
      bindings: {
        kafka: {
          groupId: { type: 'string', enum: [group] },
          bindingVersion: KAFKA_BINDING_VERSION,
        },
      },
    };
  }

  messages[DEAD_LETTER_MESSAGE] = deadLetterMessage();
  channels[DEAD_LETTER_CHANNEL] = {
    address: deadLetterTopic('{consumerGroup}'),
    title: 'Dead-letter topics',
    description:
      "One per consumer group: the records the group could not apply (not a CloudEvent, data breaking its schema, or a handler that kept failing), so one group's poison never blocks another's.",
    parameters: {
      consumerGroup: {
        description: `The consumer group, \`<KAFKA_CONSUMER_GROUP_PREFIX>.<service>\`.`,
        examples: [`${prefix}.reporting`],
      },
    },
    messages: {
      [DEAD_LETTER_MESSAGE]: { $ref: `#/components/messages/${DEAD_LETTER_MESSAGE}` },
    },
    bindings: { kafka: { bindingVersion: KAFKA_BINDING_VERSION } },
  };
  operations[operationIdOf(DEAD_LETTER_CHANNEL)] = {
    action: 'send',
    title: 'Dead-letter a record',
    summary: 'A consumer group sends a record it gives up on to its dead-letter topic.',
    channel: { $ref: `#/channels/${DEAD_LETTER_CHANNEL}` },
    messages: [{ $ref: `#/channels/${DEAD_LETTER_CHANNEL}/messages/${DEAD_LETTER_MESSAGE}` }],
  };

  const servers: Record<string, AsyncApiServer> = {};
  options.brokers.forEach((broker, index) => {
    servers[`kafka-${index + 1}`] = {
      host: broker,
      protocol: 'kafka',
      description: 'A Kafka bootstrap broker.',
    };
  });

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'ITSM platform events',
      version: options.version ?? 'v1',
      description:
        'Every state change of every service, published on Kafka as a CloudEvents 1.0 event in binary content mode: the attributes as `ce_` headers, the data as the JSON value, the record id as the key. Generated from `libs/contracts`.',
    },
    defaultContentType: JSON_CONTENT,
    ...(options.brokers.length > 0 ? { servers } : {}),
    channels,
    operations,
    components: { messages },
  };
}
