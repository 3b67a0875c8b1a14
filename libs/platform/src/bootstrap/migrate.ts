import { Logger } from '@nestjs/common';
import { deadLetterTopic } from '@itsm/contracts';
import { createKafka, ensureTopics } from '@itsm/messaging';
import { createServiceDataSource, runServiceMigrations } from '@itsm/persistence';
import { kafkaSecurityOf } from '../config/kafka-security';
import { loadServiceConfig } from '../config/service-config';
import { consumerGroupOf } from '../platform.module';
import { type ServiceDefinition } from '../service-definition';

/**
 * The migrate step of one service, run before the service starts (by `npm start`, by the
 * test harness, or as a Kubernetes Job): applies its migrations and creates the Kafka
 * topics it publishes on and its dead-letter topic, unless `ITSM_MIGRATE_TOPICS=false`
 * says something else manages them (Strimzi `KafkaTopic` resources, a managed Kafka's
 * console), and then it does not connect to Kafka at all.
 */
export async function migrateService(
  definition: ServiceDefinition,
  source: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const logger = new Logger(`migrate:${definition.name}`);
  const config = loadServiceConfig(definition.name, definition.defaultPort, {}, source);
  const dataSource = createServiceDataSource({
    databaseUrl: config.env.DATABASE_URL,
    schema: definition.schema,
    applicationName: `itsm-${definition.name}-migrate`,
    entities: definition.entities,
    migrations: definition.migrations,
  });
  const applied = await runServiceMigrations(dataSource);
  logger.log(applied.length > 0 ? `applied ${applied.join(', ')}` : 'schema is up to date');
  if (!config.env.ITSM_MIGRATE_TOPICS) {
    logger.log('not creating Kafka topics: ITSM_MIGRATE_TOPICS=false (they are managed elsewhere)');
    return;
  }

  const kafka = createKafka(
    {
      brokers: config.env.KAFKA_BROKERS,
      clientId: `${definition.name}-migrate`,
      security: kafkaSecurityOf(config.env),
    },
    logger,
  );
  const partitions = config.env.KAFKA_TOPIC_PARTITIONS;
  const created = await ensureTopics(kafka, [
    ...definition.publishes.map((topic) => ({ topic, numPartitions: partitions })),
    { topic: deadLetterTopic(consumerGroupOf(config)), numPartitions: 1 },
  ]);
  if (created.length > 0) logger.log(`created topics ${created.join(', ')}`);
}

/** Entry point body for `src/migrate.ts` of each service. */
export function runMigrateCli(definition: ServiceDefinition): void {
  migrateService(definition).then(
    () => process.exit(0),
    (error: unknown) => {
      new Logger(`migrate:${definition.name}`).error(
        error instanceof Error ? (error.stack ?? error.message) : String(error),
      );
      process.exit(1);
    },
  );
}
