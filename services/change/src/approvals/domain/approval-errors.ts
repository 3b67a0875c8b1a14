/** A decision's input the rules refuse (a rejection without a comment); answered as a 400 naming the field. */
export class ApprovalRuleViolation extends Error {
  readonly code = 'APPROVAL_INPUT_INVALID';

  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'ApprovalRuleViolation';
  }
}

/** Someone who is not one of the change's approvers tried to decide; a 403. */
export class ApproverNotEligible extends Error {
  readonly code = 'APPROVER_NOT_ELIGIBLE';

  constructor(
    readonly approver: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApproverNotEligible';
  }
}

export type ApprovalConflictCode =
  /** The round was already approved or rejected. */
  | 'APPROVAL_ROUND_CLOSED'
  /** A new round while the last one is still pending. */
  | 'APPROVAL_ROUND_OPEN'
  /** The change's policy needs no approval. */
  | 'APPROVAL_NOT_REQUIRED'
  /** The same person deciding twice in one round. */
  | 'ALREADY_DECIDED'
  /** Everyone this person could decide for (their group, their role) has decided already. */
  | 'APPROVER_ALREADY_DECIDED'
  /** The change is in a state that takes no decision. */
  | 'NOT_AWAITING_APPROVAL'
  /** No policy matches the change (a policy set that was not validated). */
  | 'NO_APPROVAL_POLICY';

/** A decision the approval's situation does not allow; a 409 with a stable code. */
export class ApprovalConflict extends Error {
  constructor(
    readonly code: ApprovalConflictCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApprovalConflict';
  }
}
