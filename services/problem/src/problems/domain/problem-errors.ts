/** A value the rules of problems, tasks or known errors refuse; answered as a 400 naming the field. */
export class RuleViolation extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'RuleViolation';
  }
}

/** A transition the state machine does not allow from the record's state; a 409 listing the allowed ones. */
export class TransitionRefused extends Error {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly allowed: readonly string[],
  ) {
    super(
      `a record in state ${from} cannot move to ${to}; allowed: ${allowed.length ? allowed.join(', ') : 'none (final state)'}`,
    );
    this.name = 'TransitionRefused';
  }
}

/** A change that conflicts with the record's situation (e.g. editing a closed problem); a 409. */
export class ProblemConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProblemConflict';
  }
}

/** A step only some roles may take (re-analysing a closed problem); a 403. */
export class StepForbidden extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepForbidden';
  }
}
