import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { EventArchiveModule } from './event-archive/event-archive.module';
import { EvidenceModule } from './evidence/evidence.module';
import { reportingService } from './service.definition';

@Module({
  imports: [PlatformModule.forService(reportingService), EventArchiveModule, EvidenceModule],
})
export class AppModule {}
