import { Module } from '@nestjs/common';
import { ArchiveChainController } from './http/archive-chain.controller';
import { ReadModelsModule } from '../read-models/read-models.module';
import { EventArchiveController } from './http/event-archive.controller';
import { DomainEventsConsumer } from './messaging/domain-events.consumer';
import { ArchiveChainVerifier } from './persistence/archive-chain';
import { EventArchiveRepository } from './persistence/event-archive.repository';

@Module({
  imports: [ReadModelsModule],
  controllers: [EventArchiveController, ArchiveChainController, DomainEventsConsumer],
  providers: [EventArchiveRepository, ArchiveChainVerifier],
  exports: [ArchiveChainVerifier],
})
export class EventArchiveModule {}
