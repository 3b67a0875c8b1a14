import {
  Global,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import {
  InternalIdentityGuard,
  InternalIdentityVerifier,
  type RecordAccessPolicy,
} from '@itsm/auth';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MessagingModule, type MessagingOptions } from '@itsm/messaging';
import { HealthModule, LoggingModule, MetricsModule } from '@itsm/observability';
import { shutdownTelemetry } from '@itsm/observability/telemetry';
import { serviceDataSourceOptions } from '@itsm/persistence';
import { kafkaSecurityOf } from './config/kafka-security';
import { loadServiceConfig, type ServiceConfig } from './config/service-config';
import { ConsumerLagMetrics } from './operations/consumer-lag-metrics';
import { DeadLetterMetrics } from './operations/dead-letter-metrics';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyRecord } from './idempotency/idempotency-record.entity';
import { DeadLetterEntry, InboxRecord } from '@itsm/messaging';
import { SECONDS_PER_DAY, SECONDS_PER_HOUR, type RetentionRule } from './retention/retention-rule';
import {
  RETENTION_RULES,
  RETENTION_SETTINGS,
  RetentionSweeper,
  type RetentionSettings,
} from './retention/retention-sweeper';
import { type ServiceDefinition } from './service-definition';
import { identityVerifier } from './service-identity/identity-config';
import { OutboxMetrics } from './operations/outbox-metrics';
import { deadLettersController } from './operations/dead-letters.controller';
import { outboxOperationsController } from './operations/outbox-operations.controller';
import { ownOperationsProviders } from './operations/own-operations.providers';

export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
/** The deployment's {@link RecordAccessPolicy}, for services that apply the record-level rule. */
export const RECORD_ACCESS_POLICY = Symbol('RECORD_ACCESS_POLICY');

export function consumerGroupOf(config: ServiceConfig): string {
  return `${config.env.KAFKA_CONSUMER_GROUP_PREFIX}.${config.serviceName}`;
}

/**
 * The relay's crash point between Kafka's acknowledgement and the outbox delete, when a test
 * asks for it (the configuration refuses it in production). SIGKILL: no shutdown hook, no
 * flush, exactly a crash.
 */
function relayFaultInjection(crashAfterBatch: number | undefined): {
  afterAcknowledged?: () => void;
} {
  if (!crashAfterBatch) return {};
  let acknowledged = 0;
  return {
    afterAcknowledged: () => {
      acknowledged += 1;
      if (acknowledged < crashAfterBatch) return;
      process.stderr.write(
        `fault injection: killing the process after Kafka acknowledged outbox batch ${acknowledged}, before its delete\n`,
      );
      process.kill(process.pid, 'SIGKILL');
    },
  };
}

function messagingOptions(config: ServiceConfig): MessagingOptions {
  const { env } = config;
  return {
    serviceName: config.serviceName,
    brokers: env.KAFKA_BROKERS,
    kafkaSecurity: kafkaSecurityOf(env),
    consumerGroup: consumerGroupOf(config),
    relayEnabled: env.OUTBOX_RELAY_ENABLED,
    relay: {
      pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
      batchSize: env.OUTBOX_BATCH_SIZE,
      leaderRetryMs: 2000,
      ...relayFaultInjection(env.ITSM_FAULT_RELAY_CRASH_AFTER_BATCH),
    },
    consumer: {
      maxAttempts: env.KAFKA_CONSUMER_MAX_ATTEMPTS,
      initialBackoffMs: env.KAFKA_CONSUMER_BACKOFF_MS,
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
      start: env.KAFKA_CONSUMER_START,
      concurrency: env.KAFKA_CONSUMER_CONCURRENCY,
    },
  };
}

