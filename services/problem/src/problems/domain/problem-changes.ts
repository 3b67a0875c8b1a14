import {
  priorityFor,
  type Impact,
  type Priority,
  type PriorityMatrix,
  type Urgency,
} from '@itsm/contracts';
import { RecordConflict } from '@itsm/domain';
import { checkAssignment, isFinal, manualPriority, type Problem } from './problem';

/** A `PATCH`: merge semantics, absent fields keep their value, `null` clears an optional one. */
export interface ProblemChanges {
  title?: string;
  description?: string;
  category?: string | null;
  subcategory?: string | null;
  businessServiceId?: string | null;
  ciIds?: string[];
  impact?: Impact;
  urgency?: Urgency;
  /** A manual priority (needs `priorityOverrideReason`); `null` returns to the matrix. */
  priority?: Priority | null;
  priorityOverrideReason?: string;
  assignmentGroup?: string | null;
  assignee?: string | null;
  causeNotes?: string | null;
  fixNotes?: string | null;
  workaround?: string | null;
}

function nextPriority(
  problem: Problem,
  changes: ProblemChanges,
  matrix: PriorityMatrix | undefined,
): Pick<Problem, 'priority' | 'priorityOverrideReason'> {
  const impact = changes.impact ?? problem.impact;
  const urgency = changes.urgency ?? problem.urgency;
  if (changes.priority === null) {
    return { priority: priorityFor(impact, urgency, matrix), priorityOverrideReason: null };
  }
  const override = manualPriority(changes.priority, changes.priorityOverrideReason);
  if (override) return override;
  // An override stays until it is cleared: impact and urgency moving do not undo a decision made by hand.
  if (problem.priorityOverrideReason) {
    return { priority: problem.priority, priorityOverrideReason: problem.priorityOverrideReason };
  }
  return { priority: priorityFor(impact, urgency, matrix), priorityOverrideReason: null };
}

function nextAssignment(
  problem: Problem,
  changes: ProblemChanges,
): Pick<Problem, 'assignmentGroup' | 'assignee'> {
  const group =
    changes.assignmentGroup !== undefined ? changes.assignmentGroup : problem.assignmentGroup;
  // A problem given to another group leaves its assignee behind unless one is named.
  const assignee =
    changes.assignee !== undefined
      ? changes.assignee
      : group !== problem.assignmentGroup
        ? null
        : problem.assignee;
  checkAssignment(group, assignee);
  return { assignmentGroup: group, assignee };
}

function text(value: string | null | undefined, current: string | null): string | null {
  if (value === undefined) return current;
  return value === null ? null : value.trim() || null;
}

/** The problem with the changes applied (not yet versioned); a closed or cancelled one does not change. */
export function applyProblemChanges(
  problem: Problem,
  changes: ProblemChanges,
  matrix?: PriorityMatrix,
): Problem {
  if (isFinal(problem)) {
    throw new RecordConflict(
      `${problem.number} is ${problem.state}; a closed or cancelled problem does not change (a problem manager may re-analyse a closed one)`,
    );
  }
  const keep = <K extends keyof Problem>(field: K, value: Problem[K] | undefined) =>
    value === undefined ? problem[field] : value;
  return {
    ...problem,
    title: changes.title?.trim() ?? problem.title,
    description: keep('description', changes.description),
    category: keep('category', changes.category),
    subcategory: keep('subcategory', changes.subcategory),
    businessServiceId: keep('businessServiceId', changes.businessServiceId),
    ciIds: changes.ciIds ? [...new Set(changes.ciIds)] : problem.ciIds,
    impact: changes.impact ?? problem.impact,
    urgency: changes.urgency ?? problem.urgency,
    ...nextPriority(problem, changes, matrix),
    ...nextAssignment(problem, changes),
    causeNotes: text(changes.causeNotes, problem.causeNotes),
    fixNotes: text(changes.fixNotes, problem.fixNotes),
    workaround: text(changes.workaround, problem.workaround),
  };
}
