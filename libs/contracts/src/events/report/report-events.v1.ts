import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';

export const ReportEventTypes = {
  thresholdCrossed: 'itsm.report.threshold_crossed.v1',
  thresholdCleared: 'itsm.report.threshold_cleared.v1',
} as const;

export const THRESHOLD_COMPARISONS = ['above', 'below'] as const;
export type ThresholdComparison = (typeof THRESHOLD_COMPARISONS)[number];

/** A KPI threshold as its events carry it. */
export interface KpiThresholdSnapshot {
  id: string;
  name: string;
  /** The metric's id in the registry (`GET /api/v1/reports/metrics`), e.g. `mttr`. */
  metric: string;
  /** Dimension filters, e.g. `{ "priority": "P1" }`; a null value selects records without one. */
  filters: Record<string, string | null>;
  /** Which figure of the metric is compared: `value` (the headline), or `p50`/`p90` of a duration. */
  statistic: 'value' | 'p50' | 'p90';
  comparison: ThresholdComparison;
  limit: number;
  /** The period the figure is computed over: the current day, ISO week or month. */
  interval: 'day' | 'week' | 'month';
  timezone: string;
  /** Groups to tell (subscribers decide how). */
  notifyGroups: string[];
}

/** The figure was on the wrong side of its limit for the first time in the period, or again after clearing. */
export interface KpiThresholdCrossedV1 {
  threshold: KpiThresholdSnapshot;
  period: { start: string; end: string };
  value: number;
  /** Records behind the figure. */
  count: number;
  observedAt: string;
}

/** The figure came back within its limit in the same period. */
export type KpiThresholdClearedV1 = KpiThresholdCrossedV1;

const dateTime = { type: 'string', format: 'date-time' } as const;

const thresholdSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'name',
    'metric',
    'filters',
    'statistic',
    'comparison',
    'limit',
    'interval',
    'timezone',
    'notifyGroups',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string', minLength: 1 },
    metric: { type: 'string', minLength: 1 },
    filters: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
    statistic: { enum: ['value', 'p50', 'p90'] },
    comparison: { enum: THRESHOLD_COMPARISONS },
    limit: { type: 'number' },
    interval: { enum: ['day', 'week', 'month'] },
    timezone: { type: 'string', minLength: 1 },
    notifyGroups: { type: 'array', items: { type: 'string' } },
  },
} as const;

function crossingSchema(id: string, title: string) {
  return {
    $id: id,
    title,
    type: 'object',
    additionalProperties: false,
    required: ['threshold', 'period', 'value', 'count', 'observedAt'],
    properties: {
      threshold: thresholdSchema,
      period: {
        type: 'object',
        additionalProperties: false,
        required: ['start', 'end'],
        properties: { start: dateTime, end: dateTime },
      },
      value: { type: 'number' },
      count: { type: 'integer', minimum: 0 },
      observedAt: dateTime,
    },
  };
}

export const REPORT_EVENTS: readonly EventDefinition[] = [
  {
    type: ReportEventTypes.thresholdCrossed,
    topic: Topics.reportEvents,
    summary:
      "A KPI went past a threshold's limit in the current period (once per crossing: again only after it came back within).",
    schema: crossingSchema(ReportEventTypes.thresholdCrossed, 'KPI threshold crossed'),
  },
  {
    type: ReportEventTypes.thresholdCleared,
    topic: Topics.reportEvents,
    summary: 'A KPI that had crossed a threshold came back within its limit in the same period.',
    schema: crossingSchema(ReportEventTypes.thresholdCleared, 'KPI threshold cleared'),
  },
];
