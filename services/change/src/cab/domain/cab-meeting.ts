import {
  RecordConflict,
  RuleViolation,
  diffRecords,
  fieldsWithValues,
  type FieldChange,
} from '@itsm/domain';
import { RRuleTemporal } from 'rrule-temporal';

/** A recurring CAB (or emergency CAB) meeting. */
export interface CabMeetingDefinition {
  id: string;
  name: string;
  /** An RFC 5545 RRULE without DTSTART, e.g. `FREQ=WEEKLY;BYDAY=TU`. */
  recurrence: string;
  /** The first meeting's wall-clock start in `timeZone` (`2026-03-03T14:00`): later ones keep that time across DST. */
  firstStart: string;
  /** IANA time zone, e.g. `Europe/Paris`. */
  timeZone: string;
  durationMinutes: number;
  /** The approver group the meeting decides for (its members record the decisions). */
  approverGroup: string;
  /** The agenda lists changes planned to start before the meeting's start plus this many days. */
  agendaLookAheadDays: number;
}

export interface CabOccurrence {
  meetingId: string;
  start: Date;
  end: Date;
  /** The end of the agenda's look-ahead window. */
  agendaUntil: Date;
}

const DAY_MS = 86_400_000;
/** Meetings more often than daily are not meetings; the limit also bounds an expansion. */
const MEETING_FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const MAX_RANGE_DAYS = 366;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

function recurrenceBody(recurrence: string): string {
  return recurrence.trim().replace(/^RRULE:/i, '');
}

/** `2026-03-03T14:00` -> `20260303T140000`, refusing dates that do not exist (Feb 30). */
function icsLocal(firstStart: string): string {
  const parts = LOCAL_DATE_TIME.exec(firstStart);
  if (!parts)
    throw new RuleViolation('firstStart', 'must be a local date and time, e.g. 2026-03-03T14:00');
  const [year, month, day, hour, minute, second = '00'] = parts.slice(1);
  const probe = new Date(Date.UTC(+year, +month - 1, +day, +hour, +minute, +second));
  if (
    probe.getUTCMonth() !== +month - 1 ||
    probe.getUTCDate() !== +day ||
    probe.getUTCHours() !== +hour ||
    +minute > 59 ||
    +second > 59
  ) {
    throw new RuleViolation('firstStart', `${firstStart} is not a date and time that exists`);
  }
  return `${year}${month}${day}T${hour}${minute}${second}`;
}

function ruleOf(meeting: CabMeetingDefinition): RRuleTemporal {
  const body = recurrenceBody(meeting.recurrence);
  return new RRuleTemporal({
    rruleString: `DTSTART;TZID=${meeting.timeZone}:${icsLocal(meeting.firstStart)}\nRRULE:${body}`,
  });
}

/** Refuses a definition that cannot be held, naming the first field at fault. */
export function checkCabMeeting(meeting: CabMeetingDefinition): void {
  if (!meeting.name.trim()) throw new RuleViolation('name', 'is required');
  if (!meeting.approverGroup.trim()) throw new RuleViolation('approverGroup', 'is required');
  try {
    new Intl.DateTimeFormat('en', { timeZone: meeting.timeZone });
  } catch {
    throw new RuleViolation(
      'timeZone',
      `${JSON.stringify(meeting.timeZone)} is not an IANA time zone`,
    );
  }
  icsLocal(meeting.firstStart);
  const body = recurrenceBody(meeting.recurrence);
  if (/[\r\n]|DTSTART/i.test(body))
    throw new RuleViolation(
      'recurrence',
      'must be one RRULE without DTSTART (firstStart gives it)',
    );
  const frequency = /(?:^|;)FREQ=([A-Z]+)/i.exec(body)?.[1]?.toUpperCase();
  if (!frequency || !MEETING_FREQUENCIES.includes(frequency))
    throw new RuleViolation('recurrence', 'must have FREQ=DAILY, WEEKLY, MONTHLY or YEARLY');
  try {
    ruleOf(meeting);
  } catch (error) {
    throw new RuleViolation('recurrence', `is not a valid RRULE: ${(error as Error).message}`);
  }
  if (
    !Number.isInteger(meeting.durationMinutes) ||
    meeting.durationMinutes < 5 ||
    meeting.durationMinutes > 24 * 60
  )
    throw new RuleViolation('durationMinutes', 'must be a whole number of minutes from 5 to 1440');
  if (
    !Number.isInteger(meeting.agendaLookAheadDays) ||
    meeting.agendaLookAheadDays < 1 ||
    meeting.agendaLookAheadDays > 90
  )
    throw new RuleViolation('agendaLookAheadDays', 'must be a whole number of days from 1 to 90');
}

