import { table } from '../report';
import { round } from '../stats';
import { type LiveFigures } from './live';
import { type KpiFigures, type RebuildFigures } from './measure';
import { type SeedFigures } from './seed';

/** The goals of issue 18. */
export const REBUILD_GOAL_PER_SECOND = 5000;
export const KPI_P99_GOAL_MS = 200;

export interface ReportingBenchResults {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  settings: Record<string, number | number[] | string>;
  serviceEnvironment?: Record<string, string>;
  machine: {
    cores: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    loadAverageAtStart: string[];
    loadAverageAtEnd?: string[];
    postgres: Record<string, string>;
  };
  seed?: SeedFigures;
  rebuilds: RebuildFigures[];
  /** The rounds' recomputation of every day after the rebuilds' swaps. */
  rollups?: { seconds: number; rows: number };
  kpis: KpiFigures[];
  live: LiveFigures[];
  deadLettered?: number;
  /** Peak RSS of the reporting service per phase (and `overall`), MiB. */
  peakRssMiB: Record<string, number>;
  logs: Record<string, { lines: number; byLevel: Record<string, number>; samples: string[] }>;
  error?: string;
}

const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

export function renderReportingReport(results: ReportingBenchResults): string {
  const out: string[] = [];
  const { machine, seed } = results;
  out.push(
    `ITSM reporting benchmark, run ${results.runId}`,
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ` +
      `PostgreSQL ${machine.postgres.server_version ?? '?'} (shared_buffers ${machine.postgres.shared_buffers ?? '?'} x 8 kB), ` +
      `load average ${machine.loadAverageAtStart.join(' ')} at start, ${machine.loadAverageAtEnd?.join(' ') ?? '?'} at end`,
    '',
  );
  if (seed) {
    out.push(
      `Archive seeded in SQL (hash-chained as the service chains): ${seed.records.incidents} incidents, ` +
        `${seed.records.changes} changes, ${seed.records.problems} problems = ${seed.events} events ` +
        `(${Object.entries(seed.byFamily)
          .map(([family, count]) => `${family} ${count}`)
          .join(', ')}), ${seed.archiveMiB} MiB, in ${seed.seconds} s (${seed.perSecond}/s); ` +
        `${seed.validated} checked against the event catalog`,
      '',
    );
  }
  if (results.rebuilds.length > 0) {
    const events = results.rebuilds.reduce((sum, rebuild) => sum + rebuild.events, 0);
    const seconds = results.rebuilds.reduce((sum, rebuild) => sum + rebuild.seconds, 0);
    out.push(
      `1. Full rebuild of each projection from the archive, through the API (goal >= ${REBUILD_GOAL_PER_SECOND} events/s)`,
      table(
        ['projection', 'events', 'seconds', 'events/s', 'rows', 'peak RSS MiB', 'goal'],
        [
          ...results.rebuilds.map((rebuild) => [
            rebuild.projection,
            rebuild.events,
            rebuild.seconds,
            rebuild.eventsPerSecond,
            rebuild.rows,
            results.peakRssMiB[`rebuild ${rebuild.projection}`] ?? null,
            rebuild.error ?? verdict((rebuild.eventsPerSecond ?? 0) >= REBUILD_GOAL_PER_SECOND),
          ]),
          ['all', events, round(seconds, 1), round(events / seconds, 0), '', '', ''],
        ],
      ),
      '',
    );
  }
  if (results.kpis.length > 0) {
    out.push(
      `2. KPIs over the year by day, by group, through the gateway (goal p99 <= ${KPI_P99_GOAL_MS} ms)`,
      ...(results.rollups
        ? [
            `daily rollups recomputed after the rebuilds in ${results.rollups.seconds} s (${results.rollups.rows} rows); each KPI read from them, then from the fact rows (exact=true)`,
          ]
        : []),
      table(
        [
          'metric',
          'read from',
          'series x points',
          'connections',
          'req/s',
          'p50 ms',
          'p99 ms',
          'failures',
          'peak RSS MiB',
          'goal',
        ],
        results.kpis.flatMap((kpi) =>
          kpi.http.map((run) => [
            kpi.metric,
            kpi.computedFrom ?? '?',
            `${kpi.series ?? '?'} x ${kpi.series ? Math.round((kpi.points ?? 0) / kpi.series) : '?'}`,
            run.clients,
            run.perSecond,
            round(run.latencyMs.p50),
            round(run.latencyMs.p99),
            Object.values(run.failures).reduce((sum, count) => sum + count, 0),
            results.peakRssMiB[
              `kpi ${kpi.metric}${kpi.path.includes('exact=true') ? ' exact' : ''}`
            ] ?? null,
            verdict((run.latencyMs.p99 ?? Infinity) <= KPI_P99_GOAL_MS),
          ]),
        ),
      ),
      '',
    );
  }
  if (results.live.length > 0) {
    out.push(
      '3. The live path: events published to Kafka at a steady rate, publish to archive row (and fact row, same transaction)',
      table(
        [
          'events',
          'published/s',
          'consumed/s',
          'per s (p50)',
          'lag p50 ms',
          'lag p99 ms',
          'max lag ms',
          'backlog at end',
          'drain s',
          'missing',
          'peak RSS MiB',
        ],
        results.live.map((live) => [
          live.mix,
          live.publishedPerSecond,
          live.consumedPerSecond,
          live.perSecondWhilePublishing.p50,
          round(live.lagMs.p50, 0),
          round(live.lagMs.p99, 0),
          round(live.lagMs.max, 0),
          live.backlogAtEnd,
          live.drainSeconds,
          live.missing,
          results.peakRssMiB[`live ${live.mix}`] ?? null,
        ]),
      ),
      ...results.live.map((live) => `   ${live.mix}: ${live.description}`),
      `   dead-lettered: ${results.deadLettered ?? '?'}`,
      '',
    );
  }
  out.push(
    `Peak RSS of the reporting service over the run: ${results.peakRssMiB.overall ?? '?'} MiB`,
  );
  for (const [name, summary] of Object.entries(results.logs))
    if ((summary.byLevel.error ?? 0) > 0)
      out.push(`${name} logged ${summary.byLevel.error} errors, e.g. ${summary.samples[0] ?? ''}`);
  if (results.error) out.push(`FAILED: ${results.error}`);
  return out.join('\n');
}
