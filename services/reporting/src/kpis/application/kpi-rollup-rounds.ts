import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicRounds } from '@itsm/platform';
import { FactTableSwaps } from '../../read-models/application/fact-table-swaps';
import { KPIS_CONFIG, type KpisConfig } from '../kpis.config';
import { KpiRollups } from '../persistence/kpi-rollups.repository';

/**
 * Keeps the KPI daily rollups current in the background (docs/adr/0022): each round
 * recomputes the days the fact tables marked; a rebuild's swap marks its whole table.
 */
@Injectable()
export class KpiRollupRounds implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(KpiRollupRounds.name);
  private readonly rounds: PeriodicRounds;

  constructor(
    private readonly rollups: KpiRollups,
    swaps: FactTableSwaps,
    @Inject(KPIS_CONFIG) config: KpisConfig,
  ) {
    swaps.subscribe((manager, table) => this.rollups.markAll(manager, table));
    this.rounds = new PeriodicRounds({
      intervalMs: config.REPORTING_KPI_ROLLUP_INTERVAL_MS,
      round: () => this.rollups.refreshAll(),
      onError: (error) =>
        this.logger.error({ err: error }, 'KPI rollups could not be brought up to date'),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.rollups.adoptTimeZone();
    this.rounds.start();
    this.rounds.trigger();
  }

  onApplicationShutdown(): Promise<void> {
    return this.rounds.stop();
  }
}
