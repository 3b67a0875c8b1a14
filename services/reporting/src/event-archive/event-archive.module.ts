import { Module } from '@nestjs/common';
import { ReadModelsModule } from '../read-models/read-models.module';
import { EventArchiveController } from './http/event-archive.controller';
import { DomainEventsConsumer } from './messaging/domain-events.consumer';
import { EventArchiveRepository } from './persistence/event-archive.repository';

@Module({
  imports: [ReadModelsModule],
  controllers: [EventArchiveController, DomainEventsConsumer],
  providers: [EventArchiveRepository],
})
export class EventArchiveModule {}
