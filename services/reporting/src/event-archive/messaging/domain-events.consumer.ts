import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { ALL_DOMAIN_TOPICS, type ItsmCloudEvent } from '@itsm/contracts';
import { InboxContext } from '@itsm/messaging';
import { EventArchiveRepository } from '../persistence/event-archive.repository';

/** Every event of every domain topic goes into the archive, once. */
@Controller()
export class DomainEventsConsumer {
  constructor(private readonly archive: EventArchiveRepository) {}

  @EventPattern([...ALL_DOMAIN_TOPICS])
  async archiveEvent(
    @Payload() event: ItsmCloudEvent,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    await this.archive.append(context.manager, event, {
      topic: context.topic,
      partition: context.partition,
      offset: context.offset,
    });
  }
}
