import { Inject, Injectable } from '@nestjs/common';
import { type ChangeSnapshot, type ProblemSnapshot, type SlaTimerSnapshot } from '@itsm/contracts';
import { type EntityManager } from 'typeorm';
import { INCIDENT_CONFIG, type IncidentConfig } from '../../config/incident.config';
import { RecordWriter } from '../../records/application/record-writer';
import { escalate, type EscalationCause } from '../../records/domain/record-changes';
import { isFinal } from '../../records/domain/service-record';
import { resolveFromOutside } from '../../records/domain/state-machine';
import { RecordsRepository } from '../../records/persistence/records.repository';

/** Who the history and journal name for changes other services' events cause. */
export const SYSTEM_ACTOR = 'system';

/**
 * What incidents do when other services report something: SLA warnings and breaches
 * escalate, a resolved problem and a completed change leave notes (and may resolve).
 * Each runs in the inbox's transaction, so an event is applied once.
 */
@Injectable()
export class ReactionsService {
  constructor(
    private readonly records: RecordsRepository,
    private readonly writer: RecordWriter,
    @Inject(INCIDENT_CONFIG) private readonly config: IncidentConfig,
  ) {}

  async slaCrossed(
    manager: EntityManager,
    timer: SlaTimerSnapshot,
    cause: EscalationCause,
    threshold?: number,
  ): Promise<void> {
    const record = await this.records.findForUpdate(manager, timer.recordId);
    if (!record || isFinal(record)) return;
    const text =
      cause === 'sla_breach'
        ? `SLA "${timer.slaName}" (${timer.target}) breached: it was due ${timer.dueAt ?? 'earlier'}. Escalated.`
        : `SLA "${timer.slaName}" (${timer.target}) reached ${threshold ?? '?'} % of its target (due ${timer.dueAt ?? 'later'}). Escalated.`;
    const now = new Date();
    await this.writer.commit(manager, record, escalate(record, cause), SYSTEM_ACTOR, now, [
      { kind: 'work_note', text, author: SYSTEM_ACTOR },
    ]);
  }

  async problemResolved(manager: EntityManager, problem: ProblemSnapshot): Promise<void> {
    const now = new Date();
    const rootCause = problem.rootCause ? ` Root cause: ${problem.rootCause}` : '';
    for (const { id } of await this.records.findManyForUpdate(manager, problem.incidentIds)) {
      // Read again: a major incident resolved earlier in this loop has resolved its children.
      const incident = await this.records.findById(id, manager);
      if (!incident || incident.type !== 'incident' || isFinal(incident)) continue;
      const resolved = this.config.problemResolvesIncidents
        ? resolveFromOutside(
            incident,
            {
              resolutionCode: 'resolved_by_problem',
              resolutionNotes: `Resolved by problem ${problem.number}.${rootCause}`,
            },
            now,
          )
        : incident;
      const stored = await this.writer.commit(manager, incident, resolved, SYSTEM_ACTOR, now, [
        {
          kind: 'work_note',
          text: `Problem ${problem.number} "${problem.title}" was resolved.${rootCause}`,
          author: SYSTEM_ACTOR,
        },
      ]);
      await this.writer.resolveChildrenOf(manager, incident, stored, SYSTEM_ACTOR, now);
    }
  }

  async changeCompleted(manager: EntityManager, change: ChangeSnapshot): Promise<void> {
    const now = new Date();
    for (const record of await this.records.findAwaitingChangeForUpdate(manager, change.id)) {
      await this.writer.commit(manager, record, record, SYSTEM_ACTOR, now, [
        {
          kind: 'work_note',
          text: `Change ${change.number} "${change.title}" this record waits for was completed (outcome: ${change.outcome}). Resume work when ready.`,
          author: SYSTEM_ACTOR,
        },
      ]);
    }
  }
}
