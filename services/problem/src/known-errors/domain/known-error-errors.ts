/** A value the known error's rules refuse; answered as a 400 naming the field. */
export class KnownErrorRuleViolation extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'KnownErrorRuleViolation';
  }
}
