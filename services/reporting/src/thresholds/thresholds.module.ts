import { Module } from '@nestjs/common';
import { REPORTING_CONFIG, loadReportingConfig } from '../config/reporting.config';
import { KpisModule } from '../kpis/kpis.module';
import { ThresholdEvaluator } from './application/threshold-evaluator';
import { ThresholdsService } from './application/thresholds.service';
import { ThresholdsController } from './http/thresholds.controller';
import { ThresholdsRepository } from './persistence/thresholds.repository';

@Module({
  imports: [KpisModule],
  controllers: [ThresholdsController],
  providers: [
    ThresholdsService,
    ThresholdEvaluator,
    ThresholdsRepository,
    { provide: REPORTING_CONFIG, useFactory: () => loadReportingConfig() },
  ],
})
export class ThresholdsModule {}
