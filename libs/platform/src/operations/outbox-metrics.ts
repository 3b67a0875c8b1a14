import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { metricsRegistry } from '@itsm/observability';
import { ParkedOutbox, type OutboxState } from './parked-outbox.repository';

const PENDING = 'itsm_outbox_pending_events';
const PARKED = 'itsm_outbox_parked_events';
const OLDEST = 'itsm_outbox_oldest_publishable_age_seconds';

/**
 * The outbox's pending and parked events, and how late its relay is, read from PostgreSQL when Prometheus scrapes:
 * the same figures on every replica, so alert on `max`, not `sum`.
 */
@Injectable()
export class OutboxMetrics {
  constructor(@InjectDataSource() dataSource: DataSource) {
    const outbox = new ParkedOutbox(dataSource);
    // One reading per scrape serves both gauges.
    let reading: Promise<OutboxState> | undefined;
    const read = () => {
      reading ??= outbox.state().finally(() => setImmediate(() => (reading = undefined)));
      return reading;
    };
    for (const name of [PENDING, PARKED, OLDEST]) metricsRegistry.removeSingleMetric(name);
    new Gauge({
      name: PENDING,
      help: 'Events written to the outbox and not yet published to Kafka (parked ones included).',
      registers: [metricsRegistry],
      async collect() {
        this.set((await read()).pending);
      },
    });
    new Gauge({
      name: PARKED,
      help: 'Outbox events Kafka refused for good, waiting for an operator to retry them (ADR 19).',
      registers: [metricsRegistry],
      async collect() {
        this.set((await read()).parked);
      },
    });
    new Gauge({
      name: OLDEST,
      help: 'Age of the oldest outbox event the relay could publish now (none parked ahead of it under its key); 0 when there is none. Grows while the relay does not publish.',
      registers: [metricsRegistry],
      async collect() {
        this.set((await read()).oldestPublishableAgeSeconds);
      },
    });
  }
}
