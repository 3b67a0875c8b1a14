import { type MetricUnit } from '../../kpis/domain/metric-definitions';
import { type PeriodKind } from './report-period';

/** The sections of a service report and the registry metrics each shows, in order. */
export const REPORT_SECTIONS = [
  {
    id: 'sla',
    title: 'Service levels',
    // Compliance per SLA definition as well as overall: what a service review goes through.
    lines: [
      { metric: 'sla_compliance', bySla: true },
      { metric: 'sla_breaches', bySla: false },
    ],
  },
  {
    id: 'incidents',
    title: 'Incidents',
    lines: ['opened', 'resolved', 'backlog', 'mttr', 'mtta', 'reopen_rate'].map((metric) => ({
      metric,
      bySla: false,
    })),
  },
  {
    id: 'problems',
    title: 'Problems',
    lines: ['problems_opened', 'problem_age', 'time_to_root_cause'].map((metric) => ({
      metric,
      bySla: false,
    })),
  },
  {
    id: 'changes',
    title: 'Changes',
    lines: [
      'changes_opened',
      'change_success_rate',
      'change_failure_rate',
      'emergency_change_rate',
    ].map((metric) => ({ metric, bySla: false })),
  },
] as const satisfies readonly {
  id: string;
  title: string;
  lines: readonly { metric: string; bySla: boolean }[];
}[];

export type SectionId = (typeof REPORT_SECTIONS)[number]['id'];

/** Whether the figure moved the good way against the previous periods' mean. */
export type TrendDirection = 'better' | 'worse' | 'steady';

export interface ReportTrend {
  /** The mean of the previous periods that have a figure; null when none has. */
  previousMean: number | null;
  /** The figure less that mean. */
  change: number | null;
  direction: TrendDirection | null;
}

export interface ReportLine {
  metric: string;
  name: string;
  unit: MetricUnit;
  /** The SLA definition a compliance line is for; null for the figure over every SLA. */
  sla: string | null;
  higherIsBetter: boolean;
  /** The figure of the report's period, then of each previous period, newest first. */
  values: (number | null)[];
  trend: ReportTrend;
}

export interface ReportSection {
  id: SectionId;
  title: string;
  lines: ReportLine[];
  /** The permission the reader lacks to see this section's figures; absent when shown. */
  withheld?: string;
}

export interface ReportNotes {
  text: string;
  updatedBy: string;
  updatedAt: string;
}

export interface AgreedAction {
  id: string;
  description: string;
  owner: string | null;
  dueDate: string | null;
  createdBy: string;
  createdAt: string;
}

export interface ServiceReport {
  service: { id: string; name: string | null };
  period: {
    kind: PeriodKind;
    label: string;
    start: string;
    end: string;
    timeZone: string;
    /** The period is not over: its figures will still move. */
    partial: boolean;
  };
  /** The periods the trend compares with, newest first. */
  previousPeriods: { label: string; start: string; end: string }[];
  generatedAt: string;
  sections: ReportSection[];
  notes: ReportNotes | null;
  actions: AgreedAction[];
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** The trend of a figure against the mean of the previous periods that have one. */
export function trendOf(values: readonly (number | null)[], higherIsBetter: boolean): ReportTrend {
  const [current, ...previous] = values;
  const known = previous.filter((value): value is number => value !== null);
  if (known.length === 0) return { previousMean: null, change: null, direction: null };
  const previousMean = round(known.reduce((sum, value) => sum + value, 0) / known.length);
  if (current === null || current === undefined)
    return { previousMean, change: null, direction: null };
  const change = round(current - previousMean);
  // Within half a percent of the mean (or exactly equal at zero) a figure has not moved.
  const steady = Math.abs(change) <= Math.abs(previousMean) * 0.005;
  return {
    previousMean,
    change,
    direction: steady ? 'steady' : change > 0 === higherIsBetter ? 'better' : 'worse',
  };
}

/** A line's identity across versions of a report: its metric and, for compliance, its SLA. */
export function lineKey(line: Pick<ReportLine, 'metric' | 'sla'>): string {
  return line.sla === null ? line.metric : `${line.metric}[${line.sla}]`;
}

/** The figures of a report by line and period label: what a restatement compares. */
export type ReportFigures = Record<string, Record<string, number | null>>;

export function figuresOf(report: ServiceReport): ReportFigures {
  const labels = [report.period.label, ...report.previousPeriods.map(({ label }) => label)];
  const figures: ReportFigures = {};
  for (const section of report.sections)
    for (const line of section.lines)
      figures[lineKey(line)] = Object.fromEntries(
        labels.map((label, index) => [label, line.values[index] ?? null]),
      );
  return figures;
}

/** One figure a restatement changed. */
export interface FigureDifference {
  line: string;
  period: string;
  previous: number | null;
  restated: number | null;
}

/** What moved between two versions of a report: every figure whose value differs, in a stable order. */
export function differencesOf(
  previous: ReportFigures,
  restated: ReportFigures,
): FigureDifference[] {
  const differences: FigureDifference[] = [];
  const lines = [...new Set([...Object.keys(previous), ...Object.keys(restated)])].sort();
  for (const line of lines) {
    const before = previous[line] ?? {};
    const after = restated[line] ?? {};
    const periods = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const period of periods) {
      const old = before[period] ?? null;
      const now = after[period] ?? null;
      if (old !== now) differences.push({ line, period, previous: old, restated: now });
    }
  }
  return differences;
}