/** What every service cleans up: the events its consumer applied, and answered Idempotency-Keys. */
function platformRetentionRules(config: ServiceConfig): RetentionRule[] {
  return [
    {
      name: 'inbox',
      entity: InboxRecord,
      timeColumn: 'processed_at',
      keepForSeconds: config.env.INBOX_RETENTION_DAYS * SECONDS_PER_DAY,
    },
    {
      name: 'dead_letters',
      entity: DeadLetterEntry,
      // Open and held ones have no settled_at: they stay until an operator settles them.
      timeColumn: 'settled_at',
      keepForSeconds: config.env.DEAD_LETTER_RETENTION_DAYS * SECONDS_PER_DAY,
    },
    {
      name: 'idempotency_keys',
      entity: IdempotencyRecord,
      timeColumn: 'created_at',
      keepForSeconds: config.env.IDEMPOTENCY_KEY_RETENTION_HOURS * SECONDS_PER_HOUR,
    },
  ];
}

/** Flushes the spans still buffered, so the last requests before a shutdown keep their traces. */
@Injectable()
class TelemetryFlusher implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await shutdownTelemetry();
  }
}

@Global()
@Module({})
class ServiceConfigModule {
  static register(definition: ServiceDefinition): DynamicModule {
    return {
      module: ServiceConfigModule,
      providers: [
        {
          provide: SERVICE_CONFIG,
          useFactory: () => loadServiceConfig(definition.name, definition.defaultPort),
        },
        {
          provide: RECORD_ACCESS_POLICY,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig): RecordAccessPolicy => ({
            agentScope: config.env.AGENT_RECORD_SCOPE,
          }),
        },
      ],
      exports: [SERVICE_CONFIG, RECORD_ACCESS_POLICY],
    };
  }
}

/**
 * Everything a service stands on, in one import: validated configuration, JSON logs,
 * metrics, health, its PostgreSQL schema and the Kafka outbox and inbox.
 */
export interface PlatformOptions {
  /**
   * Refuse every non-public route without the identity the gateway signs, or one a trusted
   * service signed as itself (default). Only the gateway itself, which authenticates callers
   * from outside, turns this off.
   */
  verifyInternalIdentity: boolean;
}

@Module({})
export class PlatformModule {
  static forService(
    definition: ServiceDefinition,
    options: PlatformOptions = { verifyInternalIdentity: true },
  ): DynamicModule {
    const configModule = ServiceConfigModule.register(definition);
    const identity: Provider[] = options.verifyInternalIdentity
      ? [
          {
            provide: InternalIdentityVerifier,
            inject: [SERVICE_CONFIG],
            useFactory: (config: ServiceConfig) => identityVerifier(config),
          },
          { provide: APP_GUARD, useClass: InternalIdentityGuard },
        ]
      : [];
    return {
      module: PlatformModule,
      imports: [
        configModule,
        LoggingModule,
        MetricsModule,
        TypeOrmModule.forRootAsync({
          imports: [configModule],
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) =>
            serviceDataSourceOptions({
              databaseUrl: config.env.DATABASE_URL,
              schema: definition.schema,
              applicationName: `itsm-${definition.name}`,
              entities: definition.entities,
              migrations: [],
              poolSize: config.env.DATABASE_POOL_SIZE,
              connectTimeoutMs: config.env.DATABASE_CONNECT_TIMEOUT_MS,
              statementTimeoutMs: config.env.DATABASE_STATEMENT_TIMEOUT_MS,
            }),
        }),
        MessagingModule.forRootAsync({
          imports: [configModule],
          inject: [SERVICE_CONFIG],
          useFactory: messagingOptions,
        }),
        HealthModule,
      ],
      controllers: [
        outboxOperationsController(definition.name),
        deadLettersController(definition.name),
      ],
      providers: [
        TelemetryFlusher,
        OutboxMetrics,
        DeadLetterMetrics,
        ConsumerLagMetrics,
        ...ownOperationsProviders(definition.name),
        ...identity,
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        {
          provide: RETENTION_RULES,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig): RetentionRule[] => [
            ...platformRetentionRules(config),
            ...(definition.retention?.(process.env) ?? []),
          ],
        },
        {
          provide: RETENTION_SETTINGS,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig): RetentionSettings => ({
            intervalMs: config.env.RETENTION_INTERVAL_MS,
            batchSize: config.env.RETENTION_BATCH_SIZE,
          }),
        },
        RetentionSweeper,
      ],
      exports: [configModule],
    };
  }
}
