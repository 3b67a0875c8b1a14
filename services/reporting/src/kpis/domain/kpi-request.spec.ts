import { RuleViolation } from '@itsm/domain';
import { kpiRequestOf } from './kpi-request';
import { metricById } from './metric-definitions';

const mttr = metricById('mttr')!;
const now = new Date('2026-12-04T12:00:00Z');

function faultOf(work: () => unknown): { field: string; reason: string } {
  try {
    work();
  } catch (error) {
    if (error instanceof RuleViolation) return { field: error.field, reason: error.reason };
    throw error;
  }
  throw new Error('no fault');
}

describe('kpiRequestOf', () => {
  it('reads dates at midnight in the time zone, and defaults to the last 30 days by day', () => {
    const request = kpiRequestOf(
      mttr,
      { from: '2026-01-01', to: '2026-02-01', timezone: 'Europe/Paris', filters: {} },
      now,
    );
    expect(request.from).toEqual(new Date('2025-12-31T23:00:00Z'));
    expect(request.to).toEqual(new Date('2026-01-31T23:00:00Z'));
    const defaults = kpiRequestOf(mttr, { filters: {} }, now);
    expect(defaults).toMatchObject({ interval: 'day', timeZone: 'UTC', to: now, by: [] });
    expect(defaults.from).toEqual(new Date('2026-11-04T00:00:00Z'));
  });

  it('takes up to two breakdowns the metric has, and filters, an empty one meaning "none"', () => {
    const request = kpiRequestOf(
      mttr,
      { by: 'service,group', filters: { priority: 'P1', group: '' } },
      now,
    );
    expect(request.by).toEqual(['service', 'group']);
    expect(request.filters).toEqual({ priority: 'P1', group: null });
  });

  it.each([
    [{ timezone: 'Mars/Olympus' }, 'timezone'],
    [{ interval: 'hour' }, 'interval'],
    [{ from: '2026-02-01', to: '2026-01-01' }, 'from'],
    [{ from: '2026-13-45' }, 'from'],
    [{ to: '2026-01-01T10:00:00' }, 'to'],
    [{ from: '2020-01-01', to: '2026-01-01' }, 'interval'],
    [{ by: 'service,group,priority' }, 'by'],
    [{ by: 'model' }, 'by'],
    [{ by: 'group,group' }, 'by'],
  ])('refuses %j, naming %s', (raw, field) => {
    expect(faultOf(() => kpiRequestOf(mttr, { filters: {}, ...raw }, now)).field).toBe(field);
  });

  it('refuses a filter the metric does not have, naming it', () => {
    expect(faultOf(() => kpiRequestOf(mttr, { filters: { model: 'normal' } }, now))).toMatchObject({
      field: 'model',
    });
  });
});
