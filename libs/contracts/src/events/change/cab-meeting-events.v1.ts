import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { nullableDateTime, nullableString, stringList } from '../nullable';

/** A recurring CAB meeting as its events carry it and the API answers it (docs/changes.md). */
export interface CabMeetingSnapshot {
  id: string;
  name: string;
  /** An RFC 5545 RRULE (without DTSTART): `FREQ=WEEKLY;BYDAY=TU`. */
  recurrence: string;
  /** The first meeting's local start in `timeZone` (`2026-03-03T14:00`); later ones keep that time. */
  firstStart: string;
  timeZone: string;
  durationMinutes: number;
  /** The approver group the meeting decides for; its members record the decisions. */
  approverGroup: string;
  /** The agenda lists changes planned to start before the meeting plus this many days. */
  agendaLookAheadDays: number;
  active: boolean;
  retiredAt: string | null;
  retiredBy: string | null;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

const CAB_MEETING_HAPPENINGS = {
  created: 'was defined',
  updated: 'had fields changed (name, recurrence, time, duration, group, look-ahead)',
  retired: 'was retired: it holds no more meetings and takes no decisions',
} as const;

export type CabMeetingHappening = keyof typeof CAB_MEETING_HAPPENINGS;

export const CabMeetingEventTypes = {
  created: 'itsm.cab_meeting.created.v1',
  updated: 'itsm.cab_meeting.updated.v1',
  retired: 'itsm.cab_meeting.retired.v1',
} as const satisfies Record<CabMeetingHappening, string>;

/** The data of every `itsm.cab_meeting.<happening>.v1` event. */
export interface CabMeetingEventV1 {
  meeting: CabMeetingSnapshot;
  changedFields: string[];
  previous: Record<string, unknown>;
}

const nonEmptyString = { type: 'string', minLength: 1 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const cabMeetingSnapshotSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'name',
    'recurrence',
    'firstStart',
    'timeZone',
    'durationMinutes',
    'approverGroup',
    'agendaLookAheadDays',
    'active',
    'retiredAt',
    'retiredBy',
    'createdBy',
    'createdAt',
    'updatedBy',
    'updatedAt',
    'version',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: nonEmptyString,
    recurrence: nonEmptyString,
    firstStart: nonEmptyString,
    timeZone: nonEmptyString,
    durationMinutes: { type: 'integer', minimum: 5, maximum: 1440 },
    approverGroup: nonEmptyString,
    agendaLookAheadDays: { type: 'integer', minimum: 1, maximum: 90 },
    active: { type: 'boolean' },
    retiredAt: nullableDateTime,
    retiredBy: nullableString,
    createdBy: nonEmptyString,
    createdAt: dateTime,
    updatedBy: nonEmptyString,
    updatedAt: dateTime,
    version: { type: 'integer', minimum: 1 },
  },
} as const;

export const CAB_MEETING_EVENTS: readonly EventDefinition[] = Object.entries(
  CAB_MEETING_HAPPENINGS,
).map(([happening, what]) => {
  const type = CabMeetingEventTypes[happening as CabMeetingHappening];
  const summary = `A recurring CAB meeting ${what}.`;
  return {
    type,
    topic: Topics.changeEvents,
    summary,
    schema: {
      $id: type,
      title: summary,
      type: 'object',
      additionalProperties: false,
      required: ['meeting', 'changedFields', 'previous'],
      properties: {
        meeting: cabMeetingSnapshotSchema,
        changedFields: stringList,
        previous: { type: 'object' },
      },
    },
  };
});
