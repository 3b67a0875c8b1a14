import { Module } from '@nestjs/common';
import { ChangesModule } from '../changes/changes.module';
import { RiskController } from './http/risk.controller';
import { RiskModule } from './risk.module';

/** The risk of a change read through the API; the assessment itself lives in {@link RiskModule}. */
@Module({
  imports: [ChangesModule, RiskModule],
  controllers: [RiskController],
})
export class RiskApiModule {}
