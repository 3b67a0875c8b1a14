import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import {
  createIdempotentProducer,
  createKafka,
  ensureTopics,
  kafkaSecurityOptions,
  type KafkaSaslMechanism,
} from '@itsm/messaging';
import { ALL_DOMAIN_TOPICS, Topics, deadLetterTopic, toKafkaRecord } from '@itsm/contracts';
import {
  REPO_ROOT,
  SecuredKafkaBroker,
  ServiceProcess,
  eventually,
  incidentCreatedEvent,
  readWholeTopic,
  serviceEnvironment,
} from '@itsm/testing';
import { kafkaSecurityOf } from './kafka-security';
import { loadServiceConfig } from './service-config';

/**
 * The path a service takes: its environment, validated, into the settings every one of
 * its Kafka clients is made with; against a broker that speaks SASL_SSL only.
 */
describe('Kafka clients made from KAFKA_SSL* and KAFKA_SASL_*, against a SASL_SSL broker', () => {
  let broker: SecuredKafkaBroker;

  beforeAll(async () => {
    broker = await SecuredKafkaBroker.start();
  }, 120_000);

  afterAll(async () => {
    await broker?.stop();
  });

  const settingsFrom = (variables: Record<string, string>) =>
    kafkaSecurityOf(
      loadServiceConfig(
        'incident',
        3001,
        {},
        {
          NODE_ENV: 'test',
          DATABASE_URL: 'postgres://itsm:itsm@127.0.0.1:5432/itsm',
          KAFKA_BROKERS: broker.bootstrap,
          KAFKA_SSL: 'true',
          ...variables,
        },
      ).env,
    );
  const credentials = (mechanism: KafkaSaslMechanism & keyof SecuredKafkaBroker['passwords']) => ({
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: SecuredKafkaBroker.username,
    KAFKA_SASL_PASSWORD: broker.passwords[mechanism],
  });
  /** How connecting fails, from a client that does not retry (the platform's would, for a minute). */
  const connectionFailure = async (variables: Record<string, string>): Promise<string> => {
    const admin = new Kafka({
      clientId: 'refused',
      brokers: [broker.bootstrap],
      ...kafkaSecurityOptions(settingsFrom(variables)),
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    }).admin();
    try {
      await admin.connect();
      return 'connected';
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      await admin.disconnect();
    }
  };

  it.each(['scram-sha-512', 'plain'] as const)(
    'creates a topic, produces and consumes over TLS with SASL %s',
    async (mechanism) => {
      const kafka = createKafka(
        {
          brokers: [broker.bootstrap],
          clientId: `secured-${mechanism}`,
          security: settingsFrom({ KAFKA_SSL_CA_FILE: broker.caFile, ...credentials(mechanism) }),
        },
        new Logger('kafka'),
      );
      const topic = `itsm.secured-test.${mechanism}.v1`;
      await ensureTopics(kafka, [{ topic, numPartitions: 1 }]);
      const producer = createIdempotentProducer(kafka);
      await producer.connect();
      const key = randomUUID();
      try {
        await producer.send({ topic, messages: [{ key, value: 'over TLS' }] });
      } finally {
        await producer.disconnect();
      }
      const read = await readWholeTopic(kafka, topic);
      expect(
        read.map(({ message }) => [message.key?.toString(), message.value?.toString()]),
      ).toEqual([[key, 'over TLS']]);
    },
  );

  it('is what a service and its migrate step connect with: it gets ready and consumes', async () => {
    const groupPrefix = `itsm-secured-${randomUUID().slice(0, 8)}`;
    const consumerGroup = `${groupPrefix}.reporting`;
    const variables = {
      KAFKA_BROKERS: broker.bootstrap,
      KAFKA_CONSUMER_GROUP_PREFIX: groupPrefix,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: broker.caFile,
      ...credentials('scram-sha-512'),
    };
    await promisify(execFile)(
      process.execPath,
      [join(REPO_ROOT, 'dist/services/reporting/src/migrate.js')],
      { env: { PATH: process.env.PATH ?? '', ...serviceEnvironment('reporting', variables) } },
    );
    const kafka = createKafka(
      { brokers: [broker.bootstrap], clientId: 'secured-test', security: settingsFrom(variables) },
      new Logger('kafka'),
    );
    const admin = kafka.admin();
    await admin.connect();
    try {
      // The migrate step's admin client made the service's dead-letter topic.
      expect(await admin.listTopics()).toContain(deadLetterTopic(consumerGroup));
      // The domain topics stand for the other services' migrate steps.
      await ensureTopics(
        kafka,
        ALL_DOMAIN_TOPICS.map((topic) => ({ topic, numPartitions: 1 })),
      );
      // Ready: its readiness check's admin client reached the broker.
      const reporting = await ServiceProcess.start('reporting', variables);
      try {
        const producer = createIdempotentProducer(kafka);
        await producer.connect();
        await producer
          .send({ topic: Topics.incidentEvents, messages: [toKafkaRecord(incidentCreatedEvent())] })
          .finally(() => producer.disconnect());
        // Its consumer read the event and committed past it: on this new one-partition
        // topic the event is the only record, offset 0.
        await eventually(
          async () => {
            const [committed] = await admin.fetchOffsets({
              groupId: consumerGroup,
              topics: [Topics.incidentEvents],
            });
            return committed?.partitions[0]?.offset === '1' ? true : undefined;
          },
          { description: "the reporting group's committed offset past the event" },
        );
      } finally {
        await reporting.stop();
      }
    } finally {
      await admin.disconnect();
    }
  });

  it('is refused with a wrong password', async () => {
    expect(
      await connectionFailure({
        KAFKA_SSL_CA_FILE: broker.caFile,
        ...credentials('scram-sha-512'),
        KAFKA_SASL_PASSWORD: 'not-the-password',
      }),
    ).toMatch(/SASL SCRAM SHA512 authentication failed.*invalid credentials/);
  });

  it.each([
    ['a CA that did not sign the broker', () => ({ KAFKA_SSL_CA_FILE: broker.untrustedCaFile })],
    ["Node's public roots only", () => ({})],
  ])('does not trust the broker with %s', async (_, trust) => {
    expect(await connectionFailure({ ...trust(), ...credentials('scram-sha-512') })).toMatch(
      /unable to verify the first certificate/,
    );
  });
});
