/**
 * The errors the services' domain logic raises, in plain TypeScript so that domain code
 * stays free of the framework. `libs/platform` answers each as RFC 9457 problem+json.
 */

/** A value the record's rules refuse; answered as a 400 naming the field. */
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

/**
 * A change that conflicts with the record's situation (e.g. editing a closed record); a
 * 409. A `code` (e.g. `ALREADY_DECIDED`) tells clients which situation, in a stable word.
 */
export class RecordConflict extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'RecordConflict';
  }
}

/** A step only some roles or people may take; a 403, with a stable `code` where one helps. */
export class StepForbidden extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'StepForbidden';
  }
}
