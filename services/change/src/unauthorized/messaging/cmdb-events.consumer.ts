import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { EventTypes, Topics, type CiEventV1, type ItsmCloudEvent } from '@itsm/contracts';
import { InboxContext } from '@itsm/messaging';
import { UnauthorizedChangeDetector } from '../application/unauthorized-change-detector';

/**
 * CI updates are judged for unauthorised changes, once each (the inbox). `retired` comes
 * with the `updated` it repeats, and a new CI cannot have been named on a change yet: both
 * are skipped, as are relationships and classes.
 */
@Controller()
export class CmdbEventsConsumer {
  constructor(private readonly detector: UnauthorizedChangeDetector) {}

  @EventPattern(Topics.cmdbEvents)
  async onCmdbEvent(@Payload() event: ItsmCloudEvent, @Ctx() context: InboxContext): Promise<void> {
    if (event.type !== EventTypes.cmdb.ciUpdated) return;
    await this.detector.onCiUpdated(context.manager, event as ItsmCloudEvent<CiEventV1>);
  }
}
