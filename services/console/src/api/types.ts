/** The shapes the console reads from the API (docs/incidents.md); only the fields it uses. */

/** An incident or a service request: one model, told apart by `type`. */
export interface ServiceRecord {
  id: string;
  number: string;
  type: 'incident' | 'request';
  title: string;
  description: string;
  requester: string;
  state: string;
  priority: string;
  impact: number;
  urgency: number;
  category: string | null;
  catalogItem: string | null;
  businessServiceId: string | null;
  ciIds: string[];
  parentId: string | null;
  major: boolean;
  assignmentGroup: string | null;
  assignee: string | null;
  holdReason: string | null;
  resolutionCode: string | null;
  resolutionNotes: string | null;
  openedAt: string;
  updatedAt: string;
  version: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface JournalEntry {
  id: string;
  kind: 'work_note' | 'comment';
  text: string;
  author: string;
  at: string;
}

export interface HistoryEntry {
  field: string;
  oldValue: unknown;
  newValue: unknown;
  actor: string;
  at: string;
}

/** `GET /api/v1/auth/me`: who the gateway takes the caller for. */
export interface Me {
  username: string;
  roles: string[];
  groups: string[];
  permissions: string[];
}

/** `GET /api/v1/auth/config`: how to sign in (public). */
export interface SignInConfig {
  mode: 'local' | 'oidc';
  oidc: { authority: string; clientId: string; scope: string } | null;
}

/** `GET /api/v1/{incidents|requests}/{id}/transitions`: the moves open from the record's state. */
export interface OpenTransitions {
  id: string;
  state: string;
  transitions: { to: string; requires: string[]; accepts: string[] }[];
}
