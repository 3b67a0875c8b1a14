import { Module } from '@nestjs/common';
import { CalendarsModule } from '../calendars/calendars.module';
import { SlasModule } from '../slas/slas.module';
import { RecordEventsService } from './application/record-events.service';
import { TimerBacklogMetrics } from './application/timer-backlog-metrics';
import { TimerEventsPublisher } from './application/timer-events.publisher';
import { TimerScheduler } from './application/timer-scheduler';
import { TimersQueryService } from './application/timers-query.service';
import { SlaTimersController } from './http/sla-timers.controller';
import { RecordEventsConsumer } from './messaging/record-events.consumer';
import { SlaRecordsRepository } from './persistence/sla-records.repository';
import { SlaTimersRepository } from './persistence/sla-timers.repository';

@Module({
  imports: [CalendarsModule, SlasModule],
  controllers: [SlaTimersController, RecordEventsConsumer],
  providers: [
    RecordEventsService,
    TimerEventsPublisher,
    TimerScheduler,
    TimerBacklogMetrics,
    TimersQueryService,
    SlaRecordsRepository,
    SlaTimersRepository,
  ],
})
export class TimersModule {}
