import { ProblemException, ValidationProblem } from '@itsm/platform';
import { WindowRuleViolation, WindowStateConflict } from '../domain/change-window-errors';
import { MAX_OCCURRENCE_RANGE_DAYS, OccurrenceRangeTooLarge } from '../domain/occurrences';

/** The change-window domain's errors as the API answers them (RFC 9457); anything else passes through. */
export function toHttpProblem(error: unknown): unknown {
  if (error instanceof WindowRuleViolation) return new ValidationProblem([...error.errors]);
  if (error instanceof WindowStateConflict)
    return new ProblemException(
      409,
      'record-conflict',
      'The record does not allow this change',
      error.message,
    );
  if (error instanceof OccurrenceRangeTooLarge)
    return new ValidationProblem([
      { field: 'to', message: `must be at most ${MAX_OCCURRENCE_RANGE_DAYS} days after from` },
    ]);
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
