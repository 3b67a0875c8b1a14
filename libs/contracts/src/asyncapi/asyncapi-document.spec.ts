import { Parser } from '@asyncapi/parser';
import { dataSchemaUri } from '../envelope/cloud-event';
import { EVENT_CATALOG, EventTypes, type EventDefinition } from '../event-catalog';
import { EVENT_SUBSCRIPTIONS } from '../event-subscriptions';
import { ALL_DOMAIN_TOPICS, Topics } from '../topics';
import {
  DEAD_LETTER_CHANNEL,
  DEAD_LETTER_MESSAGE,
  buildAsyncApiDocument,
  type AsyncApiDocument,
} from './asyncapi-document';

/** Spectral's `DiagnosticSeverity.Error`; warnings (1), information (2) and hints (3) are allowed. */
const isError = (diagnostic: { severity: number }) => diagnostic.severity === 0;

async function parserErrors(document: AsyncApiDocument): Promise<string[]> {
  const { diagnostics } = await new Parser().parse(JSON.stringify(document));
  return diagnostics
    .filter(isError)
    .map(
      (diagnostic) => `${diagnostic.code}: ${diagnostic.message} at ${diagnostic.path.join('.')}`,
    );
}

describe('the AsyncAPI document built from the contracts', () => {
  const document = buildAsyncApiDocument({
    brokers: ['kafka-a:9092', 'kafka-b:9092'],
    partitions: 6,
    consumerGroupPrefix: 'itsm',
  });
  const channels = Object.values(document.channels);

  it('is AsyncAPI 3.0.0 that the AsyncAPI parser reads without errors', async () => {
    expect(document.asyncapi).toBe('3.0.0');
    expect(await parserErrors(document)).toEqual([]);
  });

  it('has one channel per domain topic, addressed by the topic name, with its Kafka binding', () => {
    for (const topic of ALL_DOMAIN_TOPICS) {
      const matching = channels.filter((channel) => channel.address === topic);
      expect(matching).toHaveLength(1);
      expect(matching[0].bindings.kafka).toMatchObject({ topic, partitions: 6 });
    }
  });

  it('has one message per event type of the catalog, its payload the type’s JSON Schema', () => {
    for (const definition of EVENT_CATALOG) {
      const message = document.components.messages[definition.type];
      expect(message.payload).toEqual(definition.schema);
      expect(message.payload).not.toBe(definition.schema);
      expect(message.summary).toBe(definition.summary);
      const channel = channels.find((candidate) => candidate.address === definition.topic);
      expect(channel?.messages[definition.type]).toEqual({
        $ref: `#/components/messages/${definition.type}`,
      });
    }
    const eventMessages = Object.keys(document.components.messages).filter(
      (id) => id !== DEAD_LETTER_MESSAGE,
    );
    expect(eventMessages.sort()).toEqual(EVENT_CATALOG.map((definition) => definition.type).sort());
  });

  it('describes the CloudEvents binary-mode headers and keys records by record id', () => {
    const [definition] = EVENT_CATALOG;
    const message = document.components.messages[definition.type];
    const headers = message.headers as {
      required: string[];
      properties: Record<string, { const?: string }>;
    };
    for (const header of [
      'ce_id',
      'ce_type',
      'ce_source',
      'ce_subject',
      'ce_time',
      'ce_specversion',
      'ce_dataschema',
      'ce_traceparent',
      'content-type',
    ]) {
      expect(headers.properties).toHaveProperty([header]);
    }
    expect(headers.required).toEqual(
      expect.arrayContaining(['ce_id', 'ce_type', 'ce_source', 'ce_subject', 'content-type']),
    );
    expect(headers.properties.ce_type.const).toBe(definition.type);
    expect(headers.properties.ce_dataschema.const).toBe(dataSchemaUri(definition.type));
    expect(headers.properties.ce_specversion.const).toBe('1.0');
    expect(message.bindings.kafka.key).toMatchObject({ type: 'string' });
  });

  const operationsDoing = (action: 'send' | 'receive') =>
    Object.values(document.operations).filter((operation) => operation.action === action);

  it('sends each topic’s messages, and only from the channel that holds them', () => {
    for (const operation of operationsDoing('send')) {
      const channelId = operation.channel.$ref.replace('#/channels/', '');
      expect(document.channels[channelId]).toBeDefined();
      for (const message of operation.messages) {
        expect(message.$ref.startsWith(`#/channels/${channelId}/messages/`)).toBe(true);
      }
    }
    const sent = operationsDoing('send').flatMap((operation) =>
      operation.messages.map((message) => message.$ref.split('/').at(-1)),
    );
    expect(sent).toEqual(
      expect.arrayContaining(EVENT_CATALOG.map((definition) => definition.type)),
    );
  });

  it('receives what each service consumes, as declared, in its consumer group', () => {
    const received = operationsDoing('receive');
    expect(received).toHaveLength(EVENT_SUBSCRIPTIONS.length);
    for (const operation of received) {
      const channelId = operation.channel.$ref.replace('#/channels/', '');
      for (const message of operation.messages) {
        const type = message.$ref.split('/').at(-1) as string;
        expect(message.$ref).toBe(`#/channels/${channelId}/messages/${type}`);
        expect(document.channels[channelId]?.messages).toHaveProperty([type]);
      }
    }
    expect(document.operations.cmdbReceivesChangeEvents).toMatchObject({
      action: 'receive',
      channel: { $ref: '#/channels/changeEvents' },
      messages: [{ $ref: `#/channels/changeEvents/messages/${EventTypes.change.completed}` }],
      bindings: { kafka: { groupId: { enum: ['itsm.cmdb'] } } },
    });
    expect(
      document.operations.incidentReceivesSlaEvents?.messages.map((message) =>
        message.$ref.split('/').at(-1),
      ),
    ).toEqual([EventTypes.sla.warning, EventTypes.sla.breached]);
    // Without a list of types, a service receives every type of the topic.
    expect(document.operations.slmReceivesIncidentEvents?.messages).toHaveLength(
      EVENT_CATALOG.filter((definition) => definition.topic === Topics.incidentEvents).length,
    );
    for (const topic of ALL_DOMAIN_TOPICS) {
      const channelId = Object.entries(document.channels).find(
        ([, channel]) => channel.address === topic,
      )?.[0] as string;
      expect(document.operations).toHaveProperty([
        `reportingReceives${channelId.charAt(0).toUpperCase()}${channelId.slice(1)}`,
      ]);
    }
  });

  it('follows the subscriptions it is given, and refuses one to a type its topic does not carry', async () => {
    const extended = buildAsyncApiDocument({
      brokers: [],
      consumerGroupPrefix: 'acme',
      subscriptions: [
        ...EVENT_SUBSCRIPTIONS,
        {
          service: 'problem',
          topic: Topics.incidentEvents,
          eventTypes: [EventTypes.incident.created],
          summary: 'New incidents are matched against known errors.',
        },
      ],
    });
    expect(extended.operations.problemReceivesIncidentEvents).toMatchObject({
      action: 'receive',
      messages: [{ $ref: `#/channels/incidentEvents/messages/${EventTypes.incident.created}` }],
      bindings: { kafka: { groupId: { enum: ['acme.problem'] } } },
    });
    expect(await parserErrors(extended)).toEqual([]);
    expect(() =>
      buildAsyncApiDocument({
        brokers: [],
        subscriptions: [
          {
            service: 'cmdb',
            topic: Topics.changeEvents,
            eventTypes: [EventTypes.sla.breached],
            summary: 'Wrong topic.',
          },
        ],
      }),
    ).toThrow(/does not carry/);
  });

  it('takes its servers from the configured brokers', () => {
    expect(Object.values(document.servers ?? {})).toEqual([
      expect.objectContaining({ host: 'kafka-a:9092', protocol: 'kafka' }),
      expect.objectContaining({ host: 'kafka-b:9092', protocol: 'kafka' }),
    ]);
    expect(buildAsyncApiDocument({ brokers: [] }).servers).toBeUndefined();
  });

  it('describes the dead-letter topics with their parameter and x-dlq headers', () => {
    const channel = document.channels[DEAD_LETTER_CHANNEL];
    expect(channel.address).toBe('itsm.dlq.{consumerGroup}.v1');
    expect(channel.parameters).toHaveProperty('consumerGroup');
    const headers = document.components.messages[DEAD_LETTER_MESSAGE].headers as {
      properties: Record<string, unknown>;
    };
    expect(Object.keys(headers.properties)).toEqual(
      expect.arrayContaining(['x-dlq-error-type', 'x-dlq-original-topic', 'x-dlq-consumer-group']),
    );
  });

  it('follows the catalog it is given: a new event type becomes a message on its topic', async () => {
    const extra: EventDefinition = {
      type: 'itsm.release.recorded.v1',
      topic: Topics.changeEvents,
      summary: 'A release was recorded.',
      schema: { type: 'object', properties: { id: { type: 'string' } } },
    };
    const extended = buildAsyncApiDocument({ brokers: [], catalog: [...EVENT_CATALOG, extra] });
    expect(extended.channels.changeEvents.messages).toHaveProperty([extra.type]);
    expect(extended.operations.sendChangeEvents.messages).toContainEqual({
      $ref: `#/channels/changeEvents/messages/${extra.type}`,
    });
    expect(extended.operations.sendChangeEvents.messages).toHaveLength(
      EVENT_CATALOG.filter((definition) => definition.topic === Topics.changeEvents).length + 1,
    );
    expect(await parserErrors(extended)).toEqual([]);
  });
});
