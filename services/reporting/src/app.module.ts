import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { EventArchiveModule } from './event-archive/event-archive.module';
import { ReadModelsModule } from './read-models/read-models.module';
import { reportingService } from './service.definition';

@Module({
  imports: [PlatformModule.forService(reportingService), EventArchiveModule, ReadModelsModule],
})
export class AppModule {}
