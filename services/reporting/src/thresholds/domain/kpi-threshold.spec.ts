import { RuleViolation } from '@itsm/domain';
import {
  checkedThreshold,
  crossingOf,
  currentPeriodQuery,
  sideOf,
  watchedValue,
  type ThresholdSettings,
} from './kpi-threshold';

const p1Mttr: ThresholdSettings = {
  name: 'P1 MTTR over 4 h this week',
  metric: 'mttr',
  filters: { priority: 'P1' },
  statistic: 'p90',
  comparison: 'above',
  limit: 4,
  interval: 'week',
  timezone: 'Europe/Paris',
  notifyGroups: ['incident-managers'],
};
const now = new Date('2026-12-04T12:00:00Z');

function fieldAtFault(settings: Partial<ThresholdSettings>): string {
  try {
    checkedThreshold({ ...p1Mttr, ...settings }, now);
  } catch (error) {
    if (error instanceof RuleViolation) return error.field;
    throw error;
  }
  return 'none';
}

describe('a KPI threshold', () => {
  it('watches the figure of the current period, from its start in the time zone to now', () => {
    expect(currentPeriodQuery(p1Mttr, now)).toEqual({
      from: '2026-11-29T23:00:00.000Z',
      to: '2026-12-04T12:00:00.000Z',
      interval: 'week',
      timezone: 'Europe/Paris',
      filters: { priority: 'P1' },
    });
    expect(watchedValue(p1Mttr, { value: 2, count: 3, mean: 2, p50: 1, p90: 5 })).toBe(5);
    expect(watchedValue(p1Mttr, { value: null, count: 0, mean: null, p50: null, p90: null })).toBe(
      null,
    );
  });

  it('is crossed once when its figure goes past the limit, and cleared when it comes back', () => {
    expect(sideOf(p1Mttr, 4)).toBe('within');
    expect(sideOf(p1Mttr, 4.5)).toBe('beyond');
    expect(sideOf({ ...p1Mttr, comparison: 'below', limit: 95 }, 90)).toBe('beyond');
    expect(crossingOf(undefined, 'beyond')).toBe('crossed');
    expect(crossingOf('within', 'beyond')).toBe('crossed');
    expect(crossingOf('beyond', 'beyond')).toBeNull();
    expect(crossingOf('beyond', 'within')).toBe('cleared');
    expect(crossingOf(undefined, 'within')).toBeNull();
  });

  it.each([
    [{ metric: 'nope' }, 'metric'],
    [{ metric: 'opened' }, 'statistic'],
    [{ filters: { model: 'normal' } }, 'filters.model'],
    [{ filters: { priority: 3 as unknown as string } }, 'filters.priority'],
    [{ timezone: 'Nowhere/Land' }, 'timezone'],
    [{ limit: Number.NaN }, 'limit'],
    [{ name: null as unknown as string }, 'name'],
  ])('refuses %j, naming %s', (settings, field) => {
    expect(fieldAtFault(settings)).toBe(field);
  });

  it('accepts a valid definition', () => {
    expect(checkedThreshold(p1Mttr, now).id).toBe('mttr');
  });
});
