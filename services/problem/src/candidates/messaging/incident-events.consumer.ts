import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Topics, type IncidentEventV1 } from '@itsm/contracts';
import { EventBatchPattern, InboxBatchContext, type InboxEvent } from '@itsm/messaging';
import { CandidateRulesService, type ObservedEvent } from '../application/candidate-rules.service';

/**
 * Incident events keep problem management's copy of incidents and feed the candidate
 * rules. Request events share the topic and are skipped. Through the inbox each event
 * applies once; one incident's events arrive in order (keyed by its id). They are applied
 * a run of a partition at a time, in one transaction, because one commit and one round of
 * rule queries per event could not keep up with a busy desk (ADR 17,
 * docs/benchmarks-problem.md).
 */
@Controller()
export class IncidentEventsConsumer {
  constructor(private readonly rules: CandidateRulesService) {}

  @EventBatchPattern([Topics.incidentEvents])
  async onIncidentEvents(
    @Payload() events: InboxEvent[],
    @Ctx() context: InboxBatchContext,
  ): Promise<void> {
    const observed: ObservedEvent[] = [];
    for (const { event } of events) {
      const incident = (event.data as Partial<IncidentEventV1>).incident;
      if (incident?.type === 'incident') observed.push({ type: event.type, incident });
    }
    await this.rules.observe(context.manager, observed);
  }
}
