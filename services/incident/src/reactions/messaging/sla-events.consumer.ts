import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventTypes, Topics, type ItsmCloudEvent, type SlaWarningV1 } from '@itsm/contracts';
import { InboxContext } from '@itsm/messaging';
import { ReactionsService } from '../application/reactions.service';

/** SLA warnings and breaches escalate the record they are about; other timer events need nothing here. */
@Controller()
export class SlaEventsConsumer {
  constructor(private readonly reactions: ReactionsService) {}

  @EventPattern(Topics.slaEvents)
  async onSlaEvent(
    @Payload() event: ItsmCloudEvent<SlaWarningV1>,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    if (event.type === EventTypes.sla.warning) {
      await this.reactions.slaCrossed(
        context.manager,
        event.data.timer,
        'sla_warning',
        event.data.threshold,
      );
    } else if (event.type === EventTypes.sla.breached) {
      await this.reactions.slaCrossed(context.manager, event.data.timer, 'sla_breach');
    }
  }
}
