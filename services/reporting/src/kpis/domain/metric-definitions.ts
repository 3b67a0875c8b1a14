/**
 * The registry of KPIs: what each figure means, in words a service owner and an auditor
 * read, and what it counts. The queries (persistence/metric-queries.ts) implement exactly
 * these formulas; the tests check each against a hand-built history.
 */

/** The records a metric counts: each is one read model (docs/reporting.md). */
export const RECORD_SETS = {
  incidents: { permission: 'incident:read', description: 'incidents' },
  requests: { permission: 'request:read', description: 'service requests' },
  sla_timers: { permission: 'sla:read', description: 'SLA timers of incidents and requests' },
  problems: { permission: 'problem:read', description: 'problems' },
  known_errors: { permission: 'problem:read', description: 'known errors' },
  changes: { permission: 'change:read', description: 'changes' },
  cis: { permission: 'cmdb:read', description: 'configuration items' },
} as const;
export type RecordSet = keyof typeof RECORD_SETS;

/** What a figure can be broken down by (and filtered on), with the record field it reads. */
export const DIMENSIONS = {
  service: 'the business service (a change with several counts under each)',
  group: 'the assignment group',
  priority: 'the priority (P1-P5)',
  category: 'the category',
  ci_class: "the class of the record's first CI",
  sla: 'the SLA definition (its name)',
  target: 'the SLA target (response or resolution)',
  model: 'the change model (normal, standard, emergency)',
  risk: 'the computed change risk',
  source: 'how the record came in',
  class: 'the CI class',
  environment: 'the CI environment',
} as const;
export type Dimension = keyof typeof DIMENSIONS;

export type MetricUnit = 'count' | 'hours' | 'days' | 'percent';

/**
 * How a figure is computed for a period:
 * - `count`: the records whose event (e.g. resolution) falls in the period;
 * - `duration`: the mean, median (p50) and 90th percentile of a duration, over the records
 *   whose closing event falls in the period;
 * - `ratio`: of the records whose event falls in the period, the percentage that meet a
 *   condition (numerator and denominator are given, and never summed across periods);
 * - `stock`: the records open at the end of the period (or now, for the current one);
 * - `ageing`: the same, split by how long they had been open (<1 d, 1-5, 6-30, 31-90, >90 d);
 * - `stock_age`: the mean, p50 and p90 age of the records open at the end of the period.
 */
export type MetricKind = 'count' | 'duration' | 'ratio' | 'stock' | 'ageing' | 'stock_age';

export interface MetricDefinition {
  id: string;
  name: string;
  /** The formula, in words. */
  formula: string;
  unit: MetricUnit;
  kind: MetricKind;
  counts: RecordSet;
  /** For ratios: what the numerator counts, in words. */
  numerator?: string;
  /** Whether a higher figure is better: thresholds and trends read it. */
  higherIsBetter: boolean;
  dimensions: readonly Dimension[];
  /** ISO/IEC 20000-1 clauses whose evidence the figure is part of. */
  clauses: readonly string[];
}

const SERVICE_RECORD_DIMENSIONS: readonly Dimension[] = [
  'service',
  'group',
  'priority',
  'category',
  'ci_class',
  'source',
];
const SLA_DIMENSIONS: readonly Dimension[] = [
  'sla',
  'target',
  'service',
  'group',
  'priority',
  'category',
];
const PROBLEM_DIMENSIONS: readonly Dimension[] = [
  'service',
  'group',
  'priority',
  'category',
  'source',
];
const CHANGE_DIMENSIONS: readonly Dimension[] = ['service', 'group', 'model', 'risk', 'category'];

export const AGE_BUCKETS = [
  { id: '<1d', fromDays: 0, toDays: 1 },
  { id: '1-5d', fromDays: 1, toDays: 6 },
  { id: '6-30d', fromDays: 6, toDays: 31 },
  { id: '31-90d', fromDays: 31, toDays: 91 },
  { id: '>90d', fromDays: 91, toDays: null },
] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number]['id'];

