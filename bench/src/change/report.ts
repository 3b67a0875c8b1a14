import { table } from '../report';
import { round, type Distribution } from '../stats';
import { type ChangeBenchResults } from './results';

const ms = (value: number | null | undefined) => round(value, 1);
const both = (value: Distribution | undefined) =>
  value ? `${round(value.p50, 1) ?? '-'} (${round(value.p99, 1) ?? '-'})` : '-';
const failures = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([label, count]) => `${count}x ${label}`)
    .join(' ') || '0';

export function renderChangeReport(results: ChangeBenchResults): string {
  const out: string[] = [];
  const { machine, graph, seed, windows } = results;
  out.push(
    `ITSM change benchmark, run ${results.runId} (commit ${results.commit})`,
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ` +
      `PostgreSQL ${machine.postgres.server_version ?? '?'} (shared_buffers ${machine.postgres.shared_buffers ?? '?'} x 8 kB); ` +
      `load average ${machine.loadAverageAtStart.join(' ')} at start, ${machine.loadAverageAtMeasure?.join(' ') ?? '?'} ` +
      `when measuring began, ${machine.loadAverageAtEnd?.join(' ') ?? '?'} at end`,
    '',
  );
  if (graph)
    out.push(
      `Graph (SQL bulk load, the CMDB benchmark's generator): ${graph.cis} CIs (${graph.businessServices} business services), ` +
        `${graph.relationships} depends_on relationships and edges, ${graph.identifiers} identifiers; ` +
        `CIs ${graph.seconds.cis} s, relationships ${graph.seconds.relationships} s, edges and identifiers ${graph.seconds.derived} s, ` +
        `indexes and keys ${graph.seconds.indexes} s, VACUUM ANALYZE ${graph.vacuumSeconds} s`,
    );
  if (results.graphCheck)
    out.push(
      `Graph check through the gateway: ${results.graphCheck.checked} upstream impact answers (depth 3) against recursive SQL: ` +
        `${results.graphCheck.disagreements} disagree (mean ${results.graphCheck.meanReached} CIs reached, ${results.graphCheck.truncated} capped)`,
    );
  if (seed)
    out.push(
      `Changes (SQL): ${seed.changes} over ${seed.plannedFrom.slice(0, 10)} to ${seed.plannedTo.slice(0, 10)} ` +
        `(${Object.entries(seed.byModel)
          .map(([model, count]) => `${model} ${count}`)
          .join(', ')}; ${Object.entries(seed.byState)
          .map(([state, count]) => `${state} ${count}`)
          .join(
            ', ',
          )}); ${seed.tenCiChanges} with 10 CIs, ${seed.openTenCiChanges} of them open; ` +
        `${seed.changes} rows in ${seed.seconds.changes} s, VACUUM ANALYZE ${seed.seconds.vacuumAnalyze} s`,
    );
  if (windows)
    out.push(
      `Windows (API): ${windows.maintenance} maintenance, ${windows.blackouts} blackouts, ${windows.freezes} freezes ` +
        `(${windows.recurring} recurring) in ${windows.seconds} s`,
    );
  out.push('');
  if (results.requests.length > 0) {
    out.push(
      'Through the gateway as change_manager, one request at a time (ms; items: conflicts found, changes on the schedule, business services reached):',
      table(
        [
          'request',
          'samples',
          'p50',
          'p99',
          'max',
          'req/s',
          'goal p99',
          'verdict',
          'KiB p50',
          'items p50 (p99)',
          'failures',
        ],
        results.requests.map((figure) => [
          figure.name,
          figure.latencyMs.count,
          ms(figure.latencyMs.p50),
          ms(figure.latencyMs.p99),
          ms(figure.latencyMs.max),
          figure.perSecond,
          figure.goalP99Ms ?? '-',
          figure.goalP99Ms === undefined || figure.latencyMs.p99 === null
            ? '-'
            : figure.latencyMs.p99 <= figure.goalP99Ms
              ? 'met'
              : 'MISSED',
          ms(figure.answerKiB.p50),
          both(figure.items),
          failures(figure.failures),
        ]),
      ),
      '',
    );
  }
  for (const breakdown of results.breakdowns) {
    out.push(
      `Where the time goes, ${breakdown.name} (${breakdown.samples} samples replayed from the benchmark, p50 (p99) ms):`,
      table(
        ['part', 'p50 (p99)'],
        [
          ...Object.entries(breakdown.parts).map(([part, value]) => [part, both(value)]),
          ...Object.entries(breakdown.counts).map(([count, value]) => [
            `${count} (count)`,
            both(value),
          ]),
        ],
      ),
      ...Object.entries(breakdown.tallies ?? {}).map(
        ([tally, count]) => `  ${tally}: ${count} of ${breakdown.samples}`,
      ),
      '',
    );
  }
  for (const [name, plan] of Object.entries(results.plans))
    out.push(`Plan, ${name}:`, ...plan.map((line) => `  ${line}`), '');
  if (results.peakRssMiB)
    out.push(
      `Peak RSS (MiB): ${Object.entries(results.peakRssMiB)
        .map(([name, mib]) => `${name} ${mib}`)
        .join(', ')}`,
    );
  if (results.tableMiB)
    out.push(
      `Tables with indexes (MiB): ${Object.entries(results.tableMiB)
        .map(([name, mib]) => `${name} ${mib}`)
        .join(', ')}`,
    );
  for (const [name, log] of Object.entries(results.logs))
    if (log.lines > 0)
      out.push(
        `${name} log: ${log.lines} lines (${Object.entries(log.byLevel)
          .map(([level, count]) => `${level} ${count}`)
          .join(', ')}); ${log.samples.slice(0, 3).join(' | ')}`,
      );
  if (results.error) out.push('', `ERROR: ${results.error}`);
  return out.join('\n');
}
