/**
 * Each registered metric's formula as SQL over its record set's read model (alias `f`).
 * The words are in domain/metric-definitions.ts; a unit test checks that both list the
 * same metrics, and the integration tests check the figures against hand-built histories.
 */
export type MetricMeasure =
  /** Rows whose `anchor` falls in the period. */
  | { kind: 'count'; anchor: string; population?: string }
  /** Statistics of `seconds` over the rows whose `anchor` falls in the period. */
  | { kind: 'duration'; anchor: string; seconds: string; population?: string }
  /** Of the rows whose `anchor` falls in the period, those meeting `numerator`. */
  | { kind: 'ratio'; anchor: string; numerator: string; population?: string }
  /** Rows open at an instant T: `opened` before T, `ended` (null while open) at or after T. */
  | { kind: 'stock' | 'ageing' | 'stock_age'; opened: string; ended: string; population?: string };

const seconds = (from: string, to: string) => `EXTRACT(EPOCH FROM (${to} - ${from}))`;
/** LEAST ignores nulls: whichever of the record's ends came first, null while it has none. */
const firstOf = (...columns: string[]) => `LEAST(${columns.join(', ')})`;
const SERVICE_RECORD_ENDED = firstOf('f.resolved_at', 'f.closed_at', 'f.cancelled_at');
const CLOSED_WITH_CODE = 'f.close_code IS NOT NULL';

export const METRIC_MEASURES: Readonly<Record<string, MetricMeasure>> = {
  opened: { kind: 'count', anchor: 'f.opened_at' },
  resolved: { kind: 'count', anchor: 'f.resolved_at' },
  backlog: { kind: 'stock', opened: 'f.opened_at', ended: SERVICE_RECORD_ENDED },
  backlog_ageing: { kind: 'ageing', opened: 'f.opened_at', ended: SERVICE_RECORD_ENDED },
  mtta: {
    kind: 'duration',
    anchor: 'f.first_response_at',
    seconds: seconds('f.opened_at', 'f.first_response_at'),
  },
  mttr: {
    kind: 'duration',
    anchor: 'f.resolved_at',
    seconds: seconds('f.opened_at', 'f.resolved_at'),
  },
  reopen_rate: { kind: 'ratio', anchor: 'f.resolved_at', numerator: 'f.reopen_count > 0' },
  first_assignment_resolution: {
    kind: 'ratio',
    anchor: 'f.resolved_at',
    numerator: `NOT EXISTS (SELECT 1 FROM unnest(f.reassignment_versions) AS reassigned(version)
                             WHERE reassigned.version <= COALESCE(f.resolved_version, f.version))`,
  },
  resolved_by_problem: {
    kind: 'ratio',
    anchor: 'f.resolved_at',
    numerator: 'f.problem_id IS NOT NULL',
  },
  requests_opened: { kind: 'count', anchor: 'f.opened_at' },
  request_fulfilment_time: {
    kind: 'duration',
    anchor: 'f.resolved_at',
    seconds: seconds('f.opened_at', 'f.resolved_at'),
  },
  sla_compliance: {
    kind: 'ratio',
    // A breach is the timer's outcome when it is recorded (a breached timer only stops
    // counting later, and no event tells when); a met timer's is its stop.
    anchor: 'COALESCE(f.breached_at, f.stopped_at)',
    population: `f.outcome IN ('met', 'breached')`,
    numerator: 'f.breached_at IS NULL',
  },
  sla_breaches: { kind: 'count', anchor: 'f.breached_at' },
  problems_opened: { kind: 'count', anchor: 'f.opened_at' },
  problem_age: {
    kind: 'stock_age',
    opened: 'f.opened_at',
    ended: firstOf('f.resolved_at', 'f.closed_at', 'f.cancelled_at'),
  },
  time_to_root_cause: {
    kind: 'duration',
    anchor: 'f.root_cause_identified_at',
    seconds: seconds('f.opened_at', 'f.root_cause_identified_at'),
  },
  known_errors: {
    kind: 'stock',
    opened: 'f.created_at',
    ended: firstOf('f.retired_at', 'f.valid_until'),
  },
  changes_opened: { kind: 'count', anchor: 'f.opened_at' },
  change_success_rate: {
    kind: 'ratio',
    anchor: 'f.closed_at',
    population: CLOSED_WITH_CODE,
    numerator: `f.close_code IN ('successful', 'successful_with_issues')`,
  },
  unsuccessful_change_rate: {
    kind: 'ratio',
    anchor: 'f.closed_at',
    population: CLOSED_WITH_CODE,
    numerator: `f.close_code IN ('unsuccessful', 'backed_out')`,
  },
  emergency_change_rate: {
    kind: 'ratio',
    anchor: 'f.opened_at',
    numerator: `f.model = 'emergency'`,
  },
  change_failure_rate: {
    kind: 'ratio',
    anchor: 'f.closed_at',
    population: CLOSED_WITH_CODE,
    numerator: 'cardinality(f.caused_incident_ids) > 0',
  },
  cmdb_size: { kind: 'stock', opened: 'f.created_at', ended: 'f.retired_at' },
};
