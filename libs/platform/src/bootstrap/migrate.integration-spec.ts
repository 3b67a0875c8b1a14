import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { deadLetterTopic } from '@itsm/contracts';
import { testEnvironment } from '@itsm/testing';
import { type ServiceDefinition } from '../service-definition';
import { migrateService } from './migrate';

/**
 * The migrate step as the Helm chart's hook Job runs it, with and without the topics: a
 * service of its own (a fresh schema, a fresh consumer group prefix), so the topic it would
 * create is one no other suite has made.
 */
describe('the migrate step and ITSM_MIGRATE_TOPICS', () => {
  const { databaseUrl, kafkaBrokers } = testEnvironment();
  const schemas: string[] = [];
  const kafka = new Kafka({ brokers: [kafkaBrokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    await admin.connect();
  });

  afterAll(async () => {
    await admin.disconnect();
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  /** Migrates a throw-away service; resolves to its dead-letter topic and whether its schema exists. */
  async function migrate(variables: Record<string, string>) {
    const suffix = randomUUID().slice(0, 8);
    const schema = `migrate_topics_${suffix}`;
    schemas.push(schema);
    const definition: ServiceDefinition = {
      name: 'incident',
      defaultPort: 3001,
      schema,
      entities: [],
      migrations: [],
      publishes: [],
    };
    const prefix = `itsm-migrate-topics-${suffix}`;
    await migrateService(definition, {
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: kafkaBrokers,
      KAFKA_CONSUMER_GROUP_PREFIX: prefix,
      KAFKA_TOPIC_PARTITIONS: '1',
      ...variables,
    });
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [
      schema,
    ]);
    await client.end();
    return { topic: deadLetterTopic(`${prefix}.incident`), schemaExists: rowCount === 1 };
  }

  it('creates the service’s topics by default', async () => {
    const { topic, schemaExists } = await migrate({});
    expect(schemaExists).toBe(true);
    expect(await admin.listTopics()).toContain(topic);
    await admin.deleteTopics({ topics: [topic] });
  });

  it('migrates the schema but leaves the topics to whatever manages them with ITSM_MIGRATE_TOPICS=false', async () => {
    const { topic, schemaExists } = await migrate({ ITSM_MIGRATE_TOPICS: 'false' });
    expect(schemaExists).toBe(true);
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('does not need Kafka at all then', async () => {
    // Nothing listens on port 1: a migrate step that tried Kafka would fail (after retries).
    const { schemaExists } = await migrate({
      ITSM_MIGRATE_TOPICS: 'false',
      KAFKA_BROKERS: '127.0.0.1:1',
    });
    expect(schemaExists).toBe(true);
  });
});
