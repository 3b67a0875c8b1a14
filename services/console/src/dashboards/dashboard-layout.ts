/**
 * What the dashboards show, by the reporting service's metric ids (docs/reporting.md, "The
 * registry"): per section the headline figures over the range and the charts. A section,
 * figure or chart whose records the user may not read is left out (the registry names the
 * permission each metric needs).
 */
export type ChartSpec =
  /** Metrics of one unit side by side per period. */
  | { id: string; type: 'bar' | 'line'; kind: 'periods'; metrics: string[] }
  /** A duration's mean, median and 90th percentile per period. */
  | { id: string; type: 'line'; kind: 'durations'; metric: string }
  /** A metric's total over the range, broken down by one dimension. */
  | { id: string; type: 'bar'; kind: 'breakdown'; metric: string; by: string };

export interface SectionSpec {
  id: 'incidents' | 'requests' | 'sla' | 'problems' | 'changes';
  figures: string[];
  charts: ChartSpec[];
}

export const SECTIONS: readonly SectionSpec[] = [
  {
    id: 'incidents',
    figures: [
      'opened',
      'resolved',
      'backlog',
      'mttr',
      'mtta',
      'first_assignment_resolution',
      'reopen_rate',
    ],
    charts: [
      { id: 'incident-volumes', type: 'bar', kind: 'periods', metrics: ['opened', 'resolved'] },
      { id: 'incident-backlog', type: 'bar', kind: 'breakdown', metric: 'backlog', by: 'priority' },
      { id: 'incident-mttr', type: 'line', kind: 'durations', metric: 'mttr' },
    ],
  },
  {
    id: 'requests',
    figures: ['requests_opened', 'request_fulfilment_time'],
    charts: [
      { id: 'requests-opened', type: 'bar', kind: 'periods', metrics: ['requests_opened'] },
      {
        id: 'request-fulfilment',
        type: 'line',
        kind: 'durations',
        metric: 'request_fulfilment_time',
      },
    ],
  },
  {
    id: 'sla',
    figures: ['sla_compliance', 'sla_breaches'],
    charts: [
      { id: 'sla-compliance', type: 'line', kind: 'periods', metrics: ['sla_compliance'] },
      {
        id: 'sla-breaches',
        type: 'bar',
        kind: 'breakdown',
        metric: 'sla_breaches',
        by: 'priority',
      },
    ],
  },
  {
    id: 'problems',
    figures: ['problems_opened', 'problem_age', 'time_to_root_cause', 'known_errors'],
    charts: [
      { id: 'problems-opened', type: 'bar', kind: 'periods', metrics: ['problems_opened'] },
      { id: 'problem-age', type: 'line', kind: 'durations', metric: 'problem_age' },
    ],
  },
  {
    id: 'changes',
    figures: [
      'changes_opened',
      'change_success_rate',
      'change_failure_rate',
      'emergency_change_rate',
    ],
    charts: [
      { id: 'changes-opened', type: 'bar', kind: 'periods', metrics: ['changes_opened'] },
      {
        id: 'change-rates',
        type: 'line',
        kind: 'periods',
        metrics: ['change_success_rate', 'change_failure_rate'],
      },
    ],
  },
];

/** The metric ids a chart reads. */
export function chartMetrics(chart: ChartSpec): string[] {
  return chart.kind === 'periods' ? chart.metrics : [chart.metric];
}
