import { Module } from '@nestjs/common';
import { THRESHOLDS_CONFIG, loadThresholdsConfig } from './thresholds.config';
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
    { provide: THRESHOLDS_CONFIG, useFactory: () => loadThresholdsConfig() },
  ],
})
export class ThresholdsModule {}
