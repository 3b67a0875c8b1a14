import { join, resolve } from 'node:path';
import { type ServiceIdentityKeys } from './identity-keys';

export const REPO_ROOT = resolve(__dirname, '../../..');
/** Overridable so that several checkouts can run their suites against one PostgreSQL at once. */
export const TEST_DATABASE = process.env.ITSM_TEST_DATABASE_NAME ?? 'itsm_test';

export interface TestEnvironment {
  /** The test database, migrated fresh at the start of the run. */
  databaseUrl: string;
  kafkaBrokers: string;
  /** A per-run prefix for consumer groups, so each run reads topics with its own offsets. */
  consumerGroupPrefix: string;
  /** The run's key pair: the gateway signs caller identities with the private key, the services verify with the public one (PEM). */
  internalIdentity: { signingKey: string; verificationKeys: string };
  /** The run's keys of the services that call others as themselves, and who trusts them (ADR 12). */
  serviceIdentity: ServiceIdentityKeys;
  logDirectory: string;
}

/** What the global set-up established for this run (see global-setup.ts). */
export function testEnvironment(): TestEnvironment {
  const databaseUrl = process.env.ITSM_TEST_DATABASE_URL;
  const kafkaBrokers = process.env.KAFKA_BROKERS;
  const consumerGroupPrefix = process.env.ITSM_TEST_GROUP_PREFIX;
  const signingKey = process.env.ITSM_INTERNAL_IDENTITY_SIGNING_KEY;
  const verificationKeys = process.env.ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS;
  const serviceIdentity = process.env.ITSM_TEST_SERVICE_IDENTITY_KEYS;
  if (
    !databaseUrl ||
    !kafkaBrokers ||
    !consumerGroupPrefix ||
    !signingKey ||
    !verificationKeys ||
    !serviceIdentity
  ) {
    throw new Error(
      'the test environment is not set up: run the suites with `npm test` (or jest with its global set-up)',
    );
  }
  return {
    databaseUrl,
    kafkaBrokers,
    consumerGroupPrefix,
    internalIdentity: { signingKey, verificationKeys },
    serviceIdentity: JSON.parse(serviceIdentity) as ServiceIdentityKeys,
    logDirectory: process.env.ITSM_TEST_LOG_DIR ?? join(REPO_ROOT, '.local', 'test-logs'),
  };
}

/** The environment a service process of this run gets. */
export function serviceEnvironment(
  service: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const environment = testEnvironment();
  const { signingKey, verificationKeys } = environment.internalIdentity;
  const { signingKeys, trustedKeys } = environment.serviceIdentity;
  return {
    // The services run as `npm test` runs them: the local credentials and seeded users are allowed.
    NODE_ENV: 'test',
    DATABASE_URL: environment.databaseUrl,
    KAFKA_BROKERS: environment.kafkaBrokers,
    KAFKA_CONSUMER_GROUP_PREFIX: environment.consumerGroupPrefix,
    // As in a deployment, only the gateway holds the private key.
    ...(service === 'gateway'
      ? { ITSM_INTERNAL_IDENTITY_SIGNING_KEY: signingKey }
      : { ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: verificationKeys }),
    // A calling service gets its own private key, a service called its callers' public keys.
    ...(signingKeys[service] ? { ITSM_SERVICE_IDENTITY_SIGNING_KEY: signingKeys[service] } : {}),
    ...(trustedKeys[service] ? { ITSM_TRUSTED_SERVICE_KEYS: trustedKeys[service] } : {}),
    KAFKA_CONSUMER_START: process.env.ITSM_TEST_STARTED_AT ?? 'earliest',
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_TOPIC_PARTITIONS: '3',
    OUTBOX_POLL_INTERVAL_MS: '200',
    LOG_LEVEL: 'info',
    ...extra,
  };
}
