import { Module } from '@nestjs/common';
import { KpiQueries } from './application/kpi-queries.service';
import { KpisController } from './http/kpis.controller';
import { KpiRollupRounds } from './application/kpi-rollup-rounds';
import { KPIS_CONFIG, loadKpisConfig } from './kpis.config';
import { KpiRepository } from './persistence/kpi.repository';
import { KpiRollups } from './persistence/kpi-rollups.repository';
import { ReadModelsModule } from '../read-models/read-models.module';

@Module({
  imports: [ReadModelsModule],
  controllers: [KpisController],
  providers: [
    { provide: KPIS_CONFIG, useFactory: () => loadKpisConfig() },
    KpiQueries,
    KpiRepository,
    KpiRollups,
    KpiRollupRounds,
  ],
  exports: [KpiQueries],
})
export class KpisModule {}
