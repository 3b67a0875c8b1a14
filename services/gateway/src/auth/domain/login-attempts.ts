/**
 * Login attempts limited per username and per client address. Each attempt counts as a
 * failure from the moment it is admitted until it proves right, so a burst of parallel
 * guesses cannot slip past the limit before the first of them fails. Once a limit is
 * reached, attempts are refused, the right password included and without checking it,
 * until the lockout ends; after it a fresh window begins.
 */
export interface AttemptCounter {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

export interface FailureLimit {
  maxFailures: number;
  windowSeconds: number;
  lockoutSeconds: number;
}

export type AttemptDecision =
  | { admitted: true; counters: AttemptCounter[] }
  | { admitted: false; retryAfterSeconds: number; counters: AttemptCounter[] };

const secondsUntil = (until: Date, now: Date) =>
  Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));

/** The counter as it stands at `now`: a window or lockout that has ended starts afresh. */
function current(counter: AttemptCounter, limit: FailureLimit, now: Date): AttemptCounter {
  const windowEnded =
    now.getTime() - counter.windowStartedAt.getTime() >= limit.windowSeconds * 1000;
  const lockoutEnded = counter.lockedUntil !== null && counter.lockedUntil <= now;
  return windowEnded || lockoutEnded
    ? { failures: 0, windowStartedAt: now, lockedUntil: null }
    : counter;
}

/**
 * Whether an attempt may check its password, given the counters it is counted on (its
 * username's and its address's, each with its limit), and the counters to store.
 */
export function beginAttempt(
  counted: readonly { counter: AttemptCounter; limit: FailureLimit }[],
  now: Date,
): AttemptDecision {
  const states = counted.map(({ counter, limit }) => ({
    counter: current(counter, limit, now),
    limit,
  }));
  const lockedUntil = states
    .map(({ counter }) => counter.lockedUntil)
    .filter((until): until is Date => until !== null);
  if (lockedUntil.length > 0) {
    const latest = new Date(Math.max(...lockedUntil.map((until) => until.getTime())));
    return {
      admitted: false,
      retryAfterSeconds: secondsUntil(latest, now),
      counters: states.map(({ counter }) => counter),
    };
  }
  const exceeded = states.some(({ counter, limit }) => counter.failures >= limit.maxFailures);
  if (exceeded) {
    // The limit is reached: this attempt is not counted, and starts the lockout of each counter at its limit.
    const counters = states.map(({ counter, limit }) =>
      counter.failures >= limit.maxFailures
        ? { ...counter, lockedUntil: new Date(now.getTime() + limit.lockoutSeconds * 1000) }
        : counter,
    );
    const longest = Math.max(
      ...states
        .filter(({ counter, limit }) => counter.failures >= limit.maxFailures)
        .map(({ limit }) => limit.lockoutSeconds),
    );
    return { admitted: false, retryAfterSeconds: longest, counters };
  }
  return {
    admitted: true,
    counters: states.map(({ counter }) => ({ ...counter, failures: counter.failures + 1 })),
  };
}

/** The key a username is counted under: case and surrounding blanks do not make another user. */
export function userKey(username: string): string {
  return `user:${username.trim().toLowerCase()}`;
}

export function addressKey(address: string | undefined): string {
  return `address:${address ?? 'unknown'}`;
}
