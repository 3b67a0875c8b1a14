import {
  priorityFor,
  type Impact,
  type Priority,
  type PriorityMatrix,
  type ProblemResolutionCode,
  type ProblemSource,
  type ProblemState,
  type Urgency,
} from '@itsm/contracts';
import {
  RuleViolation,
  diffRecords,
  fieldsWithValues,
  numbered,
  type FieldChange,
} from '@itsm/domain';

/**
 * A problem (clause 8.6.3): the unknown cause of one or more incidents, worked from
 * assessment through root cause analysis to a fix, or to a risk accepted.
 */
export interface Problem {
  id: string;
  number: string;
  title: string;
  description: string;
  category: string | null;
  subcategory: string | null;
  businessServiceId: string | null;
  ciIds: string[];
  impact: Impact;
  urgency: Urgency;
  priority: Priority;
  priorityOverrideReason: string | null;
  state: ProblemState;
  source: ProblemSource;
  candidateReason: string | null;
  /** What a candidate rule covers (`ci:<id>`, `service-category:<id>:<category>`, `major-incident:<id>`). */
  candidateKey: string | null;
  assignmentGroup: string | null;
  assignee: string | null;
  openedBy: string;
  causeNotes: string | null;
  fixNotes: string | null;
  workaround: string | null;
  resolutionCode: ProblemResolutionCode | null;
  resolutionNotes: string | null;
  duplicateOfId: string | null;
  changeIds: string[];
  incidentCount: number;
  openedAt: Date;
  confirmedAt: Date | null;
  confirmedBy: string | null;
  rootCauseIdentifiedAt: Date | null;
  rootCauseIdentifiedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  closedAt: Date | null;
  closedBy: string | null;
  reanalysisCount: number;
  updatedAt: Date;
  version: number;
}

/** Identity and bookkeeping (the link count follows the links): never a changed field. */
const NOT_FIELDS = [
  'id',
  'number',
  'updatedAt',
  'version',
  'candidateKey',
  'incidentCount',
] as const;
/** Open: still being worked (not resolved, closed or cancelled). */
export const OPEN_PROBLEM_STATES: readonly ProblemState[] = [
  'new',
  'assess',
  'root_cause_analysis',
  'fix_in_progress',
];

export function isOpen(problem: Pick<Problem, 'state'>): boolean {
  return OPEN_PROBLEM_STATES.includes(problem.state);
}

export function isFinal(problem: Pick<Problem, 'state'>): boolean {
  return problem.state === 'closed' || problem.state === 'cancelled';
}

/** What the record-level rule reads of a problem: whoever opened it stands where a requester does. */
export function ownership(problem: Pick<Problem, 'openedBy' | 'assignee' | 'assignmentGroup'>): {
  requester: string;
  assignee: string | null;
  assignmentGroup: string | null;
} {
  return {
    requester: problem.openedBy,
    assignee: problem.assignee,
    assignmentGroup: problem.assignmentGroup,
  };
}

export interface NewProblem {
  title: string;
  description?: string;
  category?: string | null;
  subcategory?: string | null;
  businessServiceId?: string | null;
  ciIds?: string[];
  impact: Impact;
  urgency: Urgency;
  priority?: Priority;
  priorityOverrideReason?: string | null;
  source: ProblemSource;
  candidateReason?: string | null;
  candidateKey?: string | null;
  assignmentGroup?: string | null;
  assignee?: string | null;
  workaround?: string | null;
  openedBy: string;
}

/** A priority set by hand needs a reason, and a reason needs a priority, so neither is silently dropped. */
export function manualPriority(
  priority: Priority | undefined,
  reason: string | null | undefined,
): Pick<Problem, 'priority' | 'priorityOverrideReason'> | undefined {
  const trimmed = reason?.trim();
  if (priority !== undefined) {
    if (!trimmed) {
      throw new RuleViolation('priorityOverrideReason', 'is required to override the priority');
    }
    return { priority, priorityOverrideReason: trimmed };
  }
  if (reason !== undefined && reason !== null) {
    throw new RuleViolation('priorityOverrideReason', 'is only given with a priority to override');
  }
  return undefined;
}

export function checkAssignment(group: string | null, assignee: string | null): void {
  if (assignee && !group) throw new RuleViolation('assignee', 'needs an assignment group');
}

/** A new problem in state `new`, its priority from the matrix unless overridden (with a reason). */
export function openProblem(
  input: NewProblem,
  identity: { id: string; sequence: number },
  now: Date,
  matrix?: PriorityMatrix,
): Problem {
  const override = manualPriority(input.priority, input.priorityOverrideReason);
  checkAssignment(input.assignmentGroup ?? null, input.assignee ?? null);
  return {
    id: identity.id,
    number: numbered('PRB', identity.sequence),
    title: input.title.trim(),
    description: input.description ?? '',
    category: input.category ?? null,
    subcategory: input.subcategory ?? null,
    businessServiceId: input.businessServiceId ?? null,
    ciIds: [...new Set(input.ciIds ?? [])],
    impact: input.impact,
    urgency: input.urgency,
    priority: override?.priority ?? priorityFor(input.impact, input.urgency, matrix),
    priorityOverrideReason: override?.priorityOverrideReason ?? null,
    state: 'new',
    source: input.source,
    candidateReason: input.candidateReason ?? null,
    candidateKey: input.candidateKey ?? null,
    assignmentGroup: input.assignmentGroup ?? null,
    assignee: input.assignee ?? null,
    openedBy: input.openedBy,
    causeNotes: null,
    fixNotes: null,
    workaround: input.workaround?.trim() || null,
    resolutionCode: null,
    resolutionNotes: null,
    duplicateOfId: null,
    changeIds: [],
    incidentCount: 0,
    openedAt: now,
    confirmedAt: null,
    confirmedBy: null,
    rootCauseIdentifiedAt: null,
    rootCauseIdentifiedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    closedAt: null,
    closedBy: null,
    reanalysisCount: 0,
    updatedAt: now,
    version: 1,
  };
}

/** The fields that differ between two versions of a problem, in a stable order. */
export function diffProblems(before: Problem, after: Problem): FieldChange[] {
  return diffRecords(before, after, NOT_FIELDS);
}

/** The fields a new problem was given (every field with a value), as history and `created` list them. */
export function fieldsSetOnOpen(problem: Problem): FieldChange[] {
  return fieldsWithValues(problem, NOT_FIELDS);
}
