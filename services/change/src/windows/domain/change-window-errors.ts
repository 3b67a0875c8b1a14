/** A field at fault, named as the API names it. */
export interface WindowFieldError {
  field: string;
  message: string;
}

/** The request breaks a rule of change windows; every field at fault is named (answered 400). */
export class WindowRuleViolation extends Error {
  constructor(readonly errors: readonly WindowFieldError[]) {
    super(errors.map((error) => `${error.field}: ${error.message}`).join('; '));
  }

  static of(field: string, message: string): WindowRuleViolation {
    return new WindowRuleViolation([{ field, message }]);
  }
}

/** The window's state does not allow the step (lifting a freeze not in force, changing a retired window): 409. */
export class WindowStateConflict extends Error {}
