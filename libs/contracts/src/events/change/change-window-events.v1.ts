import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { nullableDateTime, nullableString, stringList, uuidList } from '../nullable';

/**
 * Maintenance: when changes on its scope should happen. Blackout: when they must not
 * (refused unless an emergency with an override reason). Freeze: a blackout that can also
 * be put in force at once, holding the in-flight changes it covers until it is lifted.
 */
export const CHANGE_WINDOW_KINDS = ['maintenance', 'blackout', 'freeze'] as const;
export type ChangeWindowKind = (typeof CHANGE_WINDOW_KINDS)[number];

/** A change window as its events carry it and the API answers it (docs/changes.md). */
export interface ChangeWindowSnapshot {
  id: string;
  name: string;
  kind: ChangeWindowKind;
  description: string;
  /** The first occurrence's start and end (UTC); later ones keep its local wall-clock times. */
  start: string;
  end: string;
  /** An RFC 5545 RRULE (without the `RRULE:` prefix), or null for a single occurrence. */
  recurrence: string | null;
  /** IANA time zone the recurrence is expanded in; required with a recurrence. */
  timeZone: string | null;
  /** The scope; all three empty means the whole estate. */
  ciIds: string[];
  businessServiceIds: string[];
  ciClasses: string[];
  active: boolean;
  /** A freeze put in force (and not lifted since); always false for other kinds. */
  inForce: boolean;
  enforcedAt: string | null;
  enforcedBy: string | null;
  liftedAt: string | null;
  liftedBy: string | null;
  retiredAt: string | null;
  retiredBy: string | null;
  createdBy: string;
  createdAt: string;
  /** Who made the latest change (the events are the window's history). */
  updatedBy: string;
  updatedAt: string;
  version: number;
}

const CHANGE_WINDOW_HAPPENINGS = {
  created: 'was defined',
  updated: 'had fields changed (name, times, recurrence, scope, active, …)',
  retired: 'was retired: it no longer counts for conflicts and takes no change',
  enforced:
    'was put in force (a freeze): the in-flight changes on its scope are held until it is lifted',
  lifted: 'was lifted (a freeze): the changes it held are released',
} as const;

export type ChangeWindowHappening = keyof typeof CHANGE_WINDOW_HAPPENINGS;

export const ChangeWindowEventTypes = {
  created: 'itsm.change_window.created.v1',
  updated: 'itsm.change_window.updated.v1',
  retired: 'itsm.change_window.retired.v1',
  enforced: 'itsm.change_window.enforced.v1',
  lifted: 'itsm.change_window.lifted.v1',
} as const satisfies Record<ChangeWindowHappening, string>;

/** The data of every `itsm.change_window.<happening>.v1` event. */
export interface ChangeWindowEventV1 {
  window: ChangeWindowSnapshot;
  changedFields: string[];
  previous: Record<string, unknown>;
}

const nonEmptyString = { type: 'string', minLength: 1 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const changeWindowSnapshotSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'name',
    'kind',
    'description',
    'start',
    'end',
    'recurrence',
    'timeZone',
    'ciIds',
    'businessServiceIds',
    'ciClasses',
    'active',
    'inForce',
    'enforcedAt',
    'enforcedBy',
    'liftedAt',
    'liftedBy',
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
    kind: { enum: CHANGE_WINDOW_KINDS },
    description: { type: 'string' },
    start: dateTime,
    end: dateTime,
    recurrence: nullableString,
    timeZone: nullableString,
    ciIds: uuidList,
    businessServiceIds: uuidList,
    ciClasses: stringList,
    active: { type: 'boolean' },
    inForce: { type: 'boolean' },
    enforcedAt: nullableDateTime,
    enforcedBy: nullableString,
    liftedAt: nullableDateTime,
    liftedBy: nullableString,
    retiredAt: nullableDateTime,
    retiredBy: nullableString,
    createdBy: nonEmptyString,
    createdAt: dateTime,
    updatedBy: nonEmptyString,
    updatedAt: dateTime,
    version: { type: 'integer', minimum: 1 },
  },
} as const;

export const CHANGE_WINDOW_EVENTS: readonly EventDefinition[] = Object.entries(
  CHANGE_WINDOW_HAPPENINGS,
).map(([happening, what]) => {
  const type = ChangeWindowEventTypes[happening as ChangeWindowHappening];
  const summary = `A change window ${what}.`;
  return {
    type,
    topic: Topics.changeEvents,
    summary,
    schema: {
      $id: type,
      title: summary,
      type: 'object',
      additionalProperties: false,
      required: ['window', 'changedFields', 'previous'],
      properties: {
        window: changeWindowSnapshotSchema,
        changedFields: stringList,
        previous: { type: 'object' },
      },
    },
  };
});
