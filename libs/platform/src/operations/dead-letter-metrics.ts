import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { DeadLetterEntry, type DeadLetterStatus } from '@itsm/messaging';
import { metricsRegistry } from '@itsm/observability';

const UNSETTLED = 'itsm_dead_letters_unsettled';
const UNSETTLED_STATUSES: readonly DeadLetterStatus[] = ['open', 'held'];

/**
 * The service's dead letters waiting for an operator, by consumer group and status, read
 * from PostgreSQL when Prometheus scrapes: the same figures on every replica, so alert on
 * `max`, not `sum`.
 */
@Injectable()
export class DeadLetterMetrics {
  constructor(@InjectDataSource() dataSource: DataSource) {
    const deadLetters = dataSource.getRepository(DeadLetterEntry);
    metricsRegistry.removeSingleMetric(UNSETTLED);
    new Gauge({
      name: UNSETTLED,
      help: 'Dead-lettered events not yet replayed or discarded: open ones, and held ones waiting behind an open one of the same record (ADR 20).',
      labelNames: ['consumer_group', 'status'],
      registers: [metricsRegistry],
      async collect() {
        const counts = await deadLetters
          .createQueryBuilder('entry')
          .select('entry.consumerGroup', 'consumerGroup')
          .addSelect('entry.status', 'status')
          .addSelect('count(*)::int', 'count')
          .where('entry.status IN (:...statuses)', { statuses: UNSETTLED_STATUSES })
          .groupBy('entry.consumerGroup')
          .addGroupBy('entry.status')
          .getRawMany<{ consumerGroup: string; status: DeadLetterStatus; count: number }>();
        // A group whose last dead letter was settled must read 0, not keep its last count.
        this.reset();
        for (const { consumerGroup, status, count } of counts)
          this.set({ consumer_group: consumerGroup, status }, count);
      },
    });
  }
}
