import { kpiRequestOf } from './kpi-request';
import { seriesOf } from './kpi-series';
import { metricById } from './metric-definitions';
import { periodsOf } from './periods';

const now = new Date('2026-12-04T12:00:00Z');
const range = { from: '2026-11-01', to: '2026-11-04', filters: {} };
const day = (date: string) => new Date(`${date}T00:00:00Z`);

function setUp(metricId: string, by?: string) {
  const request = kpiRequestOf(metricById(metricId)!, { ...range, by }, now);
  return { request, periods: periodsOf(request, request.interval, request.timeZone, now) };
}

describe('seriesOf', () => {
  it('gives a ratio per period from its own numerator and denominator, and the total from the records', () => {
    const { request, periods } = setUp('reopen_rate');
    const [series] = seriesOf(
      request,
      periods,
      [
        { periodStart: day('2026-11-01'), keys: [], count: 4, numerator: 1 },
        { periodStart: day('2026-11-03'), keys: [], count: 1, numerator: 1 },
      ],
      [{ periodStart: null, keys: [], count: 5, numerator: 2 }],
      now,
    );
    expect(
      series.points.map(({ value, numerator, denominator }) => [value, numerator, denominator]),
    ).toEqual([
      [25, 1, 4],
      [null, 0, 0],
      [100, 1, 1],
    ]);
    // Not the mean of the periods' percentages (62.5): the records' own ratio.
    expect(series.total).toMatchObject({ value: 40, numerator: 2, denominator: 5 });
  });

  it("adds up a stock from its opening balance and each period's moves, per breakdown", () => {
    const { request, periods } = setUp('backlog', 'group');
    const series = seriesOf(
      request,
      periods,
      [
        { periodStart: null, keys: ['network'], count: 5, delta: 3 },
        { periodStart: day('2026-11-02'), keys: ['network'], count: 2, delta: -2 },
        { periodStart: day('2026-11-03'), keys: ['desk'], count: 1, delta: 1 },
      ],
      [],
      now,
    );
    expect(
      series.map(({ by, points, total }) => [by, points.map(({ value }) => value), total.value]),
    ).toEqual([
      [{ group: 'desk' }, [0, 0, 1], 1],
      [{ group: 'network' }, [3, 1, 1], 1],
    ]);
    expect(series[0].points[2].observedAt).toBe('2026-11-04T00:00:00.000Z');
  });

  it('turns seconds into the unit and leaves a period without records unmeasured', () => {
    const { request, periods } = setUp('mttr');
    const [series] = seriesOf(
      request,
      periods,
      [{ periodStart: day('2026-11-02'), keys: [], count: 2, mean: 5400, p50: 3600, p90: 7200 }],
      [{ periodStart: null, keys: [], count: 2, mean: 5400, p50: 3600, p90: 7200 }],
      now,
    );
    expect(series.points[0]).toMatchObject({ value: null, count: 0 });
    expect(series.points[1]).toMatchObject({ value: 1.5, mean: 1.5, p50: 1, p90: 2, count: 2 });
  });
});
