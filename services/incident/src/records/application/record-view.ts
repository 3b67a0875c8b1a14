import { type IncidentSnapshot } from '@itsm/contracts';
import { type ServiceRecord } from '../domain/service-record';

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

/** The record as its events carry it. */
export function toSnapshot(record: ServiceRecord): IncidentSnapshot {
  return {
    id: record.id,
    number: record.number,
    type: record.type,
    title: record.title,
    description: record.description,
    requester: record.requester,
    source: record.source,
    category: record.category,
    subcategory: record.subcategory,
    catalogItem: record.catalogItem,
    businessServiceId: record.businessServiceId,
    ciIds: record.ciIds,
    impact: record.impact,
    urgency: record.urgency,
    priority: record.priority,
    priorityOverrideReason: record.priorityOverrideReason,
    state: record.state,
    holdReason: record.holdReason,
    awaitingChangeId: record.awaitingChangeId,
    assignmentGroup: record.assignmentGroup,
    assignee: record.assignee,
    major: record.major,
    parentId: record.parentId,
    problemId: record.problemId,
    escalationLevel: record.escalationLevel,
    resolutionCode: record.resolutionCode,
    resolutionNotes: record.resolutionNotes,
    openedAt: record.openedAt.toISOString(),
    firstResponseAt: iso(record.firstResponseAt),
    resolvedAt: iso(record.resolvedAt),
    closedAt: iso(record.closedAt),
    reopenCount: record.reopenCount,
    tags: record.tags,
    externalRef: record.externalRef,
    updatedAt: record.updatedAt.toISOString(),
    version: record.version,
  };
}

/** The record as the API answers it: the snapshot, plus what the desk is nudged to do. */
export interface RecordView extends IncidentSnapshot {
  /** A P1 incident not (yet) declared major: the desk should consider declaring it. */
  majorCandidate: boolean;
}

export function toView(record: ServiceRecord): RecordView {
  return {
    ...toSnapshot(record),
    majorCandidate: record.type === 'incident' && record.priority === 'P1' && !record.major,
  };
}
