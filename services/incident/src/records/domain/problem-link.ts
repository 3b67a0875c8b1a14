import { type ProblemSnapshot } from '@itsm/contracts';
import { isOpen, type ServiceRecord } from './service-record';
import { resolveFromOutside } from './state-machine';

/** What of a problem (as its events carry it) the incidents linked to it are told. */
export type ProblemFacts = Pick<
  ProblemSnapshot,
  | 'id'
  | 'number'
  | 'title'
  | 'resolutionCode'
  | 'resolutionNotes'
  | 'causeNotes'
  | 'fixNotes'
  | 'workaround'
>;

/** A change one of the problem's events makes to one incident: the record after it, and a work note. */
export interface ProblemOutcome {
  record: ServiceRecord;
  note?: string;
}

/** On hold until the problem it is linked to is fixed. */
export function isWaitingForProblem(record: ServiceRecord, problemId: string): boolean {
  return (
    record.problemId === problemId &&
    record.state === 'on_hold' &&
    record.holdReason === 'awaiting_problem'
  );
}

/**
 * The incident linked to the problem: one problem per incident, so a link to another one
 * moves it (also when a duplicate problem hands its incidents to the original). Kept
 * whatever the incident's state, as a problem also gathers resolved and closed incidents;
 * requests are never linked.
 */
export function linkedToProblem(record: ServiceRecord, problemId: string): ServiceRecord {
  if (record.type !== 'incident' || record.problemId === problemId) return record;
  return { ...record, problemId };
}

/**
 * The incident unlinked from the problem, only if it is still linked to that one: an
 * unlink that arrives after a link to another problem leaves the newer link alone. An
 * incident on hold awaiting the problem is told that nothing will end its hold now.
 */
export function unlinkedFromProblem(
  record: ServiceRecord,
  problem: Pick<ProblemFacts, 'id' | 'number'>,
): ProblemOutcome {
  if (record.problemId !== problem.id) return { record };
  const waiting = isWaitingForProblem(record, problem.id);
  return {
    record: { ...record, problemId: null },
    note: waiting
      ? `Unlinked from problem ${problem.number}, which this incident is on hold awaiting: resume it, or link it to another problem.`
      : undefined,
  };
}

/** `: <text>.` (the text as a sentence's end), or just `.` when there is none. */
function ending(text: string | null): string {
  const trimmed = text?.trim();
  if (!trimmed) return '.';
  return /[.!?]$/.test(trimmed) ? `: ${trimmed}` : `: ${trimmed}.`;
}

/**
 * What a problem's resolution does to one incident linked to it. With a fix applied, an
 * incident on hold awaiting the problem is resolved (`resolved_by_problem`, the fix, or
 * else the cause, as its notes); every other open one is asked to verify the fix. With
 * the risk accepted no fix comes: every open one is only told so. Incidents that are not
 * open (resolved, closed, cancelled) are left as they are: undefined, and so is one no
 * longer linked to the problem. A second resolution changes no incident it resolved.
 */
export function problemResolutionOutcome(
  record: ServiceRecord,
  problem: ProblemFacts,
  now: Date,
): ProblemOutcome | undefined {
  if (record.type !== 'incident' || record.problemId !== problem.id || !isOpen(record)) {
    return undefined;
  }
  const named = `Problem ${problem.number} "${problem.title}"`;
  const waiting = isWaitingForProblem(record, problem.id);
  if (problem.resolutionCode === 'fix_applied') {
    if (waiting) {
      const how = problem.fixNotes?.trim() || problem.causeNotes?.trim();
      const resolutionNotes = how
        ? `Resolved by problem ${problem.number}: ${how}`
        : `Resolved by problem ${problem.number}.`;
      return {
        record: resolveFromOutside(
          record,
          { resolutionCode: 'resolved_by_problem', resolutionNotes },
          now,
        ),
        note: `${named} was resolved with a fix applied; this incident, on hold awaiting it, is resolved with it.`,
      };
    }
    return {
      record,
      note: `${named} was resolved with a fix applied${ending(problem.fixNotes)} Verify that this incident is fixed too, and resolve it if so.`,
    };
  }
  if (problem.resolutionCode === 'risk_accepted') {
    const workaround = problem.workaround?.trim();
    return {
      record,
      note:
        `${named} was resolved with its risk accepted, no fix will come${ending(problem.resolutionNotes)}` +
        (waiting ? ' Resume this incident: its hold would never end.' : '') +
        (workaround ? ` Workaround: ${workaround}` : ''),
    };
  }
  return {
    record,
    note: `${named} was resolved (${problem.resolutionCode ?? 'no resolution code'})${ending(problem.resolutionNotes)}`,
  };
}

export type ProblemCommunication = 'workaround' | 'fix';

/**
 * The work note a problem's communicated workaround or fix puts on an open incident
 * linked to it; undefined for an incident that is not open or not linked to it.
 */
export function problemCommunicationNote(
  record: ServiceRecord,
  problem: Pick<ProblemFacts, 'id' | 'number'>,
  kind: ProblemCommunication,
  text: string,
): string | undefined {
  if (record.type !== 'incident' || record.problemId !== problem.id || !isOpen(record)) {
    return undefined;
  }
  return `${kind === 'workaround' ? 'Workaround' : 'Fix'} from problem ${problem.number}: ${text.trim()}`;
}
