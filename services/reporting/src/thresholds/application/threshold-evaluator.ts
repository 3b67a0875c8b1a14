import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ReportEventTypes, Topics, type KpiThresholdCrossedV1 } from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import { PeriodicRounds } from '@itsm/platform';
import { THRESHOLDS_CONFIG, type ThresholdsConfig } from '../thresholds.config';
import { KpiQueries } from '../../kpis/application/kpi-queries.service';
import { metricById } from '../../kpis/domain/metric-definitions';
import {
  crossingOf,
  currentPeriodOf,
  currentPeriodQuery,
  sideOf,
  thresholdSnapshot,
  watchedValue,
  type ThresholdSettings,
  type ThresholdSide,
} from '../domain/kpi-threshold';
import { KpiThresholdPeriodEntity } from '../persistence/kpi-threshold.entity';
import { ThresholdsRepository } from '../persistence/thresholds.repository';

/**
 * Evaluates every enabled threshold against its current period, each in a transaction that
 * holds the threshold's row: replicas skip a threshold another is evaluating, and the
 * period's stored side decides whether this evaluation is a crossing, so each crossing is
 * published once (through the outbox, with the state that records it).
 */
@Injectable()
export class ThresholdEvaluator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ThresholdEvaluator.name);
  private readonly rounds: PeriodicRounds;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly thresholds: ThresholdsRepository,
    private readonly kpis: KpiQueries,
    private readonly outbox: OutboxWriter,
    @Inject(THRESHOLDS_CONFIG) config: ThresholdsConfig,
  ) {
    this.rounds = new PeriodicRounds({
      intervalMs: config.thresholdIntervalMs,
      round: () => this.evaluateAll(),
      onError: (error) => this.logger.error({ err: error }, 'threshold evaluation failed'),
    });
  }

  onApplicationBootstrap(): void {
    this.rounds.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.rounds.stop();
  }

  async evaluateAll(): Promise<void> {
    for (const id of await this.thresholds.enabledIds()) {
      try {
        await this.evaluate(id);
      } catch (error) {
        // One threshold that cannot be evaluated must not stop the others.
        this.logger.error({ err: error, thresholdId: id }, 'threshold could not be evaluated');
      }
    }
  }

  private async evaluate(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const row = await this.thresholds.claim(manager, id);
      const metric = row && metricById(row.metric);
      if (!row || !metric) return;
      const settings: ThresholdSettings = {
        name: row.name,
        metric: row.metric,
        filters: row.filters,
        statistic: row.statistic,
        comparison: row.comparison,
        limit: row.limit,
        interval: row.interval,
        timezone: row.timezone,
        notifyGroups: row.notifyGroups,
      };
      const now = new Date();
      const figure = await this.kpis.platformTotal(metric, currentPeriodQuery(settings, now));
      const value = watchedValue(settings, figure);
      if (value === null) return;
      const period = currentPeriodOf(settings, now);
      const stored = await this.thresholds.periodOf(manager, id, period.start);
      const side = sideOf(settings, value);
      const crossing = crossingOf(stored?.side as ThresholdSide | undefined, side);
      await manager.save(
        manager.create(KpiThresholdPeriodEntity, {
          thresholdId: id,
          periodStart: period.start,
          periodEnd: period.end,
          side,
          value,
          crossings: (stored?.crossings ?? 0) + (crossing === 'crossed' ? 1 : 0),
          evaluatedAt: now,
        }),
      );
      if (!crossing) return;
      await this.outbox.append<KpiThresholdCrossedV1>(manager, {
        topic: Topics.reportEvents,
        type:
          crossing === 'crossed'
            ? ReportEventTypes.thresholdCrossed
            : ReportEventTypes.thresholdCleared,
        subject: id,
        data: {
          threshold: thresholdSnapshot(id, settings),
          period: { start: period.start.toISOString(), end: period.end.toISOString() },
          value,
          count: figure.count,
          observedAt: now.toISOString(),
        },
      });
    });
  }
}
