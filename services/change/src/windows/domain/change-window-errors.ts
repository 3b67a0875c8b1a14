import { RuleViolation } from '@itsm/domain';

/** A field at fault, named as the API names it. */
export interface WindowFieldError {
  field: string;
  message: string;
}

/**
 * The request breaks rules of change windows: a `RuleViolation` (answered 400 naming its
 * field) that also carries every other field at fault, since a window's timing is checked
 * as a whole and a client should learn all that is wrong at once.
 */
export class WindowRuleViolation extends RuleViolation {
  readonly errors: readonly WindowFieldError[];

  constructor(errors: readonly [WindowFieldError, ...WindowFieldError[]]) {
    super(errors[0].field, errors[0].message);
    this.name = 'WindowRuleViolation';
    this.errors = errors;
  }

  static of(field: string, message: string): WindowRuleViolation {
    return new WindowRuleViolation([{ field, message }]);
  }
}

/** The stable codes of the 409s a window's state answers with (`RecordConflict.code`). */
export const WindowConflictCodes = {
  retired: 'WINDOW_RETIRED',
  inactive: 'WINDOW_INACTIVE',
  notAFreeze: 'NOT_A_FREEZE',
  alreadyInForce: 'ALREADY_IN_FORCE',
  notInForce: 'NOT_IN_FORCE',
  freezeInForce: 'FREEZE_IN_FORCE',
} as const;
