import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Topics, type IncidentEventV1, type ItsmCloudEvent } from '@itsm/contracts';
import { InboxContext } from '@itsm/messaging';
import { CandidateRulesService } from '../application/candidate-rules.service';

/**
 * Incident events keep problem management's copy of incidents and feed the candidate
 * rules. Request events share the topic and are skipped. Through the inbox each event
 * applies once; one incident's events arrive in order (keyed by its id).
 */
@Controller()
export class IncidentEventsConsumer {
  constructor(private readonly rules: CandidateRulesService) {}

  @EventPattern(Topics.incidentEvents)
  async onIncidentEvent(
    @Payload() event: ItsmCloudEvent<Partial<IncidentEventV1>>,
    @Ctx() context: InboxContext,
  ): Promise<void> {
    const incident = event.data.incident;
    if (!incident || incident.type !== 'incident') return;
    await this.rules.observe(context.manager, event, incident);
  }
}