function occurrenceAt(meeting: CabMeetingDefinition, startMs: number): CabOccurrence {
  return {
    meetingId: meeting.id,
    start: new Date(startMs),
    end: new Date(startMs + meeting.durationMinutes * 60_000),
    agendaUntil: new Date(startMs + meeting.agendaLookAheadDays * DAY_MS),
  };
}

/**
 * The meetings starting in [from, to), at most a year of them. Only what an agenda needs:
 * the change schedule's windows have their own expansion (windows/domain).
 */
export function cabOccurrences(
  meeting: CabMeetingDefinition,
  from: Date,
  to: Date,
): CabOccurrence[] {
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS)
    throw new RuleViolation('to', `must be at most ${MAX_RANGE_DAYS} days after from`);
  if (to <= from) return [];
  return ruleOf(meeting)
    .between(from, to, true)
    .map((start) => start.epochMilliseconds)
    .filter((startMs) => startMs >= from.getTime() && startMs < to.getTime())
    .map((startMs) => occurrenceAt(meeting, startMs));
}

/** The next meeting starting at or after `after`, or null when the rule has ended. */
export function nextCabOccurrence(
  meeting: CabMeetingDefinition,
  after: Date,
): CabOccurrence | null {
  const next = ruleOf(meeting).next(after, true);
  return next ? occurrenceAt(meeting, next.epochMilliseconds) : null;
}

/** A CAB meeting definition as stored: the definition, whether it still meets, who set it up. */
export interface CabMeeting extends CabMeetingDefinition {
  active: boolean;
  retiredAt: Date | null;
  retiredBy: string | null;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
  version: number;
}

export type NewCabMeeting = Omit<CabMeetingDefinition, 'id'> & { createdBy: string };

/** What a change to a definition may set; absent fields keep their value. */
export type CabMeetingChanges = Partial<Omit<CabMeetingDefinition, 'id'>>;

const AUDIT_FIELDS: readonly (keyof CabMeeting)[] = [
  'id',
  'createdBy',
  'createdAt',
  'updatedBy',
  'updatedAt',
  'version',
];

export function defineCabMeeting(input: NewCabMeeting, id: string, now: Date): CabMeeting {
  const meeting: CabMeeting = {
    id,
    name: input.name.trim(),
    recurrence: recurrenceBody(input.recurrence),
    firstStart: input.firstStart,
    timeZone: input.timeZone,
    durationMinutes: input.durationMinutes,
    approverGroup: input.approverGroup.trim(),
    agendaLookAheadDays: input.agendaLookAheadDays,
    active: true,
    retiredAt: null,
    retiredBy: null,
    createdBy: input.createdBy,
    createdAt: now,
    updatedBy: input.createdBy,
    updatedAt: now,
    version: 1,
  };
  checkCabMeeting(meeting);
  return meeting;
}

function refuseRetired(meeting: CabMeeting): void {
  if (!meeting.active)
    throw new RecordConflict(`"${meeting.name}" is retired`, 'CAB_MEETING_RETIRED');
}

export function applyCabMeetingChanges(
  meeting: CabMeeting,
  changes: CabMeetingChanges,
): CabMeeting {
  refuseRetired(meeting);
  const defined = Object.fromEntries(
    Object.entries(changes).filter(([, value]) => value !== undefined),
  ) as CabMeetingChanges;
  const changed: CabMeeting = {
    ...meeting,
    ...defined,
    name: (defined.name ?? meeting.name).trim(),
    approverGroup: (defined.approverGroup ?? meeting.approverGroup).trim(),
    recurrence: recurrenceBody(defined.recurrence ?? meeting.recurrence),
  };
  checkCabMeeting(changed);
  return changed;
}

/**
 * A retired meeting holds no more meetings: its agenda and decisions are refused, its past
 * minutes kept. Retiring it again changes nothing.
 */
export function retireCabMeeting(meeting: CabMeeting, actor: string, now: Date): CabMeeting {
  if (!meeting.active) return meeting;
  return { ...meeting, active: false, retiredAt: now, retiredBy: actor };
}

/** The fields that differ, for the `updated`/`retired` event. */
export function diffCabMeetings(before: CabMeeting, after: CabMeeting): FieldChange[] {
  return diffRecords(before, after, AUDIT_FIELDS);
}

/** The fields a new definition sets, for its `created` event. */
export function fieldsSetOnDefine(meeting: CabMeeting): FieldChange[] {
  return fieldsWithValues(meeting, AUDIT_FIELDS);
}

/** The meeting that starts exactly at `start`, or a rule violation naming `field`. */
export function occurrenceStartingAt(
  meeting: CabMeetingDefinition,
  start: Date,
  field: string,
): CabOccurrence {
  const occurrence = nextCabOccurrence(meeting, start);
  if (!occurrence || occurrence.start.getTime() !== start.getTime())
    throw new RuleViolation(
      field,
      `${start.toISOString()} is not the start of a meeting of "${meeting.name}"`,
    );
  return occurrence;
}
