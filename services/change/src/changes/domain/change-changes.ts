import { RecordConflict, RuleViolation } from '@itsm/domain';
import {
  checkAssignment,
  checkPlannedWindow,
  isFinal,
  overrideReason,
  text,
  type Change,
  type ChangeImpact,
} from './change';

/** A `PATCH`: merge semantics, absent fields keep their value, `null` clears an optional one. */
export interface ChangeChanges {
  title?: string;
  description?: string;
  justification?: string | null;
  category?: string | null;
  impact?: ChangeImpact;
  plannedStart?: Date | null;
  plannedEnd?: Date | null;
  implementationPlan?: string | null;
  backoutPlan?: string | null;
  testPlan?: string | null;
  ciIds?: string[];
  businessServiceIds?: string[];
  assignmentGroup?: string | null;
  assignee?: string | null;
  closeNotes?: string | null;
  reviewNotes?: string | null;
  /** Replaces the questionnaire's answers as a whole. */
  riskAnswers?: Record<string, string>;
  /** Why an emergency change goes ahead through a blackout or a freeze; null withdraws it. */
  blackoutOverrideReason?: string | null;
}

/** What a published template fixes on a standard change: the change may not drift from what was pre-authorised. */
const FIXED_BY_TEMPLATE = [
  'title',
  'description',
  'category',
  'implementationPlan',
  'backoutPlan',
  'testPlan',
  'impact',
] as const satisfies (keyof ChangeChanges)[];

/** Once implementation starts, what was planned and authorised is history: only notes and people move. */
const FIXED_FROM_IMPLEMENT = [
  'riskAnswers',
  'plannedStart',
  'plannedEnd',
  'ciIds',
  'businessServiceIds',
  'implementationPlan',
  'backoutPlan',
] as const satisfies (keyof ChangeChanges)[];

function nextAssignment(
  change: Change,
  changes: ChangeChanges,
): Pick<Change, 'assignmentGroup' | 'assignee'> {
  const group =
    changes.assignmentGroup !== undefined ? changes.assignmentGroup : change.assignmentGroup;
  // A change given to another group leaves its assignee behind unless one is named.
  const assignee =
    changes.assignee !== undefined
      ? changes.assignee
      : group !== change.assignmentGroup
        ? null
        : change.assignee;
  checkAssignment(group, assignee);
  return { assignmentGroup: group, assignee };
}

function textOr(value: string | null | undefined, current: string | null): string | null {
  return value === undefined ? current : text(value);
}

/** The change with the changes applied (not yet versioned); a closed or cancelled one does not change. */
export function applyChangeChanges(change: Change, changes: ChangeChanges): Change {
  if (isFinal(change)) {
    throw new RecordConflict(
      `${change.number} is ${change.state}; a closed or cancelled change does not change`,
    );
  }
  if (change.model === 'standard' && change.templateId) {
    const fixed = FIXED_BY_TEMPLATE.find((field) => changes[field] !== undefined);
    if (fixed) throw new RuleViolation(fixed, 'is fixed by the standard change template');
  }
  if (change.state === 'implement' || change.state === 'review') {
    const fixed = FIXED_FROM_IMPLEMENT.find((field) => changes[field] !== undefined);
    if (fixed) {
      throw new RuleViolation(fixed, `cannot change once the change is in ${change.state}`);
    }
  }
  const keep = <K extends keyof Change>(field: K, value: Change[K] | undefined) =>
    value === undefined ? change[field] : value;
  const next: Change = {
    ...change,
    title: changes.title?.trim() || change.title,
    description: keep('description', changes.description),
    justification: textOr(changes.justification, change.justification),
    category: keep('category', changes.category),
    impact: changes.impact ?? change.impact,
    plannedStart: keep('plannedStart', changes.plannedStart),
    plannedEnd: keep('plannedEnd', changes.plannedEnd),
    implementationPlan: textOr(changes.implementationPlan, change.implementationPlan),
    backoutPlan: textOr(changes.backoutPlan, change.backoutPlan),
    testPlan: textOr(changes.testPlan, change.testPlan),
    ciIds: changes.ciIds ? [...new Set(changes.ciIds)] : change.ciIds,
    businessServiceIds: changes.businessServiceIds
      ? [...new Set(changes.businessServiceIds)]
      : change.businessServiceIds,
    ...nextAssignment(change, changes),
    closeNotes: textOr(changes.closeNotes, change.closeNotes),
    reviewNotes: textOr(changes.reviewNotes, change.reviewNotes),
    riskAnswers: changes.riskAnswers ? { ...changes.riskAnswers } : change.riskAnswers,
    blackoutOverrideReason:
      changes.blackoutOverrideReason === undefined
        ? change.blackoutOverrideReason
        : overrideReason(change.model, changes.blackoutOverrideReason),
  };
  checkPlannedWindow(next.plannedStart, next.plannedEnd);
  return next;
}
