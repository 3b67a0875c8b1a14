import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  EventTypes,
  Topics,
  type GroupChangedV1,
  type GroupDeletedV1,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import { InboxContext } from '@itsm/messaging';
import { AssignmentDirectory } from '../application/assignment-directory';

const GROUP_EVENTS: readonly string[] = [
  EventTypes.directory.groupCreated,
  EventTypes.directory.groupUpdated,
];

/**
 * Group events keep the local copy of the directory's groups; a deleted group leaves it, so
 * nothing new is assigned to it (records assigned to it keep its name). User events need
 * nothing here.
 */
@Controller()
export class DirectoryEventsConsumer {
  constructor(private readonly directory: AssignmentDirectory) {}

  @EventPattern(Topics.directoryEvents)
  async onDirectoryEvent(
    @Payload() event: ItsmCloudEvent<GroupChangedV1 | GroupDeletedV1>,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    if (event.type === EventTypes.directory.groupDeleted) {
      await this.directory.forget(context.manager, event.data.group.name);
      return;
    }
    if (!GROUP_EVENTS.includes(event.type)) return;
    await this.directory.record(context.manager, event.data.group, new Date(event.time));
  }
}
