import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ALL_SERVICES } from './service-process';
import { REPO_ROOT } from './test-environment';

const run = promisify(execFile);

export interface MigrationEnvironment {
  databaseUrl: string;
  kafkaBrokers: string;
  consumerGroupPrefix: string;
}

/** Every service's migrate step (schemas and topics) against one database, as `npm start` runs them. */
export async function migrateServices(environment: MigrationEnvironment): Promise<void> {
  await Promise.all(
    ALL_SERVICES.map((service) =>
      run(process.execPath, [join(REPO_ROOT, 'dist/services', service, 'src/migrate.js')], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_ENV: 'test',
          DATABASE_URL: environment.databaseUrl,
          KAFKA_BROKERS: environment.kafkaBrokers,
          KAFKA_CONSUMER_GROUP_PREFIX: environment.consumerGroupPrefix,
          KAFKA_TOPIC_PARTITIONS: '3',
        },
      }).catch((error: { stdout?: string; stderr?: string }) => {
        throw new Error(`migrating ${service} failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
      }),
    ),
  );
}
