import { RecordConflict, RuleViolation } from '@itsm/domain';
import {
  priorityFor,
  type Impact,
  type Priority,
  type PriorityMatrix,
  type Urgency,
} from '@itsm/contracts';
import {
  checkParentage,
  fieldsOfTheOtherType,
  isFinal,
  manualPriority,
  normalizeTags,
  type ServiceRecord,
} from './service-record';

/** A `PATCH`: merge semantics, absent fields keep their value, `null` clears an optional one. */
export interface RecordChanges {
  title?: string;
  description?: string;
  category?: string | null;
  subcategory?: string | null;
  catalogItem?: string | null;
  businessServiceId?: string | null;
  ciIds?: string[];
  impact?: Impact;
  urgency?: Urgency;
  /** A manual priority (needs `priorityOverrideReason`); `null` returns to the matrix. */
  priority?: Priority | null;
  priorityOverrideReason?: string;
  assignmentGroup?: string | null;
  assignee?: string | null;
  major?: boolean;
  parentId?: string | null;
  tags?: string[];
  externalRef?: string | null;
}

function checkApplicability(record: ServiceRecord, changes: RecordChanges): void {
  if (isFinal(record)) {
    throw new RecordConflict(`${record.number} is ${record.state}; a final record does not change`);
  }
  const [misplaced] = fieldsOfTheOtherType(record.type, changes);
  if (misplaced) throw new RuleViolation(misplaced.field, misplaced.message);
}

function nextPriority(
  record: ServiceRecord,
  changes: RecordChanges,
  matrix: PriorityMatrix | undefined,
): Pick<ServiceRecord, 'priority' | 'priorityOverrideReason'> {
  const impact = changes.impact ?? record.impact;
  const urgency = changes.urgency ?? record.urgency;
  if (changes.priority === null) {
    return { priority: priorityFor(impact, urgency, matrix), priorityOverrideReason: null };
  }
  const override = manualPriority(changes.priority, changes.priorityOverrideReason);
  if (override) return override;
  // An override stays until it is cleared: impact and urgency moving do not undo a decision made by hand.
  if (record.priorityOverrideReason) {
    return { priority: record.priority, priorityOverrideReason: record.priorityOverrideReason };
  }
  return { priority: priorityFor(impact, urgency, matrix), priorityOverrideReason: null };
}

function nextAssignment(
  record: ServiceRecord,
  changes: RecordChanges,
): Pick<ServiceRecord, 'assignmentGroup' | 'assignee'> {
  const group =
    changes.assignmentGroup !== undefined ? changes.assignmentGroup : record.assignmentGroup;
  const groupMoved = group !== record.assignmentGroup;
  // A record given to another group leaves its assignee behind unless one is named.
  const assignee =
    changes.assignee !== undefined ? changes.assignee : groupMoved ? null : record.assignee;
  if (assignee && !group) {
    throw new RuleViolation('assignee', 'needs an assignment group');
  }
  return { assignmentGroup: group, assignee };
}

/** The record with the changes applied (not yet versioned); errors name the field at fault. */
export function applyChanges(
  record: ServiceRecord,
  changes: RecordChanges,
  matrix?: PriorityMatrix,
): ServiceRecord {
  checkApplicability(record, changes);
  const major = changes.major ?? record.major;
  const parentId = changes.parentId !== undefined ? changes.parentId : record.parentId;
  checkParentage(record.id, major, parentId);
  const keep = <K extends keyof ServiceRecord>(field: K, value: ServiceRecord[K] | undefined) =>
    value === undefined ? record[field] : value;
  return {
    ...record,
    title: changes.title?.trim() ?? record.title,
    description: keep('description', changes.description),
    category: keep('category', changes.category),
    subcategory: keep('subcategory', changes.subcategory),
    catalogItem: keep('catalogItem', changes.catalogItem),
    businessServiceId: keep('businessServiceId', changes.businessServiceId),
    ciIds: changes.ciIds ? [...new Set(changes.ciIds)] : record.ciIds,
    impact: changes.impact ?? record.impact,
    urgency: changes.urgency ?? record.urgency,
    ...nextPriority(record, changes, matrix),
    ...nextAssignment(record, changes),
    major,
    parentId,
    tags: changes.tags ? normalizeTags(changes.tags) : record.tags,
    externalRef: keep('externalRef', changes.externalRef),
  };
}

export type EscalationCause = 'sla_warning' | 'sla_breach';

/**
 * Escalation levels: 0 none, 1 after an SLA warning, 2 after a breach. Raising is by
 * value, not by count, so the same warning or breach seen twice raises nothing more.
 */
export function escalate(record: ServiceRecord, cause: EscalationCause): ServiceRecord {
  const level = cause === 'sla_warning' ? 1 : 2;
  return level > record.escalationLevel ? { ...record, escalationLevel: level } : record;
}
