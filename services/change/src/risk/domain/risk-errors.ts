/**
 * An input the risk rules refuse (an unknown questionnaire answer, an impossible group
 * record); answered as a 400 naming the field, e.g. `riskAnswers.q9`.
 */
export class RiskInputError extends Error {
  readonly code = 'RISK_INPUT_INVALID';

  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'RiskInputError';
  }
}
