import { type RecordOwnership, type RecordType } from '@itsm/auth';
import { RECORD_TYPES } from '@itsm/auth';
import { serviceRecordOf, type ItsmCloudEvent } from '@itsm/contracts';

/**
 * What a subscriber of the live feed is told about a change: enough to know which record
 * moved and to read it again, nothing of its content (titles, descriptions, journal). A
 * client reads the record through the API, which applies every rule again.
 */
export interface LiveChange {
  recordType: RecordType;
  id: string;
  number: string;
  state: string;
  version: number;
  /** What happened, the event type's middle part: `created`, `state_changed`, `assigned`, … */
  event: string;
  /** The names (not the values) of the fields the change set. */
  changedFields: string[];
  /** When the change was made (the event's time). */
  at: string;
}

/** A change and what the record-level rule needs to decide who may hear of it. */
export interface LiveRecordChange {
  change: LiveChange;
  ownership: RecordOwnership;
}

/** `itsm.<record>.<happening>.v<n>` */
const EVENT_TYPE = /^itsm\.(incident|request)\.([a-z_]+)\.v\d+$/;

const isString = (value: unknown): value is string => typeof value === 'string';
const isOptionalString = (value: unknown): value is string | null | undefined =>
  value === null || value === undefined || typeof value === 'string';

/**
 * The change an event of the incident topic describes, or undefined when the event is not
 * about an incident or a request, or lacks what the record-level rule reads (requester,
 * assignment group, assignee): such an event is sent to nobody rather than to everyone.
 */
export function liveChangeOf(event: ItsmCloudEvent): LiveRecordChange | undefined {
  const type = EVENT_TYPE.exec(event.type);
  if (!type) return undefined;
  const recordType = type[1] as RecordType;
  const record = serviceRecordOf(event.data) as Record<string, unknown> | undefined;
  if (!record || record.type !== recordType || !RECORD_TYPES.includes(recordType)) return undefined;
  const { id, number, state, version, requester, assignmentGroup, assignee } = record;
  if (!isString(id) || !isString(number) || !isString(state) || typeof version !== 'number') {
    return undefined;
  }
  if (!isString(requester) || requester.length === 0) return undefined;
  if (!('assignmentGroup' in record) || !('assignee' in record)) return undefined;
  if (!isOptionalString(assignmentGroup) || !isOptionalString(assignee)) return undefined;
  const changed = (event.data as { changedFields?: unknown }).changedFields;
  return {
    change: {
      recordType,
      id,
      number,
      state,
      version,
      event: type[2],
      changedFields: Array.isArray(changed) ? changed.filter(isString) : [],
      at: event.time,
    },
    ownership: { requester, assignmentGroup, assignee },
  };
}
