import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventTypes, Topics, type ItsmCloudEvent, type ProblemEventV1 } from '@itsm/contracts';
import { InboxContext } from '@itsm/messaging';
import { ReactionsService } from '../application/reactions.service';

@Controller()
export class ProblemEventsConsumer {
  constructor(private readonly reactions: ReactionsService) {}

  @EventPattern(Topics.problemEvents)
  async onProblemEvent(
    @Payload() event: ItsmCloudEvent<ProblemEventV1>,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    if (event.type === EventTypes.problem.resolved) {
      await this.reactions.problemResolved(context.manager, event.data.problem);
    }
  }
}
