import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { EventArchiveModule } from './event-archive/event-archive.module';
import { EvidenceModule } from './evidence/evidence.module';
import { KpisModule } from './kpis/kpis.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { ServiceReportsModule } from './service-reports/service-reports.module';
import { ThresholdsModule } from './thresholds/thresholds.module';
import { reportingService } from './service.definition';

@Module({
  imports: [
    PlatformModule.forService(reportingService),
    EventArchiveModule,
    EvidenceModule,
    KpisModule,
    ReadModelsModule,
    ServiceReportsModule,
    ThresholdsModule,
  ],
})
export class AppModule {}
