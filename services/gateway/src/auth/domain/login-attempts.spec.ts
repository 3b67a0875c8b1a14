import {
  addressKey,
  beginAttempt,
  userKey,
  type AttemptCounter,
  type FailureLimit,
} from './login-attempts';

const t0 = new Date('2026-12-03T10:00:00Z');
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const userLimit: FailureLimit = { maxFailures: 3, windowSeconds: 600, lockoutSeconds: 300 };
const addressLimit: FailureLimit = { maxFailures: 5, windowSeconds: 600, lockoutSeconds: 300 };
const fresh = (): AttemptCounter => ({ failures: 0, windowStartedAt: t0, lockedUntil: null });

/** Failed attempts one after another, as the service stores each decision's counters. */
function fail(times: number, user = fresh(), address = fresh(), now = t0) {
  for (let i = 0; i < times; i++) {
    const decision = beginAttempt(
      [
        { counter: user, limit: userLimit },
        { counter: address, limit: addressLimit },
      ],
      now,
    );
    [user, address] = decision.counters as [AttemptCounter, AttemptCounter];
    if (!decision.admitted) return { decision, user, address };
  }
  return { decision: undefined, user, address };
}

describe('login attempts', () => {
  it('admits attempts up to the limit, counting each until it proves right', () => {
    const { decision, user, address } = fail(3);
    expect(decision).toBeUndefined();
    expect(user.failures).toBe(3);
    expect(address.failures).toBe(3);
  });

  it('refuses the next attempt and locks the username for the lockout', () => {
    const { user, address } = fail(3);
    const refused = beginAttempt(
      [
        { counter: user, limit: userLimit },
        { counter: address, limit: addressLimit },
      ],
      at(10),
    );
    expect(refused).toMatchObject({ admitted: false, retryAfterSeconds: 300 });
    const [lockedUser, untouchedAddress] = refused.counters;
    expect(lockedUser.lockedUntil).toEqual(at(310));
    expect(untouchedAddress).toEqual(address);

    const later = beginAttempt(
      [
        { counter: lockedUser, limit: userLimit },
        { counter: untouchedAddress, limit: addressLimit },
      ],
      at(250),
    );
    expect(later).toMatchObject({ admitted: false, retryAfterSeconds: 60 });
    expect(later.counters).toEqual(refused.counters);
  });

  it('starts afresh once the lockout is over', () => {
    const locked: AttemptCounter = { failures: 3, windowStartedAt: t0, lockedUntil: at(300) };
    const decision = beginAttempt([{ counter: locked, limit: userLimit }], at(300));
    expect(decision).toEqual({
      admitted: true,
      counters: [{ failures: 1, windowStartedAt: at(300), lockedUntil: null }],
    });
  });

  it('forgets failures once their window is over', () => {
    const old: AttemptCounter = { failures: 2, windowStartedAt: t0, lockedUntil: null };
    expect(beginAttempt([{ counter: old, limit: userLimit }], at(600)).counters).toEqual([
      { failures: 1, windowStartedAt: at(600), lockedUntil: null },
    ]);
    expect(beginAttempt([{ counter: old, limit: userLimit }], at(599)).counters).toEqual([
      { failures: 3, windowStartedAt: t0, lockedUntil: null },
    ]);
  });

  it('locks an address that tries many usernames, whatever the username', () => {
    const address: AttemptCounter = { failures: 5, windowStartedAt: t0, lockedUntil: null };
    const decision = beginAttempt(
      [
        { counter: fresh(), limit: userLimit },
        { counter: address, limit: addressLimit },
      ],
      at(1),
    );
    expect(decision).toMatchObject({ admitted: false, retryAfterSeconds: 300 });
    expect(decision.counters[0]).toEqual(fresh());
    expect(decision.counters[1].lockedUntil).toEqual(at(301));
  });

  it('answers the longest remaining lockout', () => {
    const decision = beginAttempt(
      [
        { counter: { failures: 3, windowStartedAt: t0, lockedUntil: at(30) }, limit: userLimit },
        { counter: { failures: 5, windowStartedAt: t0, lockedUntil: at(90) }, limit: addressLimit },
      ],
      at(0.5),
    );
    expect(decision).toMatchObject({ admitted: false, retryAfterSeconds: 90 });
  });

  it('counts a username whatever its case and surrounding blanks', () => {
    expect(userKey(' Agent ')).toBe(userKey('agent'));
    expect(addressKey('203.0.113.7')).toBe('address:203.0.113.7');
    expect(addressKey(undefined)).toBe('address:unknown');
  });
});
