import { rollupDaysFor, type RollupContext } from './daily-rollups';
import { kpiRequestOf, type RawKpiQuery } from './kpi-request';
import { metricById } from './metric-definitions';

const now = new Date('2026-12-04T12:00:00Z');
const paris: RollupContext = { timeZone: 'Europe/Paris', seesEveryRecord: true, now };

const daysFor = (metric: string, raw: Partial<RawKpiQuery>, context: RollupContext = paris) =>
  rollupDaysFor(
    kpiRequestOf(metricById(metric)!, { timezone: 'Europe/Paris', filters: {}, ...raw }, now),
    context,
  );

describe('rollupDaysFor', () => {
  it('reads whole days of the reporting zone, up to the end of today when the range runs to now', () => {
    expect(daysFor('mttr', { from: '2026-01-01', to: '2027-01-01', by: 'group' })).toEqual({
      firstDay: '2026-01-01',
      endDay: '2027-01-01',
    });
    // The default range: 30 days to now, so today (in Paris) is read as it stands.
    expect(daysFor('backlog', {})).toEqual({ firstDay: '2026-11-04', endDay: '2026-12-05' });
  });

  it('leaves to the fact rows what the rollups do not hold', () => {
    const whole = { from: '2026-01-01', to: '2026-02-01' };
    expect(daysFor('mttr', { ...whole, timezone: 'UTC' })).toBeNull();
    expect(daysFor('mttr', { ...whole, filters: { group: 'network' } })).toBeNull();
    expect(daysFor('mttr', { ...whole, by: 'group,priority' })).toBeNull();
    expect(daysFor('mttr', { ...whole, by: 'ci_class' })).toBeNull();
    expect(daysFor('backlog_ageing', whole)).toBeNull();
    expect(daysFor('problem_age', whole)).toBeNull();
    expect(daysFor('known_errors', whole)).toBeNull();
    expect(daysFor('cmdb_size', whole)).toBeNull();
    expect(daysFor('mttr', whole, { ...paris, seesEveryRecord: false })).toBeNull();
  });

  it('needs the range to start and end on midnights of the zone, unless it ends now or later', () => {
    expect(daysFor('opened', { from: '2026-01-01T06:00:00+01:00', to: '2026-02-01' })).toBeNull();
    expect(daysFor('opened', { from: '2026-01-01', to: '2026-02-01T06:00:00+01:00' })).toBeNull();
    // Midnight in Paris, written in UTC, is a whole day all the same.
    expect(daysFor('opened', { from: '2025-12-31T23:00:00Z', to: '2026-02-01' })).toEqual({
      firstDay: '2026-01-01',
      endDay: '2026-02-01',
    });
    expect(daysFor('opened', { from: '2026-11-01', to: '2026-12-04T13:30:00+01:00' })).toEqual({
      firstDay: '2026-11-01',
      endDay: '2026-12-05',
    });
  });
});
