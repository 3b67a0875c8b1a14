import { ValidationProblem } from '@itsm/platform';
import { KnownErrorRuleViolation } from '../domain/known-error-errors';

/** The known error domain's errors as the API answers them; anything else passes through. */
export function toProblem(error: unknown): unknown {
  if (error instanceof KnownErrorRuleViolation) {
    return new ValidationProblem([{ field: error.field, message: error.reason }]);
  }
  return error;
}

/** Runs a use case, answering domain errors as problems. */
export async function answeringDomainErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toProblem(error);
  }
}
