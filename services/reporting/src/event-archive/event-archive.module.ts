import { Module } from '@nestjs/common';
import { EventArchiveController } from './http/event-archive.controller';
import { DomainEventsConsumer } from './messaging/domain-events.consumer';
import { EventArchiveRepository } from './persistence/event-archive.repository';

@Module({
  controllers: [EventArchiveController, DomainEventsConsumer],
  providers: [EventArchiveRepository],
})
export class EventArchiveModule {}
