import { ReplayCache, ReplayCacheFull } from './replay-cache';

describe('the replay cache of accepted identity ids', () => {
  it('refuses an id seen before until it expires', () => {
    const cache = new ReplayCache(10);
    expect(cache.remember('a', 1_000, 0)).toBe(true);
    expect(cache.remember('a', 1_000, 999)).toBe(false);
    expect(cache.remember('a', 2_000, 1_001)).toBe(true);
  });

  it('forgets expired ids, so its size follows the traffic of one lifetime', () => {
    const cache = new ReplayCache(10);
    for (let i = 0; i < 5; i++) cache.remember(`old-${i}`, 1_000, 0);
    cache.remember('new', 3_000, 2_000);
    expect(cache.size).toBe(1);
  });

  it('refuses to remember more than its capacity of unexpired ids instead of forgetting one', () => {
    const cache = new ReplayCache(2);
    cache.remember('a', 1_000, 0);
    cache.remember('b', 1_000, 0);
    expect(() => cache.remember('c', 1_000, 0)).toThrow(ReplayCacheFull);
    expect(cache.remember('a', 1_000, 500)).toBe(false);
  });

  it('finds expired ids behind an unexpired one before it declares itself full', () => {
    const cache = new ReplayCache(2);
    cache.remember('late', 5_000, 0);
    cache.remember('early', 1_000, 0);
    expect(cache.remember('c', 6_000, 2_000)).toBe(true);
  });
});