export const METRICS: readonly MetricDefinition[] = [
  {
    id: 'opened',
    name: 'Incidents opened',
    formula: 'Number of incidents whose opening time falls in the period.',
    unit: 'count',
    kind: 'count',
    counts: 'incidents',
    higherIsBetter: false,
    dimensions: SERVICE_RECORD_DIMENSIONS,
    clauses: ['8.6.1'],
  },
  {
    id: 'resolved',
    name: 'Incidents resolved',
    formula:
      'Number of incidents whose resolution time falls in the period (an incident reopened and resolved again counts at its last resolution).',
    unit: 'count',
    kind: 'count',
    counts: 'incidents',
    higherIsBetter: true,
    dimensions: SERVICE_RECORD_DIMENSIONS,
    clauses: ['8.6.1'],
  },
  {
    id: 'backlog',
    name: 'Incident backlog',
    formula:
      'Number of incidents opened before the end of the period and not yet resolved, closed or cancelled at the end of the period (for the current period: now).',
    unit: 'count',
    kind: 'stock',
    counts: 'incidents',
    higherIsBetter: false,
    dimensions: SERVICE_RECORD_DIMENSIONS,
    clauses: ['8.6.1'],
  },
  {
    id: 'backlog_ageing',
    name: 'Incident backlog by age',
    formula:
      'The incident backlog at the end of the period, split by the time since each incident was opened: less than 1 day, 1-5 days, 6-30 days, 31-90 days, more than 90 days.',
    unit: 'count',
    kind: 'ageing',
    counts: 'incidents',
    higherIsBetter: false,
    dimensions: SERVICE_RECORD_DIMENSIONS,
    clauses: ['8.6.1'],
  },
  {
    id: 'mtta',
    name: 'Mean time to acknowledge',
    formula:
      'For incidents whose first response falls in the period: time from opening to the first response (first work note, comment to the caller or move to in progress), in hours; mean, median (p50) and 90th percentile.',
    unit: 'hours',
    kind: 'duration',
    counts: 'incidents',
    higherIsBetter: false,
    dimensions: SERVICE_RECORD_DIMENSIONS,
    clauses: ['8.6.1'],
  },
  {
    id: 'mttr',
    name: 'Mean time to resolve',
    formula:
      'For incidents whose resolution falls in the period: time from opening to resolution, in hours (calendar time, including time on hold); mean, median (p50) and 90th percentile.',
    unit: 'hours',
    kind: 'duration',
    counts: 'incidents',
    higherIsBetter: false,
    dimensions: SERVICE_RECORD_DIMENSIONS,
    clauses: ['8.6.1'],
  },
  {
    id: 'reopen_rate',
    name: 'Reopened incidents',
    formula:
      'Of the incidents resolved in the period, the percentage that were reopened at least once.',
    numerator: 'incidents resolved in the period that were ever reopened',
    unit: 'percent',
    kind: 'ratio',
    counts: 'incidents',
    higherIsBetter: false,
    dimensions: SERVICE_RECORD_DIMENSIONS,
    clauses: ['8.6.1'],
  },
  {
    id: 'first_assignment_resolution',
    name: 'Resolved on first assignment',
    formula:
      'Of the incidents resolved in the period, the percentage resolved by the first assignment group they were given (never moved from one group to another before resolution).',
    numerator: 'incidents resolved in the period without a reassignment before their resolution',
    unit: 'percent',
    kind: 'ratio',
    counts: 'incidents',
    higherIsBetter: true,
    dimensions: SERVICE_RECORD_DIMENSIONS,
    clauses: ['8.6.1'],
  },
  {
    id: 'resolved_by_problem',
    name: 'Incidents resolved by a problem',
    formula:
      'Of the incidents resolved in the period, the percentage linked to a problem (whose root cause and fix addressed them).',
    numerator: 'incidents resolved in the period that are linked to a problem',
    unit: 'percent',
    kind: 'ratio',
    counts: 'incidents',
    higherIsBetter: true,
    dimensions: SERVICE_RECORD_DIMENSIONS,
    clauses: ['8.6.1', '8.6.3'],
  },
  {
    id: 'requests_opened',
    name: 'Requests opened',
    formula: 'Number of service requests whose submission time falls in the period.',
    unit: 'count',
    kind: 'count',
    counts: 'requests',
    higherIsBetter: false,
    dimensions: SERVICE_RECORD_DIMENSIONS,
    clauses: ['8.6.2'],
  },
  {
    id: 'request_fulfilment_time',
    name: 'Request fulfilment time',
    formula:
      'For service requests fulfilled in the period: time from submission to fulfilment, in hours; mean, median (p50) and 90th percentile.',
    unit: 'hours',
    kind: 'duration',
    counts: 'requests',
    higherIsBetter: false,
    dimensions: SERVICE_RECORD_DIMENSIONS,
    clauses: ['8.6.2'],
  },
  {
    id: 'sla_compliance',
    name: 'SLA compliance',
    formula:
      'Of the SLA timers that reached their outcome in the period, the percentage met: a timer counts when it breaches (missed) or when it stops without having breached (met); running, paused and cancelled timers are left out. Broken down by `sla` for compliance per definition, by `target` for response against resolution.',
    numerator: 'SLA timers met in the period (stopped without a breach)',
    unit: 'percent',
    kind: 'ratio',
    counts: 'sla_timers',
    higherIsBetter: true,
    dimensions: SLA_DIMENSIONS,
    clauses: ['8.3.3'],
  },
  {
    id: 'sla_breaches',
    name: 'SLA breaches',
    formula: 'Number of SLA timers whose breach falls in the period.',
    unit: 'count',
    kind: 'count',
    counts: 'sla_timers',
    higherIsBetter: false,
    dimensions: SLA_DIMENSIONS,
    clauses: ['8.3.3'],
  },
  {
    id: 'problems_opened',
    name: 'Problems opened',
    formula: 'Number of problems whose opening time falls in the period.',
    unit: 'count',
    kind: 'count',
    counts: 'problems',
    higherIsBetter: false,
    dimensions: PROBLEM_DIMENSIONS,
    clauses: ['8.6.3'],
  },
  {
    id: 'problem_age',
    name: 'Age of open problems',
    formula:
      'For problems open at the end of the period (not resolved, closed or cancelled): time since opening, in days; mean, median (p50) and 90th percentile.',
    unit: 'days',
    kind: 'stock_age',
    counts: 'problems',
    higherIsBetter: false,
    dimensions: PROBLEM_DIMENSIONS,
    clauses: ['8.6.3'],
  },
  {
    id: 'time_to_root_cause',
    name: 'Time to root cause',
    formula:
      'For problems whose root cause was identified in the period: time from opening to root cause identification, in days; mean, median (p50) and 90th percentile.',
    unit: 'days',
    kind: 'duration',
    counts: 'problems',
    higherIsBetter: false,
    dimensions: PROBLEM_DIMENSIONS,
    clauses: ['8.6.3'],
  },
  {
    id: 'known_errors',
    name: 'Known errors',
    formula:
      'Number of known errors in force at the end of the period: created before it, and neither retired nor past their valid-until date.',
    unit: 'count',
    kind: 'stock',
    counts: 'known_errors',
    higherIsBetter: true,
    dimensions: ['category', 'ci_class'],
    clauses: ['8.6.3'],
  },
  {
    id: 'changes_opened',
    name: 'Changes opened',
    formula: 'Number of changes raised in the period.',
    unit: 'count',
    kind: 'count',
    counts: 'changes',
    higherIsBetter: false,
    dimensions: CHANGE_DIMENSIONS,
    clauses: ['8.5.1'],
  },
  {
    id: 'change_success_rate',
    name: 'Change success rate',
    formula:
      'Of the changes closed in the period with a close code, the percentage closed `successful` or `successful_with_issues`.',
    numerator: 'changes closed in the period successful or successful with issues',
    unit: 'percent',
    kind: 'ratio',
    counts: 'changes',
    higherIsBetter: true,
    dimensions: CHANGE_DIMENSIONS,
    clauses: ['8.5.1'],
  },
  {
    id: 'unsuccessful_change_rate',
    name: 'Unsuccessful changes',
    formula:
      'Of the changes closed in the period with a close code, the percentage closed `unsuccessful` or `backed_out`.',
    numerator: 'changes closed in the period unsuccessful or backed out',
    unit: 'percent',
    kind: 'ratio',
    counts: 'changes',
    higherIsBetter: false,
    dimensions: CHANGE_DIMENSIONS,
    clauses: ['8.5.1'],
  },
  {
    id: 'emergency_change_rate',
    name: 'Emergency changes',
    formula: 'Of the changes raised in the period, the percentage of the emergency model.',
    numerator: 'emergency changes raised in the period',
    unit: 'percent',
    kind: 'ratio',
    counts: 'changes',
    higherIsBetter: false,
    dimensions: CHANGE_DIMENSIONS.filter((dimension) => dimension !== 'model'),
    clauses: ['8.5.1'],
  },
  {
    id: 'change_failure_rate',
    name: 'Change failure rate',
    formula:
      'Of the changes closed in the period with a close code, the percentage recorded as the cause of at least one incident (DORA change failure rate).',
    numerator: 'changes closed in the period that caused at least one incident',
    unit: 'percent',
    kind: 'ratio',
    counts: 'changes',
    higherIsBetter: false,
    dimensions: CHANGE_DIMENSIONS,
    clauses: ['8.5.1'],
  },
  {
    id: 'cmdb_size',
    name: 'Configuration items',
    formula: 'Number of CIs recorded before the end of the period and not retired at its end.',
    unit: 'count',
    kind: 'stock',
    counts: 'cis',
    higherIsBetter: true,
    dimensions: ['class', 'environment', 'group'],
    clauses: ['8.2.6'],
  },
];

/** A metric as the API shows it: with the permission that reads the records it counts. */
export interface MetricView extends MetricDefinition {
  permission: (typeof RECORD_SETS)[RecordSet]['permission'];
}

export function metricView(metric: MetricDefinition): MetricView {
  return { ...metric, permission: RECORD_SETS[metric.counts].permission };
}

const BY_ID = new Map(METRICS.map((metric) => [metric.id, metric]));

export function metricById(id: string): MetricDefinition | undefined {
  return BY_ID.get(id);
}
