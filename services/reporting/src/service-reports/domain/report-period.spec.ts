import { RuleViolation } from '@itsm/domain';
import {
  lastCompletedPeriod,
  periodBefore,
  periodContaining,
  periodWithTrend,
  reportPeriodOf,
} from './report-period';

const iso = (date: Date) => date.toISOString();

describe('report periods', () => {
  it('reads a month, an ISO week and a quarter at midnight in the time zone', () => {
    const month = reportPeriodOf('2026-11', 'Europe/Paris');
    expect([month.kind, iso(month.start), iso(month.end)]).toEqual([
      'monthly',
      '2026-10-31T23:00:00.000Z',
      '2026-11-30T23:00:00.000Z',
    ]);
    const week = reportPeriodOf('2026-W47', 'UTC');
    expect([week.kind, iso(week.start), iso(week.end)]).toEqual([
      'weekly',
      '2026-11-16T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
    ]);
    const quarter = reportPeriodOf('2026-Q4', 'America/New_York');
    expect([quarter.kind, iso(quarter.start), iso(quarter.end)]).toEqual([
      'quarterly',
      '2026-10-01T04:00:00.000Z',
      '2027-01-01T05:00:00.000Z',
    ]);
  });

  it.each([
    '2026-13',
    '2026-00',
    '2026-W54',
    '2026-W00',
    '2026-Q0',
    '2026-Q5',
    '26-11',
    'November',
    '1999-12',
  ])('refuses %s, naming the period', (label) => {
    expect(() => reportPeriodOf(label, 'UTC')).toThrow(RuleViolation);
    try {
      reportPeriodOf(label, 'UTC');
    } catch (error) {
      expect((error as RuleViolation).field).toBe('period');
    }
  });

  it('accepts week 53 of a year that has one, and not of a year that has not', () => {
    expect(reportPeriodOf('2026-W53', 'UTC').label).toBe('2026-W53');
    expect(() => reportPeriodOf('2025-W53', 'UTC')).toThrow(RuleViolation);
  });

  it('steps back across years and names each period by its label', () => {
    expect(periodWithTrend(reportPeriodOf('2027-02', 'UTC')).map(({ label }) => label)).toEqual([
      '2027-02',
      '2027-01',
      '2026-12',
      '2026-11',
    ]);
    expect(periodBefore(reportPeriodOf('2027-W01', 'UTC')).label).toBe('2026-W53');
    expect(periodBefore(reportPeriodOf('2027-Q1', 'UTC'), 2).label).toBe('2026-Q3');
  });

  it('takes the last completed period in the schedule’s zone', () => {
    // 23:30 UTC on 30 November is already December in Paris.
    const now = new Date('2026-11-30T23:30:00Z');
    expect(lastCompletedPeriod('monthly', now, 'Europe/Paris').label).toBe('2026-11');
    expect(lastCompletedPeriod('monthly', now, 'UTC').label).toBe('2026-10');
    expect(periodContaining('weekly', now, 'UTC').label).toBe('2026-W49');
    expect(lastCompletedPeriod('quarterly', now, 'UTC').label).toBe('2026-Q3');
  });
});
