/** Who is calling, as the gateway established it. */
export interface Caller {
  username: string;
  roles: string[];
  groups: string[];
  /** A person with a token, or a machine with an API key. */
  kind: 'user' | 'api_key';
}

/** Record-level visibility: managers and auditors see all; others their own records and their groups'. */
export interface RecordOwnership {
  requester: string;
  assignmentGroup?: string | null;
  assignee?: string | null;
}
