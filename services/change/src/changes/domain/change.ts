import {
  type ChangeApprovalState,
  type ChangeCloseCode,
  type ChangeExternalRef,
  type ChangeModel,
  type ChangeRisk,
  type ChangeRiskSource,
  type ChangeState,
} from '@itsm/contracts';
import {
  RuleViolation,
  diffRecords,
  fieldsWithValues,
  numbered,
  type FieldChange,
} from '@itsm/domain';

export type ChangeImpact = 1 | 2 | 3;

/**
 * A change (clauses 8.5.1 and 8.5.3): an addition, modification or removal that could
 * affect services, assessed, authorised, scheduled, implemented and reviewed according
 * to its model.
 */
export interface Change {
  id: string;
  number: string;
  title: string;
  description: string;
  justification: string | null;
  model: ChangeModel;
  templateId: string | null;
  templateVersion: number | null;
  category: string | null;
  impact: ChangeImpact;
  risk: ChangeRisk;
  riskSource: ChangeRiskSource | null;
  riskReasons: string[];
  riskAnswers: Record<string, string>;
  riskAssessedAt: Date | null;
  state: ChangeState;
  approval: ChangeApprovalState;
  onHold: boolean;
  holdReason: string | null;
  heldByWindowId: string | null;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  actualStart: Date | null;
  actualEnd: Date | null;
  implementationPlan: string | null;
  backoutPlan: string | null;
  testPlan: string | null;
  ciIds: string[];
  businessServiceIds: string[];
  assignmentGroup: string | null;
  assignee: string | null;
  requestedBy: string;
  problemIds: string[];
  incidentIds: string[];
  causedIncidentIds: string[];
  closeCode: ChangeCloseCode | null;
  closeNotes: string | null;
  reviewNotes: string | null;
  unauthorized: boolean;
  blackoutOverrideReason: string | null;
  externalRef: ChangeExternalRef | null;
  openedAt: Date;
  authorizedAt: Date | null;
  closedAt: Date | null;
  closedBy: string | null;
  updatedAt: Date;
  version: number;
}

/** Identity and bookkeeping: never a changed field. */
const NOT_FIELDS = ['id', 'number', 'updatedAt', 'version'] as const satisfies (keyof Change)[];

/** Still to be implemented: a freeze holds these, and cancelling is allowed. */
export const CANCELLABLE_STATES: readonly ChangeState[] = [
  'new',
  'assess',
  'authorize',
  'scheduled',
];

/** Not finished: the schedule, conflicts and freezes consider these. */
export const OPEN_CHANGE_STATES: readonly ChangeState[] = [
  ...CANCELLABLE_STATES,
  'implement',
  'review',
];

export function isFinal(change: Pick<Change, 'state'>): boolean {
  return change.state === 'closed' || change.state === 'cancelled';
}

export interface NewChange {
  title: string;
  description?: string;
  justification?: string | null;
  model: ChangeModel;
  templateId?: string | null;
  templateVersion?: number | null;
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
  riskAnswers?: Record<string, string>;
  problemIds?: string[];
  incidentIds?: string[];
  externalRef?: ChangeExternalRef | null;
  unauthorized?: boolean;
  blackoutOverrideReason?: string | null;
  requestedBy: string;
}

export function checkAssignment(group: string | null, assignee: string | null): void {
  if (assignee && !group) throw new RuleViolation('assignee', 'needs an assignment group');
}

/** Planned dates come as a pair, the end after the start. */
export function checkPlannedWindow(start: Date | null, end: Date | null): void {
  if ((start === null) !== (end === null)) {
    throw new RuleViolation(
      start === null ? 'plannedStart' : 'plannedEnd',
      'is given together with the other end of the planned window',
    );
  }
  if (start && end && end.getTime() <= start.getTime()) {
    throw new RuleViolation('plannedEnd', 'must be after plannedStart');
  }
}

export function text(value: string | null | undefined): string | null {
  return value?.trim() || null;
}

/** Only an emergency change goes ahead through a blackout or a freeze, and only with a reason. */
export function overrideReason(
  model: ChangeModel,
  reason: string | null | undefined,
): string | null {
  const trimmed = text(reason);
  if (trimmed && model !== 'emergency') {
    throw new RuleViolation(
      'blackoutOverrideReason',
      'is only for an emergency change (a blackout refuses the others)',
    );
  }
  return trimmed;
}

/** A new change in state `new`; its risk is computed right after (see the risk module). */
export function openChange(
  input: NewChange,
  identity: { id: string; sequence: number },
  now: Date,
): Change {
  const plannedStart = input.plannedStart ?? null;
  const plannedEnd = input.plannedEnd ?? null;
  checkPlannedWindow(plannedStart, plannedEnd);
  checkAssignment(input.assignmentGroup ?? null, input.assignee ?? null);
  if (!input.title.trim()) throw new RuleViolation('title', 'is required');
  return {
    id: identity.id,
    number: numbered('CHG', identity.sequence),
    title: input.title.trim(),
    description: input.description ?? '',
    justification: text(input.justification),
    model: input.model,
    templateId: input.templateId ?? null,
    templateVersion: input.templateVersion ?? null,
    category: input.category ?? null,
    impact: input.impact ?? 3,
    risk: 'low',
    riskSource: null,
    riskReasons: [],
    riskAnswers: { ...input.riskAnswers },
    riskAssessedAt: null,
    state: 'new',
    approval: input.model === 'standard' ? 'not_required' : 'not_requested',
    onHold: false,
    holdReason: null,
    heldByWindowId: null,
    plannedStart,
    plannedEnd,
    actualStart: null,
    actualEnd: null,
    implementationPlan: text(input.implementationPlan),
    backoutPlan: text(input.backoutPlan),
    testPlan: text(input.testPlan),
    ciIds: [...new Set(input.ciIds ?? [])],
    businessServiceIds: [...new Set(input.businessServiceIds ?? [])],
    assignmentGroup: input.assignmentGroup ?? null,
    assignee: input.assignee ?? null,
    requestedBy: input.requestedBy,
    problemIds: [...new Set(input.problemIds ?? [])],
    incidentIds: [...new Set(input.incidentIds ?? [])],
    causedIncidentIds: [],
    closeCode: null,
    closeNotes: null,
    reviewNotes: null,
    unauthorized: input.unauthorized ?? false,
    blackoutOverrideReason: overrideReason(input.model, input.blackoutOverrideReason),
    externalRef: input.externalRef ?? null,
    openedAt: now,
    authorizedAt: null,
    closedAt: null,
    closedBy: null,
    updatedAt: now,
    version: 1,
  };
}

/** The fields that differ between two versions of a change, in a stable order. */
export function diffChanges(before: Change, after: Change): FieldChange[] {
  return diffRecords(before, after, NOT_FIELDS);
}

/** The fields a new change was given (every field with a value), as history and `created` list them. */
export function fieldsSetOnOpen(change: Change): FieldChange[] {
  return fieldsWithValues(change, NOT_FIELDS);
}

/** Whether a review (post-implementation review notes) must be written before the change closes. */
export function reviewRequired(
  change: Pick<Change, 'model' | 'closeCode' | 'unauthorized'>,
): boolean {
  return (
    change.model === 'emergency' ||
    change.unauthorized ||
    change.closeCode === 'unsuccessful' ||
    change.closeCode === 'backed_out'
  );
}
