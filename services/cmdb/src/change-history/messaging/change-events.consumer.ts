import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventTypes, Topics, type ChangeEventV1, type ItsmCloudEvent } from '@itsm/contracts';
import { InboxContext } from '@itsm/messaging';
import { ChangeHistoryService } from '../application/change-history.service';

/** A completed change is written into the history of each CI it names, once (the inbox). */
@Controller()
export class ChangeEventsConsumer {
  constructor(private readonly changeHistory: ChangeHistoryService) {}

  @EventPattern(Topics.changeEvents)
  async onChangeEvent(
    @Payload() event: ItsmCloudEvent,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    if (event.type !== EventTypes.change.completed) return;
    const { change } = event.data as ChangeEventV1;
    await this.changeHistory.recordCompletedChange(context.manager, change, new Date(event.time));
  }
}
