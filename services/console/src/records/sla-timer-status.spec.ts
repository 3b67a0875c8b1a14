import { describe, expect, it } from '@jest/globals';
import { formatDuration, timerStatus, type SlaTimer } from './sla-timer-status';

const HOUR = 3_600_000;
const now = Date.parse('2026-03-02T10:00:00.000Z');

function timer(fields: Partial<SlaTimer>): SlaTimer {
  return {
    id: 't1',
    slaName: 'P3 resolution',
    kind: 'sla',
    target: 'resolution',
    state: 'running',
    startedAt: '2026-03-02T08:00:00.000Z',
    dueAt: '2026-03-02T12:00:00.000Z',
    elapsedMs: 2 * HOUR,
    durationMs: 4 * HOUR,
    percentUsed: 50,
    breachedAt: null,
    stoppedAt: null,
    pauseReason: null,
    ...fields,
  };
}

describe('timerStatus', () => {
  it('counts a running timer down to its due time', () => {
    expect(timerStatus(timer({}), now)).toEqual({
      tone: 'ok',
      remainingMs: 2 * HOUR,
      percentUsed: 50,
    });
    expect(timerStatus(timer({}), now + 1.5 * HOUR)).toEqual({
      tone: 'warning',
      remainingMs: 0.5 * HOUR,
      percentUsed: 87.5,
    });
  });

  it('shows a timer past its due time as breached before the slm says so, and keeps counting a breached one', () => {
    expect(timerStatus(timer({}), now + 3 * HOUR)).toMatchObject({
      tone: 'breached',
      remainingMs: -HOUR,
    });
    const breached = timer({ state: 'breached', breachedAt: '2026-03-02T12:00:00.000Z' });
    expect(timerStatus(breached, now + 3 * HOUR)).toMatchObject({
      tone: 'breached',
      remainingMs: -HOUR,
    });
  });

  it('does not count a paused, met or cancelled timer', () => {
    expect(timerStatus(timer({ state: 'paused', dueAt: null }), now)).toEqual({
      tone: 'paused',
      percentUsed: 50,
    });
    const met = timer({ state: 'met', stoppedAt: '2026-03-02T09:00:00.000Z' });
    expect(timerStatus(met, now)).toEqual({ tone: 'done', percentUsed: 50 });
  });
});

describe('formatDuration', () => {
  it('counts to the second, and in days and hours far from the end', () => {
    expect(formatDuration(12_400)).toBe('12s');
    expect(formatDuration(4 * 60_000 + 9_000)).toBe('4m 09s');
    expect(formatDuration(2 * HOUR + 5 * 60_000 + 9_000)).toBe('2h 05m 09s');
    expect(formatDuration(26 * HOUR + 3 * 60_000)).toBe('1d 2h 03m');
    expect(formatDuration(-90_000)).toBe('1m 30s');
  });
});
