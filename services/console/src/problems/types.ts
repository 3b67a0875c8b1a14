/** The shapes the console reads from the problem service (docs/problems.md); only fields it uses. */

export const PROBLEM_STATES = [
  'new',
  'assess',
  'root_cause_analysis',
  'fix_in_progress',
  'resolved',
  'closed',
  'cancelled',
] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];

export const OPEN_PROBLEM_STATES: readonly ProblemState[] = [
  'new',
  'assess',
  'root_cause_analysis',
  'fix_in_progress',
];

export const PROBLEM_SOURCES = ['manual', 'incident', 'auto', 'major_incident'] as const;

/** `GET /api/v1/problems/{id}`. */
export interface ProblemRecord {
  id: string;
  number: string;
  title: string;
  description: string;
  category: string | null;
  subcategory: string | null;
  businessServiceId: string | null;
  ciIds: string[];
  impact: number;
  urgency: number;
  priority: string;
  priorityOverrideReason: string | null;
  state: ProblemState;
  source: string;
  candidateReason: string | null;
  assignmentGroup: string | null;
  assignee: string | null;
  openedBy: string;
  causeNotes: string | null;
  fixNotes: string | null;
  workaround: string | null;
  resolutionCode: string | null;
  resolutionNotes: string | null;
  duplicateOfId: string | null;
  changeIds: string[];
  incidentCount: number;
  openedAt: string;
  confirmedAt: string | null;
  confirmedBy: string | null;
  rootCauseIdentifiedAt: string | null;
  rootCauseIdentifiedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  reanalysisCount: number;
  updatedAt: string;
  version: number;
}

/** `GET /api/v1/problems/{id}/incidents`: a linked incident the caller may see. */
export interface LinkedIncident {
  id: string;
  number: string;
  title: string;
  state: string;
  linkedBy: string;
  linkedAt: string;
}

/** `GET /api/v1/known-errors/{id}`; with `q`, a search hit carries its `rank`. */
export interface KnownError {
  id: string;
  number: string;
  title: string;
  symptom: string;
  rootCause: string | null;
  workaround: string | null;
  solution: string | null;
  errorCode: string | null;
  category: string | null;
  ciIds: string[];
  ciClass: string | null;
  vendor: string | null;
  model: string | null;
  version: string | null;
  problemId: string | null;
  validUntil: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  revision: number;
  rank?: number;
}

/** `GET /api/v1/incidents/{id}/known-errors`: why it is offered, and how strongly. */
export interface KnownErrorOffer extends KnownError {
  matchedBy: ('ci' | 'category' | 'text')[];
  score: number;
}

/** A known error as the self-help route shows it to whoever raises an incident. */
export type SelfHelpWorkaround = Pick<KnownError, 'id' | 'number' | 'title' | 'symptom'> & {
  workaround: string;
};
