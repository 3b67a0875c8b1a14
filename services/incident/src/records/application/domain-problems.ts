import { ProblemException, ValidationProblem } from '@itsm/platform';
import { RecordConflict, RecordRuleViolation, TransitionRefused } from '../domain/record-errors';

/** The record domain's errors as the API answers them; anything else passes through. */
export function toProblem(error: unknown): unknown {
  if (error instanceof RecordRuleViolation) {
    return new ValidationProblem([{ field: error.field, message: error.reason }]);
  }
  if (error instanceof TransitionRefused) {
    return new ProblemException(
      409,
      'transition-not-allowed',
      'Transition not allowed',
      error.message,
      {
        from: error.from,
        to: error.to,
        allowedTransitions: error.allowed,
      },
    );
  }
  if (error instanceof RecordConflict) {
    return new ProblemException(
      409,
      'record-conflict',
      'The record does not allow this change',
      error.message,
    );
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
