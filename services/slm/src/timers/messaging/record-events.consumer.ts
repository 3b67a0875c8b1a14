import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type ItsmCloudEvent } from '@itsm/contracts';
import { InboxContext } from '@itsm/messaging';
import { RecordEventsService } from '../application/record-events.service';

/**
 * Incident and request events start, pause, resume, re-target and stop timers. Through
 * the inbox each event applies once; events of one record arrive in order (keyed by id).
 */
@Controller()
export class RecordEventsConsumer {
  constructor(private readonly recordEvents: RecordEventsService) {}

  @EventPattern(Topics.incidentEvents)
  async onRecordEvent(
    @Payload() event: ItsmCloudEvent,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    await this.recordEvents.apply(context.manager, event);
  }
}
