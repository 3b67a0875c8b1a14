import { ValidationProblem, toHttpProblem } from '@itsm/platform';
import { WindowRuleViolation } from '../domain/change-window-errors';
import { MAX_OCCURRENCE_RANGE_DAYS, OccurrenceRangeTooLarge } from '../domain/occurrences';

/**
 * Runs a use case on change windows, answering domain errors as problems: every field at
 * fault of a window's rules, a range too long to expand as a fault of `to`, and the
 * shared domain errors as every service answers them.
 */
export async function answeringWindowErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof WindowRuleViolation) throw new ValidationProblem([...error.errors]);
    if (error instanceof OccurrenceRangeTooLarge)
      throw new ValidationProblem([
        { field: 'to', message: `must be at most ${MAX_OCCURRENCE_RANGE_DAYS} days after from` },
      ]);
    throw toHttpProblem(error);
  }
}
