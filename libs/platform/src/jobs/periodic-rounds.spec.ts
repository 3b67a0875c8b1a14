import { AsyncLocalStorage } from 'node:async_hooks';
import { PeriodicRounds } from './periodic-rounds';

describe('periodic rounds', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A round that stays running until released. */
  function heldRounds() {
    const releases: (() => void)[] = [];
    let started = 0;
    const round = () => {
      started += 1;
      return new Promise<void>((resolve) => releases.push(resolve));
    };
    return {
      round,
      started: () => started,
      releaseAll: () => releases.splice(0).forEach((release) => release()),
    };
  }

  it('starts a round every interval, skipping ticks while one runs', async () => {
    const held = heldRounds();
    const rounds = new PeriodicRounds({ intervalMs: 100, round: held.round, onError: jest.fn() });
    rounds.start();
    await jest.advanceTimersByTimeAsync(350);
    expect(held.started()).toBe(1);
    held.releaseAll();
    await jest.advanceTimersByTimeAsync(100);
    expect(held.started()).toBe(2);
    held.releaseAll();
    await rounds.stop();
  });

  it('reports a failed round and goes on', async () => {
    const onError = jest.fn();
    const failure = new Error('database down');
    const round = jest.fn().mockRejectedValueOnce(failure).mockResolvedValue(undefined);
    const rounds = new PeriodicRounds({ intervalMs: 100, round, onError });
    rounds.start();
    await jest.advanceTimersByTimeAsync(250);
    expect(onError).toHaveBeenCalledWith(failure);
    expect(round).toHaveBeenCalledTimes(2);
    await rounds.stop();
  });

  it('stops ticking and waits for the running round', async () => {
    const held = heldRounds();
    const rounds = new PeriodicRounds({ intervalMs: 100, round: held.round, onError: jest.fn() });
    rounds.start();
    await jest.advanceTimersByTimeAsync(100);
    let stopped = false;
    const stopping = rounds.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    held.releaseAll();
    await stopping;
    await jest.advanceTimersByTimeAsync(500);
    expect(held.started()).toBe(1);
  });

  it('runs a round at once when triggered, unless one is running or the rounds are stopped', async () => {
    const held = heldRounds();
    const rounds = new PeriodicRounds({ intervalMs: 1000, round: held.round, onError: jest.fn() });
    rounds.trigger();
    expect(held.started()).toBe(0);
    rounds.start();
    rounds.trigger();
    expect(held.started()).toBe(1);
    rounds.trigger();
    expect(held.started()).toBe(1);
    held.releaseAll();
    await jest.advanceTimersByTimeAsync(0);
    rounds.trigger();
    expect(held.started()).toBe(2);
    held.releaseAll();
    await rounds.stop();
    rounds.trigger();
    expect(held.started()).toBe(2);
  });

  it('runs a triggered round in the context the rounds started in, not the caller’s', async () => {
    const request = new AsyncLocalStorage<string>();
    const seen: (string | undefined)[] = [];
    const rounds = new PeriodicRounds({
      intervalMs: 1000,
      round: () => {
        seen.push(request.getStore());
        return Promise.resolve();
      },
      onError: jest.fn(),
    });
    rounds.start();
    request.run('a request and its transaction', () => rounds.trigger());
    await rounds.stop();
    expect(seen).toEqual([undefined]);
  });
});
