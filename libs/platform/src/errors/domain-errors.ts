import { RecordConflict, RuleViolation, StepForbidden, TransitionRefused } from '@itsm/domain';
import { ProblemException, ValidationProblem } from './problem';

/** A domain error (`@itsm/domain`) as the API answers it (RFC 9457); anything else passes through. */
export function toHttpProblem(error: unknown): unknown {
  if (error instanceof RuleViolation) {
    return new ValidationProblem([{ field: error.field, message: error.reason }]);
  }
  if (error instanceof TransitionRefused) {
    return new ProblemException(
      409,
      'transition-not-allowed',
      'Transition not allowed',
      error.message,
      { from: error.from, to: error.to, allowedTransitions: error.allowed },
    );
  }
  if (error instanceof RecordConflict) {
    return new ProblemException(
      409,
      'record-conflict',
      'The record does not allow this change',
      error.message,
      error.code ? { code: error.code } : {},
    );
  }
  if (error instanceof StepForbidden) {
    return new ProblemException(
      403,
      'forbidden',
      'Forbidden',
      error.message,
      error.code ? { code: error.code } : {},
    );
  }
  return error;
}

/** Runs a use case, answering domain errors as problems. */
export async function answeringDomainErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toHttpProblem(error);
  }
}
