import { setTimeout as sleep } from 'node:timers/promises';
import { context } from '@opentelemetry/api';
import { type Producer } from 'kafkajs';
import { Client, type ClientConfig } from 'pg';
import { type DataSource } from 'typeorm';
import { toKafkaRecord, type ItsmCloudEvent } from '@itsm/contracts';
import { describeError, type MessagingLogger } from '../logger';
import { contextFromTraceHeaders } from '../tracing/trace-context';
import { OutboxMessage } from './outbox-message.entity';
import { qualifiedTable } from '@itsm/persistence';
import { outboxChannel } from './outbox-sql';
import {
  UnpublishableEventError,
  describePublishFailure,
  isPermanentPublishFailure,
} from './publish-failures';

export interface OutboxRelaySettings {
  /** How often to look for rows when no notification arrives (a safety net for lost notifications). */
  pollIntervalMs: number;
  batchSize: number;
  /** How often a standby replica tries to become the relay. */
  leaderRetryMs: number;
  /**
   * Fault injection, for tests only (the service configuration refuses it in production):
   * called once Kafka acknowledged a batch and before its rows are deleted, the one moment
   * a crash republishes. The fault suite makes it kill the process there (docs/reliability.md).
   */
  afterAcknowledged?: () => void;
}

export const DEFAULT_RELAY_SETTINGS: OutboxRelaySettings = {
  pollIntervalMs: 1000,
  batchSize: 500,
  leaderRetryMs: 2000,
};

interface PendingRow {
  id: string;
  topic: string;
  message_key: string;
  event: ItsmCloudEvent;
}

/** What one batch did: rows read, and whether a publish failed for a reason that may pass. */
interface BatchOutcome {
  read: number;
  failedTransiently: boolean;
}

