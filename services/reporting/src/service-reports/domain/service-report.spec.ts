import { differencesOf, trendOf } from './service-report';

describe('the trend of a report line', () => {
  it('compares the figure with the mean of the previous periods that have one', () => {
    expect(trendOf([2, 1, 0, 0], false)).toEqual({
      previousMean: 0.3333,
      change: 1.6667,
      direction: 'worse',
    });
    expect(trendOf([95, 90, null, 80], true)).toEqual({
      previousMean: 85,
      change: 10,
      direction: 'better',
    });
    expect(trendOf([4, 4, 4, 4], false).direction).toBe('steady');
  });

  it('has no direction without a figure to compare', () => {
    expect(trendOf([5, null, null, null], true)).toEqual({
      previousMean: null,
      change: null,
      direction: null,
    });
    expect(trendOf([null, 3, 3, 3], true)).toEqual({
      previousMean: 3,
      change: null,
      direction: null,
    });
  });
});

describe('the differences of a restatement', () => {
  it('lists every figure that moved, with its old and new value', () => {
    expect(
      differencesOf(
        { opened: { '2026-11': 2, '2026-10': 1 }, 'sla_compliance[P1]': { '2026-11': 100 } },
        {
          opened: { '2026-11': 3, '2026-10': 1 },
          'sla_compliance[P1]': { '2026-11': 100 },
          'sla_compliance[P2]': { '2026-11': 50 },
        },
      ),
    ).toEqual([
      { line: 'opened', period: '2026-11', previous: 2, restated: 3 },
      { line: 'sla_compliance[P2]', period: '2026-11', previous: null, restated: 50 },
    ]);
  });
});
