import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventTypes, Topics, type ChangeEventV1, type ItsmCloudEvent } from '@itsm/contracts';
import { InboxContext } from '@itsm/messaging';
import { ReactionsService } from '../application/reactions.service';

@Controller()
export class ChangeEventsConsumer {
  constructor(private readonly reactions: ReactionsService) {}

  @EventPattern(Topics.changeEvents)
  async onChangeEvent(
    @Payload() event: ItsmCloudEvent<ChangeEventV1>,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    if (event.type === EventTypes.change.completed) {
      await this.reactions.changeCompleted(context.manager, event.data.change);
    }
  }
}
