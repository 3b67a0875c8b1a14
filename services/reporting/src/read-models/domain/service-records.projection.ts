import { type IncidentSnapshot, serviceRecordOf } from '@itsm/contracts';
import { columns, greatest, least, union, type FactRow } from './fact-table';
import {
  instant,
  parseEventType,
  type EventReader,
  type ProjectedEvent,
  type ProjectionDefinition,
} from './projection';

const RESOLVED_STATES = new Set(['resolved', 'fulfilled']);
const ENDED_STATES = new Set(['cancelled', 'rejected']);

interface RecordEventData {
  changedFields?: string[];
  previous?: Record<string, unknown>;
}

/**
 * Did this event move the record from one group to another? A first assignment (from no
 * group) is not a reassignment, nor is taking the group away.
 */
function reassigned(record: IncidentSnapshot, data: RecordEventData): boolean {
  const previous = data.previous ?? {};
  if (!Object.hasOwn(previous, 'assignmentGroup')) return false;
  const before = previous.assignmentGroup;
  return (
    typeof before === 'string' &&
    record.assignmentGroup !== null &&
    record.assignmentGroup !== before
  );
}

/** The event that resolves (or fulfils) the record: its milestone, or its state change. */
function resolves(event: ProjectedEvent, record: IncidentSnapshot, data: RecordEventData): boolean {
  if (!RESOLVED_STATES.has(record.state)) return false;
  const happening = parseEventType(event.type)?.happening;
  return (
    happening === 'resolved' ||
    happening === 'fulfilled' ||
    (data.changedFields ?? []).includes('state')
  );
}

/** `itsm.incident.*.v1` and `itsm.request.*.v1`: the record's snapshot after the change. */
export const readServiceRecordV1: EventReader = (event) => {
  const record = serviceRecordOf(event.data);
  if (!record) return null;
  const data = event.data as RecordEventData;
  const updatedAt = instant(record.updatedAt);
  return {
    record_id: record.id,
    record_type: record.type,
    number: record.number,
    version: record.version,
    state: record.state,
    priority: record.priority,
    impact: record.impact,
    urgency: record.urgency,
    category: record.category,
    subcategory: record.subcategory,
    catalog_item: record.catalogItem,
    business_service_id: record.businessServiceId,
    ci_ids: record.ciIds,
    assignment_group: record.assignmentGroup,
    assignee: record.assignee,
    requester: record.requester,
    source: record.source,
    major: record.major,
    // Events from before incidents carried their problem lack it.
    problem_id: record.problemId ?? null,
    parent_id: record.parentId,
    resolution_code: record.resolutionCode,
    opened_at: instant(record.openedAt),
    first_response_at: instant(record.firstResponseAt),
    resolved_at: instant(record.resolvedAt),
    closed_at: instant(record.closedAt),
    cancelled_at: ENDED_STATES.has(record.state) ? updatedAt : null,
    reopen_count: record.reopenCount,
    first_assigned_at:
      record.assignmentGroup !== null || record.assignee !== null ? updatedAt : null,
    reassignment_versions: reassigned(record, data) ? [record.version] : [],
    resolved_version: resolves(event, record, data) ? record.version : null,
    last_event_at: instant(event.time),
  } satisfies FactRow;
};

export const SERVICE_RECORDS: ProjectionDefinition = {
  name: 'service_records',
  version: 1,
  lockId: 1,
  shape: {
    table: 'service_record_facts',
    key: 'record_id',
    precedence: ['version'],
    columns: columns({
      record_id: 'uuid',
      record_type: 'text',
      number: 'text',
      version: 'int',
      state: 'text',
      priority: 'text',
      impact: 'int',
      urgency: 'int',
      category: 'text',
      subcategory: 'text',
      catalog_item: 'text',
      business_service_id: 'uuid',
      ci_ids: 'uuid[]',
      assignment_group: 'text',
      assignee: 'text',
      requester: 'text',
      source: 'text',
      major: 'bool',
      problem_id: 'uuid',
      parent_id: 'uuid',
      resolution_code: 'text',
      opened_at: 'timestamptz',
      first_response_at: 'timestamptz',
      resolved_at: 'timestamptz',
      closed_at: 'timestamptz',
      // A cancelled or rejected record stays so: the first version that says it is when.
      cancelled_at: ['timestamptz', least],
      reopen_count: 'int',
      first_assigned_at: ['timestamptz', least],
      reassignment_versions: ['int[]', union],
      resolved_version: ['int', greatest],
      last_event_at: ['timestamptz', greatest],
    }),
  },
  readers: {
    incident: { 1: readServiceRecordV1 },
    request: { 1: readServiceRecordV1 },
  },
};
