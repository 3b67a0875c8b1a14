import { DateTime, IANAZone } from 'luxon';
import { RuleViolation } from '@itsm/domain';
import { type KpiThresholdSnapshot, type ThresholdComparison } from '@itsm/contracts';
import { kpiRequestOf } from '../../kpis/domain/kpi-request';
import { type Figure } from '../../kpis/domain/kpi-series';
import { metricById, type MetricDefinition } from '../../kpis/domain/metric-definitions';
import { INTERVALS, type Interval } from '../../kpis/domain/periods';

export const THRESHOLD_STATISTICS = ['value', 'p50', 'p90'] as const;
export type ThresholdStatistic = (typeof THRESHOLD_STATISTICS)[number];

export interface ThresholdSettings {
  name: string;
  metric: string;
  filters: Record<string, string | null>;
  statistic: ThresholdStatistic;
  comparison: ThresholdComparison;
  limit: number;
  interval: Interval;
  timezone: string;
  notifyGroups: string[];
}

const THRESHOLD_SETTINGS: readonly (keyof ThresholdSettings)[] = [
  'name',
  'metric',
  'filters',
  'statistic',
  'comparison',
  'limit',
  'interval',
  'timezone',
  'notifyGroups',
];

/**
 * Checks that a threshold's metric exists, takes its filters and statistic, and that its
 * period and time zone are valid: the same rules a KPI query follows, so that the figure
 * it watches is one the API would answer.
 */
export function checkedThreshold(settings: ThresholdSettings, now: Date): MetricDefinition {
  // A PATCH may send null for any field; none of the settings may be cleared.
  for (const field of THRESHOLD_SETTINGS)
    if (settings[field] === null || settings[field] === undefined)
      throw new RuleViolation(field, 'must not be null');
  const metric = metricById(settings.metric);
  if (!metric) throw new RuleViolation('metric', `there is no metric ${settings.metric}`);
  if (settings.statistic !== 'value' && !['duration', 'stock_age'].includes(metric.kind))
    throw new RuleViolation(
      'statistic',
      `${metric.id} is not a duration: only its value can be watched`,
    );
  if (!INTERVALS.includes(settings.interval))
    throw new RuleViolation('interval', `must be one of ${INTERVALS.join(', ')}`);
  if (!Number.isFinite(settings.limit)) throw new RuleViolation('limit', 'must be a number');
  if (!IANAZone.isValidZone(settings.timezone))
    throw new RuleViolation('timezone', 'must be an IANA time zone such as Europe/Paris or UTC');
  for (const [name, value] of Object.entries(settings.filters))
    if (value !== null && typeof value !== 'string')
      throw new RuleViolation(`filters.${name}`, 'must be a string, or null for "no value"');
  try {
    kpiRequestOf(metric, currentPeriodQuery(settings, now), now);
  } catch (error) {
    // The query's other fields are the threshold's filters.
    if (error instanceof RuleViolation && !['timezone', 'interval'].includes(error.field))
      throw new RuleViolation(`filters.${error.field}`, error.reason);
    throw error;
  }
  return metric;
}

/** The period holding `now` in the threshold's time zone. */
export function currentPeriodOf(
  settings: ThresholdSettings,
  now: Date,
): { start: Date; end: Date } {
  const start = DateTime.fromJSDate(now, { zone: settings.timezone }).startOf(settings.interval);
  return { start: start.toJSDate(), end: start.plus({ [`${settings.interval}s`]: 1 }).toJSDate() };
}

/** The KPI query for the period holding `now`, from its start up to now. */
export function currentPeriodQuery(settings: ThresholdSettings, now: Date) {
  const { start } = currentPeriodOf(settings, now);
  return {
    from: start.toISOString(),
    // At the very first instant of a period, the range is that instant.
    to: new Date(Math.max(now.getTime(), start.getTime() + 1)).toISOString(),
    interval: settings.interval,
    timezone: settings.timezone,
    filters: Object.fromEntries(
      Object.entries(settings.filters).map(([name, value]) => [name, value ?? '']),
    ),
  };
}

/** The watched figure, or null when the period has nothing to measure yet. */
export function watchedValue(settings: ThresholdSettings, figure: Figure): number | null {
  const value = settings.statistic === 'value' ? figure.value : figure[settings.statistic];
  return value ?? null;
}

export type ThresholdSide = 'beyond' | 'within';

export function sideOf(settings: ThresholdSettings, value: number): ThresholdSide {
  const beyond = settings.comparison === 'above' ? value > settings.limit : value < settings.limit;
  return beyond ? 'beyond' : 'within';
}

/**
 * What a new evaluation means for a period: a crossing when the figure goes beyond the
 * limit (from within, or at the period's first evaluation), a clearing when it comes back.
 * Re-evaluating the same side publishes nothing, so a crossing is told once.
 */
export function crossingOf(
  previous: ThresholdSide | undefined,
  current: ThresholdSide,
): 'crossed' | 'cleared' | null {
  if (current === 'beyond' && previous !== 'beyond') return 'crossed';
  if (current === 'within' && previous === 'beyond') return 'cleared';
  return null;
}

export function thresholdSnapshot(id: string, settings: ThresholdSettings): KpiThresholdSnapshot {
  return {
    id,
    name: settings.name,
    metric: settings.metric,
    filters: settings.filters,
    statistic: settings.statistic,
    comparison: settings.comparison,
    limit: settings.limit,
    interval: settings.interval,
    timezone: settings.timezone,
    notifyGroups: settings.notifyGroups,
  };
}
