/** A value the record's rules refuse; answered as a 400 naming the field. */
export class RecordRuleViolation extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'RecordRuleViolation';
  }
}

/** A transition the state machine does not allow from the record's state; answered as a 409 listing the allowed ones. */
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

/** A change that conflicts with the record's current situation (e.g. linking to a closed parent); a 409. */
export class RecordConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordConflict';
  }
}
