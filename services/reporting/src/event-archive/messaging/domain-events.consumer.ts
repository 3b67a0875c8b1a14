import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { ALL_DOMAIN_TOPICS } from '@itsm/contracts';
import { EventBatchPattern, InboxBatchContext, type InboxEvent } from '@itsm/messaging';
import { LiveProjector } from '../../read-models/application/live-projector';
import { EventArchiveRepository } from '../persistence/event-archive.repository';

/**
 * Every event of every domain topic goes into the archive, once, and into its read model.
 * A partition's events arrive in runs, written in one transaction: the archive's chain
 * head and the commit are paid once per run, not once per event (ADR 14).
 */
@Controller()
export class DomainEventsConsumer {
  constructor(
    private readonly archive: EventArchiveRepository,
    private readonly projector: LiveProjector,
  ) {}

  @EventBatchPattern(ALL_DOMAIN_TOPICS)
  async archiveEvents(
    @Payload() events: InboxEvent[],
    @Ctx() context: InboxBatchContext,
  ): Promise<void> {
    const consumed = events.map(({ event, offset }) => ({
      event,
      origin: { topic: context.topic, partition: context.partition, offset },
    }));
    await this.projector.lockFor(context.manager, consumed);
    await this.projector.apply(context.manager, consumed);
    // Last: appending takes the archive chain's head, which every run waits on, so it is
    // held only until the commit.
    await this.archive.append(context.manager, consumed);
  }
}
