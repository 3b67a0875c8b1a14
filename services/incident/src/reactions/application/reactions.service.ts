import { Injectable } from '@nestjs/common';
import { type ChangeSnapshot, type ProblemSnapshot, type SlaTimerSnapshot } from '@itsm/contracts';
import { type EntityManager } from 'typeorm';
import { RecordWriter, type JournalDraft } from '../../records/application/record-writer';
import {
  linkedToProblem,
  problemCommunicationNote,
  problemResolutionOutcome,
  unlinkedFromProblem,
  type ProblemCommunication,
} from '../../records/domain/problem-link';
import { escalate, type EscalationCause } from '../../records/domain/record-changes';
import { isFinal } from '../../records/domain/service-record';
import { RecordsRepository } from '../../records/persistence/records.repository';

/** Who the history and journal name for changes other services' events cause. */
export const SYSTEM_ACTOR = 'system';

/**
 * What incidents do when other services report something: SLA warnings and breaches
 * escalate; a problem's events link and unlink its incidents, resolve those waiting for
 * its fix and note the others, and pass on its workaround and fix; a completed change
 * leaves notes. Each runs in the inbox's transaction, so an event is applied once.
 */
@Injectable()
export class ReactionsService {
  constructor(
    private readonly records: RecordsRepository,
    private readonly writer: RecordWriter,
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

  /** Incidents linked to the problem (moved to it from any other): `problemId`, in history by `system`. */
  async problemIncidentsLinked(
    manager: EntityManager,
    problem: ProblemSnapshot,
    incidentIds: readonly string[],
  ): Promise<void> {
    const now = new Date();
    for (const incident of await this.records.findManyForUpdate(manager, incidentIds)) {
      await this.writer.commit(
        manager,
        incident,
        linkedToProblem(incident, problem.id),
        SYSTEM_ACTOR,
        now,
      );
    }
  }

  /** Incidents unlinked from the problem: cleared where still linked to it, never a newer link. */
  async problemIncidentsUnlinked(
    manager: EntityManager,
    problem: ProblemSnapshot,
    incidentIds: readonly string[],
  ): Promise<void> {
    const now = new Date();
    for (const incident of await this.records.findManyForUpdate(manager, incidentIds)) {
      const { record, note } = unlinkedFromProblem(incident, problem);
      await this.writer.commit(manager, incident, record, SYSTEM_ACTOR, now, systemNote(note));
    }
  }

  /**
   * A resolved problem: with a fix applied, the incidents on hold awaiting it are resolved
   * (a major one resolves its children with it) and the other open ones asked to verify;
   * with the risk accepted, they are only told. The state decides, so a second resolution
   * resolves nothing again.
   */
  async problemResolved(manager: EntityManager, problem: ProblemSnapshot): Promise<void> {
    const now = new Date();
    for (const { id } of await this.records.findLinkedToProblemForUpdate(manager, problem.id)) {
      // Read again: a major incident resolved earlier in this loop has resolved its children.
      const incident = await this.records.findById(id, manager);
      const outcome = incident && problemResolutionOutcome(incident, problem, now);
      if (!incident || !outcome) continue;
      const stored = await this.writer.commit(
        manager,
        incident,
        outcome.record,
        SYSTEM_ACTOR,
        now,
        systemNote(outcome.note),
      );
      await this.writer.resolveChildrenOf(manager, incident, stored, SYSTEM_ACTOR, now);
    }
  }

  /** A workaround or fix communicated for the problem: one work note on each open incident linked to it. */
  async problemCommunicated(
    manager: EntityManager,
    problem: ProblemSnapshot,
    kind: ProblemCommunication,
    text: string,
  ): Promise<void> {
    const now = new Date();
    for (const incident of await this.records.findLinkedToProblemForUpdate(manager, problem.id)) {
      const note = problemCommunicationNote(incident, problem, kind, text);
      if (note) {
        await this.writer.commit(manager, incident, incident, SYSTEM_ACTOR, now, systemNote(note));
      }
    }
  }

  async changeCompleted(manager: EntityManager, change: ChangeSnapshot): Promise<void> {
    const now = new Date();
    for (const record of await this.records.findAwaitingChangeForUpdate(manager, change.id)) {
      await this.writer.commit(manager, record, record, SYSTEM_ACTOR, now, [
        {
          kind: 'work_note',
          text: `Change ${change.number} "${change.title}" this record waits for was implemented (close code: ${change.closeCode ?? 'none'}). Resume work when ready.`,
          author: SYSTEM_ACTOR,
        },
      ]);
    }
  }
}

function systemNote(text: string | undefined): JournalDraft[] {
  return text ? [{ kind: 'work_note', text, author: SYSTEM_ACTOR }] : [];
}
