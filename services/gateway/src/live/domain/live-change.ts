import { type RecordOwnership } from '@itsm/auth';
import { serviceRecordOf, type ItsmCloudEvent } from '@itsm/contracts';

/** The records whose changes the feed relays. */
export const LIVE_RECORD_TYPES = ['incident', 'request', 'problem', 'change'] as const;
export type LiveRecordType = (typeof LIVE_RECORD_TYPES)[number];

/**
 * What a subscriber of the live feed is told about a change: enough to know which record
 * moved and to read it again, nothing of its content (titles, descriptions, journal). A
 * client reads the record through the API, which applies every rule again.
 */
export interface LiveChange {
  recordType: LiveRecordType;
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

/**
 * A change and what the record-level rule needs to decide who may hear of it; `null` for
 * changes, which no record-level rule governs (docs/changes.md).
 */
export interface LiveRecordChange {
  change: LiveChange;
  ownership: RecordOwnership | null;
}

/** `itsm.<record>.<happening>.v<n>` */
const EVENT_TYPE = /^itsm\.(incident|request|problem|change)\.([a-z_]+)\.v\d+$/;

const isString = (value: unknown): value is string => typeof value === 'string';
const isOptionalString = (value: unknown): value is string | null | undefined =>
  value === null || value === undefined || typeof value === 'string';

/** The record an event carries whole, under its type's key; undefined when it carries none. */
function snapshotOf(
  recordType: LiveRecordType,
  data: unknown,
): Record<string, unknown> | undefined {
  if (recordType === 'incident' || recordType === 'request') {
    const record = serviceRecordOf(data) as Record<string, unknown> | undefined;
    return record?.type === recordType ? record : undefined;
  }
  const record = (data as Record<string, unknown> | null)?.[recordType];
  return record !== null && typeof record === 'object'
    ? (record as Record<string, unknown>)
    : undefined;
}

/**
 * What the record-level rule reads: requester (for a problem whoever opened it), group and
 * assignee; `null` for a change; undefined when the event lacks any of it.
 */
function ownershipOf(
  recordType: LiveRecordType,
  record: Record<string, unknown>,
): RecordOwnership | null | undefined {
  if (recordType === 'change') return null;
  const requester = recordType === 'problem' ? record.openedBy : record.requester;
  const { assignmentGroup, assignee } = record;
  if (!isString(requester) || requester.length === 0) return undefined;
  if (!('assignmentGroup' in record) || !('assignee' in record)) return undefined;
  if (!isOptionalString(assignmentGroup) || !isOptionalString(assignee)) return undefined;
  return { requester, assignmentGroup, assignee };
}

/**
 * The change an event of the incident, problem or change topic describes, or undefined
 * when the event is not about one of those records (a known error, a template, a CAB
 * meeting) or lacks what the record-level rule reads (requester, assignment group,
 * assignee): such an event is sent to nobody rather than to everyone.
 */
export function liveChangeOf(event: ItsmCloudEvent): LiveRecordChange | undefined {
  const type = EVENT_TYPE.exec(event.type);
  if (!type) return undefined;
  const recordType = type[1] as LiveRecordType;
  const record = snapshotOf(recordType, event.data);
  if (!record) return undefined;
  const { id, number, state, version } = record;
  if (!isString(id) || !isString(number) || !isString(state) || typeof version !== 'number') {
    return undefined;
  }
  const ownership = ownershipOf(recordType, record);
  if (ownership === undefined) return undefined;
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
    ownership,
  };
}
