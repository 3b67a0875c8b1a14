import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  EventTypes,
  Topics,
  type ItsmCloudEvent,
  type ProblemCommunicationV1,
  type ProblemEventV1,
  type ProblemIncidentsEventV1,
} from '@itsm/contracts';
import { InboxContext } from '@itsm/messaging';
import { ReactionsService } from '../application/reactions.service';

type ProblemTopicData = ProblemEventV1 | ProblemIncidentsEventV1 | ProblemCommunicationV1;

/**
 * Links and unlinks, resolutions and communications of problems reach their incidents;
 * the topic's other events (tasks, known errors, other happenings) need nothing here.
 */
@Controller()
export class ProblemEventsConsumer {
  constructor(private readonly reactions: ReactionsService) {}

  @EventPattern(Topics.problemEvents)
  async onProblemEvent(
    @Payload() event: ItsmCloudEvent<ProblemTopicData>,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const { manager } = context;
    switch (event.type) {
      case EventTypes.problem.incidentsLinked: {
        const data = event.data as ProblemIncidentsEventV1;
        await this.reactions.problemIncidentsLinked(manager, data.problem, data.incidentIds);
        break;
      }
      case EventTypes.problem.incidentsUnlinked: {
        const data = event.data as ProblemIncidentsEventV1;
        await this.reactions.problemIncidentsUnlinked(manager, data.problem, data.incidentIds);
        break;
      }
      case EventTypes.problem.resolved:
        await this.reactions.problemResolved(manager, (event.data as ProblemEventV1).problem);
        break;
      case EventTypes.problem.workaroundCommunicated:
      case EventTypes.problem.fixCommunicated: {
        const data = event.data as ProblemCommunicationV1;
        const kind = event.type === EventTypes.problem.fixCommunicated ? 'fix' : 'workaround';
        await this.reactions.problemCommunicated(manager, data.problem, kind, data.text);
        break;
      }
    }
  }
}
