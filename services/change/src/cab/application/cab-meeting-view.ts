import { type CabMeetingSnapshot } from '@itsm/contracts';
import { type AgendaItem } from '../domain/cab-agenda';
import { type CabMeeting, type CabOccurrence } from '../domain/cab-meeting';
import { type CabDecisionEntity } from '../persistence/cab-decision.entity';

/** A meeting of a recurring CAB definition, as the API answers it. */
export interface CabOccurrenceView {
  start: string;
  end: string;
  agendaUntil: string;
}

export interface AgendaItemView extends Omit<AgendaItem, 'plannedStart'> {
  plannedStart: string | null;
}

/** One decision in a meeting's minutes. */
export interface CabDecisionView {
  changeId: string;
  number: string;
  approvalRound: number;
  decision: 'approve' | 'reject';
  comment: string | null;
  recordedBy: string;
  recordedAt: string;
}

/** A meeting's agenda (what it still has to decide) and its minutes (what it decided). */
export interface CabAgendaView extends CabOccurrenceView {
  meeting: { id: string; name: string; approverGroup: string };
  items: AgendaItemView[];
  decisions: CabDecisionView[];
}

const iso = (instant: Date | null) => (instant ? instant.toISOString() : null);

export function toSnapshot(meeting: CabMeeting): CabMeetingSnapshot {
  return {
    id: meeting.id,
    name: meeting.name,
    recurrence: meeting.recurrence,
    firstStart: meeting.firstStart,
    timeZone: meeting.timeZone,
    durationMinutes: meeting.durationMinutes,
    approverGroup: meeting.approverGroup,
    agendaLookAheadDays: meeting.agendaLookAheadDays,
    active: meeting.active,
    retiredAt: iso(meeting.retiredAt),
    retiredBy: meeting.retiredBy,
    createdBy: meeting.createdBy,
    createdAt: meeting.createdAt.toISOString(),
    updatedBy: meeting.updatedBy,
    updatedAt: meeting.updatedAt.toISOString(),
    version: meeting.version,
  };
}

export function toOccurrenceView(occurrence: CabOccurrence): CabOccurrenceView {
  return {
    start: occurrence.start.toISOString(),
    end: occurrence.end.toISOString(),
    agendaUntil: occurrence.agendaUntil.toISOString(),
  };
}

export function toAgendaItemView(item: AgendaItem): AgendaItemView {
  return { ...item, plannedStart: iso(item.plannedStart) };
}

export function toDecisionView(row: CabDecisionEntity): CabDecisionView {
  return {
    changeId: row.changeId,
    number: row.changeNumber,
    approvalRound: row.approvalRound,
    decision: row.decision,
    comment: row.comment,
    recordedBy: row.recordedBy,
    recordedAt: row.recordedAt.toISOString(),
  };
}
