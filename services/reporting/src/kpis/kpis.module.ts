import { Module } from '@nestjs/common';
import { KpiQueries } from './application/kpi-queries.service';
import { KpisController } from './http/kpis.controller';
import { KpiRepository } from './persistence/kpi.repository';

@Module({
  controllers: [KpisController],
  providers: [KpiQueries, KpiRepository],
  exports: [KpiQueries],
})
export class KpisModule {}
