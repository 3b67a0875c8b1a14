import { Module } from '@nestjs/common';
import { RecordsModule } from '../records/records.module';
import { ReactionsService } from './application/reactions.service';
import { ChangeEventsConsumer } from './messaging/change-events.consumer';
import { ProblemEventsConsumer } from './messaging/problem-events.consumer';
import { SlaEventsConsumer } from './messaging/sla-events.consumer';

/** Incidents reacting to other services' events: SLA escalation, problem and change notes. */
@Module({
  imports: [RecordsModule],
  controllers: [SlaEventsConsumer, ProblemEventsConsumer, ChangeEventsConsumer],
  providers: [ReactionsService],
})
export class ReactionsModule {}
