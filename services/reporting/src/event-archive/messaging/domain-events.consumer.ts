import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ALL_DOMAIN_TOPICS, type ItsmCloudEvent } from '@itsm/contracts';
import { InboxContext } from '@itsm/messaging';
import { LiveProjector } from '../../read-models/application/live-projector';
import { EventArchiveRepository } from '../persistence/event-archive.repository';

/** Every event of every domain topic goes into the archive, once, and into its read model. */
@Controller()
export class DomainEventsConsumer {
  constructor(
    private readonly archive: EventArchiveRepository,
    private readonly projector: LiveProjector,
  ) {}

  @EventPattern([...ALL_DOMAIN_TOPICS])
  async archiveEvent(
    @Payload() event: ItsmCloudEvent,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const origin = { topic: context.topic, partition: context.partition, offset: context.offset };
    await this.projector.lockFor(context.manager, event);
    await this.projector.apply(context.manager, event, origin);
    // Last: appending takes the archive chain's head, which every event waits on, so it is
    // held only until the commit (ADR 14).
    await this.archive.append(context.manager, event, origin);
  }
}
