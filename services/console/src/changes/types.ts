/** The change service's shapes the console reads (docs/changes.md); only the fields it uses. */

export type ChangeModel = 'standard' | 'normal' | 'emergency';
export type ChangeState =
  'new' | 'assess' | 'authorize' | 'scheduled' | 'implement' | 'review' | 'closed' | 'cancelled';
export type ChangeRisk = 'low' | 'moderate' | 'high' | 'very_high';
export type ChangeApproval =
  'not_requested' | 'requested' | 'approved' | 'rejected' | 'not_required';

export const CHANGE_STATES: readonly ChangeState[] = [
  'new',
  'assess',
  'authorize',
  'scheduled',
  'implement',
  'review',
  'closed',
  'cancelled',
];
export const CHANGE_MODELS: readonly ChangeModel[] = ['standard', 'normal', 'emergency'];
export const CHANGE_RISKS: readonly ChangeRisk[] = ['low', 'moderate', 'high', 'very_high'];
export const CLOSE_CODES = [
  'successful',
  'successful_with_issues',
  'unsuccessful',
  'backed_out',
] as const;

/** `GET /api/v1/changes/{id}`. */
export interface Change {
  id: string;
  number: string;
  title: string;
  description: string;
  justification: string | null;
  model: ChangeModel;
  templateId: string | null;
  category: string | null;
  impact: number;
  risk: ChangeRisk;
  riskSource: string | null;
  riskReasons: string[];
  riskAssessedAt: string | null;
  state: ChangeState;
  approval: ChangeApproval;
  onHold: boolean;
  holdReason: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  implementationPlan: string | null;
  backoutPlan: string | null;
  testPlan: string | null;
  ciIds: string[];
  businessServiceIds: string[];
  assignmentGroup: string | null;
  assignee: string | null;
  requestedBy: string;
  closeCode: string | null;
  closeNotes: string | null;
  reviewNotes: string | null;
  unauthorized: boolean;
  blackoutOverrideReason: string | null;
  openedAt: string;
  authorizedAt: string | null;
  closedAt: string | null;
  updatedAt: string;
  version: number;
}

export interface ApproverRef {
  kind: 'user' | 'group' | 'role';
  name: string;
}

export interface ApprovalDecision {
  approver: string;
  onBehalfOf: ApproverRef;
  decision: 'approve' | 'reject';
  comment: string | null;
  at: string;
  retrospective: boolean;
}

export interface ApprovalRound {
  number: number;
  policy: { id: string; name: string };
  rule: { kind: string; n?: number; percent?: number };
  approvers: ApproverRef[];
  retrospectiveAllowed: boolean;
  outcome: 'pending' | 'approved' | 'rejected';
  needed: number;
  missing: string | null;
  decisions: ApprovalDecision[];
  openedAt: string;
  closedAt: string | null;
}

/** An item of `GET /api/v1/changes/awaiting-my-decision`: whom the user may decide for, in its open round. */
export interface AwaitingDecision {
  change: Change;
  round: ApprovalRound;
  canDecideFor: ApproverRef[];
}

/** `GET /api/v1/changes/{id}/approvals`. */
export interface ChangeApprovals {
  changeId: string;
  approval: ChangeApproval;
  rounds: ApprovalRound[];
}

export type ConflictKind =
  | 'blackout'
  | 'freeze'
  | 'same_ci'
  | 'dependent_ci'
  | 'outside_maintenance_window'
  | 'assignee_double_booked';

export interface Conflict {
  kind: ConflictKind;
  message: string;
  ciId: string | null;
  otherChangeId: string | null;
  windowId: string | null;
  refused: boolean;
}

/** `GET /api/v1/changes/{id}/conflicts`. */
export interface ChangeConflicts {
  changeId: string;
  conflicts: Conflict[];
  refused: boolean;
  dependencyCheckDegraded: string | null;
  classCheckDegraded: string | null;
  checkedAt: string;
}

export interface Interval {
  start: string;
  end: string;
}

export interface ScheduledChange {
  id: string;
  number: string;
  title: string;
  state: ChangeState;
  model: ChangeModel;
  risk: ChangeRisk;
  plannedStart: string;
  plannedEnd: string;
  ciIds: string[];
  assignmentGroup: string | null;
  assignee: string | null;
  onHold: boolean;
}

export type WindowKind = 'maintenance' | 'blackout' | 'freeze';

export interface ScheduledWindow {
  id: string;
  name: string;
  kind: WindowKind;
  scope: { ciIds: string[]; businessServiceIds: string[]; ciClasses: string[] };
  inForceSince: string | null;
  occurrences: Interval[];
}

/** `GET /api/v1/changes/schedule?from=&to=`. */
export interface Schedule {
  from: string;
  to: string;
  changes: ScheduledChange[];
  windows: ScheduledWindow[];
}

/** `GET /api/v1/cab-meetings`. */
export interface CabMeeting {
  id: string;
  name: string;
  recurrence: string;
  timeZone: string;
  durationMinutes: number;
  approverGroup: string;
  agendaLookAheadDays: number;
  active: boolean;
}

export interface AgendaItem {
  position: number;
  changeId: string;
  number: string;
  title: string;
  model: ChangeModel;
  risk: ChangeRisk;
  plannedStart: string | null;
  overdue: boolean;
  retrospective: boolean;
}

export interface CabDecision {
  changeId: string;
  number: string;
  approvalRound: number;
  decision: 'approve' | 'reject';
  comment: string | null;
  recordedBy: string;
  recordedAt: string;
}

/** `GET /api/v1/cab-meetings/{id}/agenda`. */
export interface CabAgenda {
  start: string;
  end: string;
  agendaUntil: string;
  meeting: { id: string; name: string; approverGroup: string };
  items: AgendaItem[];
  decisions: CabDecision[];
}
