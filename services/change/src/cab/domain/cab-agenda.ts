import type { ChangeModel, ChangeRisk, ChangeState } from '@itsm/contracts';
import { RuleViolation, StepForbidden } from '@itsm/domain';
import type { DecisionRequest } from '../../approvals/domain/approval-round';
import { riskRank } from '../../risk/domain/risk-levels';
import { type CabMeetingDefinition, type CabOccurrence } from './cab-meeting';

/** A change with a pending approval round, as the agenda reads it. */
export interface AgendaCandidate {
  changeId: string;
  number: string;
  title: string;
  model: ChangeModel;
  risk: ChangeRisk;
  state: ChangeState;
  plannedStart: Date | null;
  /** The groups its pending round still waits on (`awaitingGroupsOf`). */
  awaitingGroups: readonly string[];
}

export interface AgendaItem {
  position: number;
  changeId: string;
  number: string;
  title: string;
  model: ChangeModel;
  risk: ChangeRisk;
  plannedStart: Date | null;
  /** Planned to start before the meeting and still not authorised. */
  overdue: boolean;
  /** An emergency change that went ahead: the meeting authorises it after the fact. */
  retrospective: boolean;
}

export interface CabAgenda {
  meetingId: string;
  start: Date;
  agendaUntil: Date;
  items: AgendaItem[];
}

const WENT_AHEAD: readonly ChangeState[] = ['scheduled', 'implement', 'review', 'closed'];
const IMPLEMENTED: readonly ChangeState[] = ['implement', 'review', 'closed'];

function onAgenda(
  candidate: AgendaCandidate,
  meeting: CabMeetingDefinition,
  occurrence: CabOccurrence,
): boolean {
  if (!candidate.awaitingGroups.includes(meeting.approverGroup)) return false;
  const emergencyAhead = candidate.model === 'emergency' && WENT_AHEAD.includes(candidate.state);
  if (candidate.state !== 'authorize' && !emergencyAhead) return false;
  return candidate.plannedStart === null || candidate.plannedStart < occurrence.agendaUntil;
}

/**
 * The meeting's agenda: the changes awaiting its group's decision (in `authorize`, or
 * emergency changes that went ahead) planned to start before the end of its look-ahead
 * window, overdue ones included; those planned later wait for a later meeting. In order of
 * planned start (what starts first is decided first), then risk, highest first, then
 * number; changes with no planned start come last.
 */
export function agendaFor(
  meeting: CabMeetingDefinition,
  occurrence: CabOccurrence,
  candidates: readonly AgendaCandidate[],
): CabAgenda {
  const startOf = (candidate: AgendaCandidate) =>
    candidate.plannedStart?.getTime() ?? Number.POSITIVE_INFINITY;
  const items = candidates
    .filter((candidate) => onAgenda(candidate, meeting, occurrence))
    .sort(
      (a, b) =>
        startOf(a) - startOf(b) ||
        riskRank(b.risk) - riskRank(a.risk) ||
        a.number.localeCompare(b.number),
    )
    .map((candidate, index) => {
      const retrospective =
        candidate.model === 'emergency' && IMPLEMENTED.includes(candidate.state);
      return {
        position: index + 1,
        changeId: candidate.changeId,
        number: candidate.number,
        title: candidate.title,
        model: candidate.model,
        risk: candidate.risk,
        plannedStart: candidate.plannedStart,
        overdue:
          !retrospective &&
          candidate.plannedStart !== null &&
          candidate.plannedStart < occurrence.start,
        retrospective,
      };
    });
  return {
    meetingId: meeting.id,
    start: occurrence.start,
    agendaUntil: occurrence.agendaUntil,
    items,
  };
}

/** Who records the meeting's decisions, as the gateway knows them. */
export interface CabChair {
  username: string;
  groups: readonly string[];
  roles: readonly string[];
}

/**
 * The meeting's decision on one item, as the approval evaluator takes it: the decision of
 * the meeting's group (the CAB approves as a body), recorded by one of its members. The
 * caller passes it to `decide` on the change's pending round.
 */
export function agendaDecision(
  meeting: CabMeetingDefinition,
  agenda: CabAgenda,
  item: { changeId: string; decision: 'approve' | 'reject'; comment: string | null },
  chair: CabChair,
  at: Date,
): DecisionRequest {
  if (!agenda.items.some((listed) => listed.changeId === item.changeId)) {
    throw new RuleViolation(
      'changeId',
      `is not on the agenda of "${meeting.name}" of ${agenda.start.toISOString()}`,
    );
  }
  if (!chair.groups.includes(meeting.approverGroup)) {
    throw new StepForbidden(
      `"${chair.username}" is not a member of group "${meeting.approverGroup}" and cannot record the decisions of "${meeting.name}"`,
      'APPROVER_NOT_ELIGIBLE',
    );
  }
  return {
    approver: chair.username,
    groups: chair.groups,
    roles: chair.roles,
    decision: item.decision,
    comment: item.comment,
    at,
    for: { kind: 'group', name: meeting.approverGroup },
  };
}
