import { table } from '../report';
import { type IncidentBenchResults } from './results';

/** A list shape at or over this p50 (ms, at the first client count, through the gateway or as SQL) is slow. */
export const SLOW_P50_MS = 50;

const failures = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([label, count]) => `${count}x ${label}`)
    .join(' ') || '0';

export function renderIncidentReport(results: IncidentBenchResults): string {
  const out: string[] = [];
  const { machine, generation } = results;
  out.push(
    `ITSM incident list benchmark, run ${results.runId}`,
    `machine: ${machine.cores} cores, PostgreSQL ${machine.postgres.server_version ?? '?'} ` +
      `(shared_buffers ${machine.postgres.shared_buffers ?? '?'} x 8 kB, work_mem ${machine.postgres.work_mem ?? '?'} kB), ` +
      `load average ${machine.loadAverageAtStart.join(' ')} at start, ${machine.loadAverageAtEnd?.join(' ') ?? '?'} at end`,
    '',
  );
  if (generation) {
    out.push(
      `Generated ${generation.incidents} incidents and ${generation.journalEntries} journal entries in ` +
        `${generation.totalSeconds} s: journal ${generation.seconds.journal} s, records ${generation.seconds.records} s, ` +
        `indexes ${generation.seconds.indexes} s, VACUUM ANALYZE ${generation.seconds.vacuumAnalyze} s; ` +
        `table ${generation.tableMiB} MiB, indexes ${generation.indexesMiB} MiB`,
    );
  }
  if (results.searchDocumentMismatches) {
    const { checked, different } = results.searchDocumentMismatches;
    out.push(
      `Search documents rebuilt by the service's refreshSearchDocument: ${different} of ${checked} differ`,
    );
  }
  out.push('');

  out.push(
    'List latency, GET /api/v1/incidents through the gateway vs the same SQL on PostgreSQL (ms, closed loop)',
  );
  out.push(
    table(
      [
        'query shape',
        'clients',
        'http p50',
        'http p99',
        'http max',
        'http req/s',
        'sql p50',
        'sql p99',
        'sql req/s',
        'failures',
      ],
      results.shapes.flatMap((shape) =>
        shape.http.map((http, index) => {
          const sql = shape.sql[index];
          return [
            index === 0 ? shape.name : '',
            http.clients,
            http.latencyMs.p50,
            http.latencyMs.p99,
            http.latencyMs.max,
            http.perSecond,
            sql?.latencyMs.p50,
            sql?.latencyMs.p99,
            sql?.perSecond,
            failures({ ...http.failures, ...sql?.failures }),
          ];
        }),
      ),
    ),
    '',
  );

  out.push(
    "Query plans, EXPLAIN (ANALYZE, BUFFERS) of the service's SQL (rows: returned / read from records)",
  );
  out.push(
    table(
      ['query shape', 'index used', 'plan top node', 'rows', 'ms'],
      results.shapes.map((shape) => [
        shape.name,
        shape.plan ? (shape.plan.indexUsed ? 'yes' : 'NO (seq scan)') : '-',
        shape.plan?.topNode,
        shape.plan ? `${shape.plan.rowsReturned} / ${shape.plan.rowsRead}` : '-',
        shape.plan?.executionMs,
      ]),
    ),
    '',
  );
  const flagged = results.shapes.filter(
    (shape) =>
      (shape.plan && !shape.plan.indexUsed) ||
      Math.max(shape.http[0]?.latencyMs.p50 ?? 0, shape.sql[0]?.latencyMs.p50 ?? 0) >= SLOW_P50_MS,
  );
  out.push(
    flagged.length === 0
      ? `Every shape used an index and stayed under ${SLOW_P50_MS} ms p50.`
      : `Sequential scan or p50 >= ${SLOW_P50_MS} ms: ${flagged.map((shape) => shape.name).join('; ')}`,
    '',
  );

  if (results.creates.length > 0) {
    out.push(
      'Creates with the full model through the gateway, on the generated table (closed loop)',
    );
    const cpuNames = ['gateway', 'incident', 'postgres', 'kafka', 'loadgen', 'other', 'idle'];
    out.push(
      table(
        [
          'clients',
          'creates/s',
          'p50 ms',
          'p99 ms',
          'max ms',
          'failures',
          'RSS gw MiB',
          'RSS inc MiB',
          ...cpuNames.map((name) => `cpu ${name}`),
        ],
        results.creates.map((run) => [
          run.clients,
          run.perSecond,
          run.latencyMs.p50,
          run.latencyMs.p99,
          run.latencyMs.max,
          failures(run.failures),
          run.peakRssMiB.gateway,
          run.peakRssMiB.incident,
          ...cpuNames.map((name) => run.cpu[name]),
        ]),
      ),
    );
    const others = results.creates.flatMap((run) => run.cpuOtherTop);
    if (others.length > 0) out.push(`busiest other processes: ${[...new Set(others)].join(', ')}`);
    out.push('');
  }

  for (const shape of results.shapes) {
    if (!shape.plan) continue;
    out.push(`--- ${shape.name}: ${shape.path}`, shape.plan.text, '');
  }
  if (results.error) out.push(`The run failed: ${results.error}`);
  return out.join('\n');
}