/**
 * Publishes a service's outbox to Kafka. One replica at a time is the relay (a session
 * advisory lock), so a record's events leave in outbox order; rows are deleted only after
 * Kafka acknowledged them, so a crash re-publishes rather than loses (consumers dedupe).
 * A row Kafka refuses for good is parked with the error, and its record's later rows wait
 * behind it until an operator retries it (ADR 19); other records go on. A broker that is
 * away only pauses the relay, which stays the relay.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  /** Set by a notification that arrived while the relay was busy, so the next idle does not sleep through it. */
  private notified = false;
  private listener?: Client;
  private isLeader = false;
  private readonly tableSql: string;
  private readonly channel: string;
  private readonly lockKeys: [string, string];

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly logger: MessagingLogger,
    private readonly settings: OutboxRelaySettings = DEFAULT_RELAY_SETTINGS,
  ) {
    const metadata = dataSource.getMetadata(OutboxMessage);
    this.tableSql = qualifiedTable(metadata);
    this.channel = outboxChannel(metadata.schema);
    this.lockKeys = ['itsm.outbox.relay', metadata.schema ?? 'public'];
  }

  get leader(): boolean {
    return this.isLeader;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await this.closeListener();
  }

  /** Rows written but not yet acknowledged by Kafka (parked ones included). */
  async backlog(): Promise<number> {
    const [row] = await this.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${this.tableSql}`,
    );
    return row?.n ?? 0;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (!this.isLeader) {
          await this.tryBecomeLeader();
          if (!this.isLeader) {
            await this.idle(this.settings.leaderRetryMs);
            continue;
          }
          this.logger.log(`outbox relay is active for ${this.tableSql}`);
        }
        const batch = await this.publishBatch();
        // A broker away, a leader moving: wait and go on, still the relay.
        if (batch.failedTransiently) await this.idle(this.settings.leaderRetryMs);
        else if (batch.read < this.settings.batchSize)
          await this.idle(this.settings.pollIntervalMs);
      } catch (error) {
        const { message, stack } = describeError(error);
        this.logger.error(`outbox relay failed, retrying: ${message}`, stack);
        await this.closeListener();
        this.notified = false;
        await this.idle(this.settings.leaderRetryMs);
      }
    }
  }

  private async tryBecomeLeader(): Promise<void> {
    const options = this.dataSource.options as {
      url?: string;
      applicationName?: string;
      extra?: { connectionTimeoutMillis?: number };
    };
    const config: ClientConfig = {
      connectionString: options.url,
      application_name: `${options.applicationName ?? 'itsm'}-relay`,
      // As the pool's: a database that does not answer must not hold the relay for ever.
      connectionTimeoutMillis: options.extra?.connectionTimeoutMillis,
      keepAlive: true,
    };
    const client = new Client(config);
    client.on('error', (error) => {
      this.logger.warn(`outbox relay lost its connection: ${error.message}`);
      this.isLeader = false;
      this.wake?.();
    });
    await client.connect();
    const result = await client.query<{ acquired: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1), hashtext($2)) AS acquired',
      this.lockKeys,
    );
    if (!result.rows[0]?.acquired) {
      await client.end();
      return;
    }
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    await client.query(`LISTEN ${this.channel}`);
    this.listener = client;
    this.isLeader = true;
  }

  private async closeListener(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.isLeader = false;
    if (listener) await listener.end().catch(() => undefined);
  }

  private async idle(ms: number): Promise<void> {
    if (!this.running || this.notified) return;
    const controller = new AbortController();
    this.wake = () => controller.abort();
    await sleep(ms, undefined, { signal: controller.signal }).catch(() => undefined);
    this.wake = undefined;
  }

  private async publishBatch(): Promise<BatchOutcome> {
    // Whatever a notification announced so far is read by this batch.
    this.notified = false;
    const rows = await this.dataSource.query<PendingRow[]>(
      `SELECT id, topic, message_key, event FROM ${this.tableSql} AS pending
        WHERE pending.parked_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM ${this.tableSql} AS parked
                           WHERE parked.parked_at IS NOT NULL
                             AND parked.message_key = pending.message_key)
        ORDER BY id LIMIT $1`,
      [this.settings.batchSize],
    );
    if (rows.length === 0) return { read: 0, failedTransiently: false };

    // Order matters only within a key: keys are published concurrently, each key's rows in order.
    const byKey = new Map<string, PendingRow[]>();
    for (const row of rows) {
      const chain = byKey.get(row.message_key) ?? [];
      chain.push(row);
      byKey.set(row.message_key, chain);
    }
    const published: string[] = [];
    const parked: { id: string; error: string }[] = [];
    const transient: unknown[] = [];
    await Promise.all(
      [...byKey.values()].map(async (chain) => {
        for (const row of chain) {
          try {
            await this.publish(row);
            published.push(row.id);
          } catch (error) {
            // Either way the key's later rows must not overtake this one: the chain stops.
            if (isPermanentPublishFailure(error))
              parked.push({ id: row.id, error: describePublishFailure(error) });
            else transient.push(error);
            return;
          }
        }
      }),
    );
    if (published.length > 0) {
      this.settings.afterAcknowledged?.();
      await this.dataSource.query(`DELETE FROM ${this.tableSql} WHERE id = ANY($1::bigint[])`, [
        published,
      ]);
    }
    for (const { id, error } of parked) {
      await this.dataSource.query(
        `UPDATE ${this.tableSql} SET parked_at = now(), park_error = $2 WHERE id = $1`,
        [id, error],
      );
      this.logger.error(
        `outbox row ${id} parked: Kafka refused it for good (${error}); its record's later events wait until it is retried`,
      );
    }
    if (transient.length > 0) {
      const { message } = describeError(transient[0]);
      this.logger.warn(
        `outbox relay could not publish ${transient.length} record(s), retrying: ${message}`,
      );
    }
    return { read: rows.length, failedTransiently: transient.length > 0 };
  }

  private async publish(row: PendingRow): Promise<void> {
    let record: ReturnType<typeof toKafkaRecord>;
    try {
      record = toKafkaRecord(row.event);
    } catch (error) {
      throw new UnpublishableEventError(`the row is no publishable event: ${String(error)}`, {
        cause: error,
      });
    }
    // Publishing inside the writer's trace makes the Kafka span, and the consumer's after it,
    // part of the request that caused the event.
    const traceContext = contextFromTraceHeaders({
      traceparent: row.event.traceparent,
      tracestate: row.event.tracestate,
    });
    await context.with(traceContext, () =>
      this.producer.send({ topic: row.topic, messages: [record] }),
    );
  }
}
