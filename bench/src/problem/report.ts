import { table } from '../report';
import { round } from '../stats';
import { type ProblemBenchResults } from './results';
import { SEARCH_P99_GOAL_MS, type SearchShapeResult } from './search';

/** The incident event rate the candidate rules should keep up with (issue 16). */
export const EVENTS_PER_SECOND_GOAL = 500;

const failures = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([label, count]) => `${count}x ${label}`)
    .join(' ') || '0';

const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

/** The shape with the highest p50 through the gateway at the most clients (p99 is too noisy to rank by on a shared machine). */
export function slowestShape(shapes: readonly SearchShapeResult[]): SearchShapeResult | undefined {
  const p50 = (shape: SearchShapeResult) => shape.http[shape.http.length - 1]?.latencyMs.p50 ?? 0;
  return [...shapes].sort((a, b) => p50(b) - p50(a))[0];
}

/** The shape whose SQL took longest in EXPLAIN ANALYZE. */
export function slowestSql(shapes: readonly SearchShapeResult[]): SearchShapeResult | undefined {
  const ms = (shape: SearchShapeResult) => shape.plan?.executionMs ?? 0;
  return [...shapes].filter((shape) => shape.plan).sort((a, b) => ms(b) - ms(a))[0];
}

export function renderProblemReport(results: ProblemBenchResults): string {
  const out: string[] = [];
  const { machine, generation } = results;
  out.push(
    `ITSM problem benchmark, run ${results.runId}`,
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, Node ${machine.node}, ` +
      `PostgreSQL ${machine.postgres.server_version ?? '?'} (shared_buffers ${machine.postgres.shared_buffers ?? '?'} x 8 kB, ` +
      `work_mem ${machine.postgres.work_mem ?? '?'} kB), load average ${machine.loadAverageAtStart.join(' ')} at start, ` +
      `${machine.loadAverageAtEnd?.join(' ') ?? '?'} at end`,
    '',
  );
  if (generation) {
    const s = generation.seconds;
    out.push(
      `Dataset: ${generation.problems} problems (${generation.openProblems} open, ${generation.autoProblems} from candidate rules), ` +
        `${generation.incidents} incident copies (${generation.incidentsLast24h} in the last 24 h), ` +
        `${generation.linked} linked (incident_count max ${generation.incidentCount.max}, mean ${generation.incidentCount.mean}, ` +
        `${generation.incidentCount.withNone} problems with none), ${generation.knownErrors} known errors, ` +
        `${generation.journalEntries} journal entries`,
      `Generated in ${generation.totalSeconds} s: journal ${s.journal}, problems ${s.problems}, links ${s.links}, ` +
        `incident copies ${s.incidents}, counts ${s.counts}, known errors ${s.knownErrors}, indexes ${s.indexes}, ` +
        `VACUUM ANALYZE ${s.vacuumAnalyze} s; sizes (MiB, with indexes): ` +
        Object.entries(generation.tableMiB)
          .map(([name, mib]) => `${name} ${mib}`)
          .join(', '),
    );
  }
  if (results.searchDocumentMismatches) {
    const { checked, problems, knownErrors } = results.searchDocumentMismatches;
    const said = (value: number | null) => (value === null ? 'not checked' : `${value} differ`);
    out.push(
      `Search documents rebuilt by the service's own refresh (${checked} each): problems ${said(problems)}, known errors ${said(knownErrors)}`,
    );
  }
  out.push('');

  if (results.search.length > 0) {
    out.push(
      `Known-error search, GET /api/v1/known-errors through the gateway as agent (ms, closed loop; goal p99 <= ${SEARCH_P99_GOAL_MS} ms)`,
    );
    out.push(
      table(
        [
          'query shape',
          'clients',
          'p50',
          'p99',
          'max',
          'req/s',
          'goal p99',
          'failures',
          'items',
          'sql p50',
          'sql p99',
        ],
        results.search.flatMap((shape) =>
          shape.http.map((run, index) => [
            index === 0 ? shape.name : '',
            run.clients,
            run.latencyMs.p50,
            run.latencyMs.p99,
            run.latencyMs.max,
            run.perSecond,
            run.succeeded === 0
              ? '-'
              : verdict((run.latencyMs.p99 ?? Infinity) <= SEARCH_P99_GOAL_MS),
            failures(run.failures),
            index === 0 ? shape.items : '',
            index === 0 ? shape.sqlLoop?.latencyMs.p50 : '',
            index === 0 ? shape.sqlLoop?.latencyMs.p99 : '',
          ]),
        ),
      ),
      "sql: the same searches as the service's SQL straight to PostgreSQL, one connection.",
    );
    if (results.searchPhase) {
      const { cpu, peakRssMiB } = results.searchPhase;
      out.push(
        `CPU during the searches (cores): problem ${cpu.problem}, gateway ${cpu.gateway}, postgres ${cpu.postgres}, ` +
          `loadgen ${cpu.loadgen}, other ${cpu.other}, idle ${cpu.idle}; peak RSS MiB: problem ${peakRssMiB.problem}, gateway ${peakRssMiB.gateway}`,
      );
    }
    out.push('');
    const planned = results.search.filter((shape) => shape.plan);
    if (planned.length > 0) {
      out.push("EXPLAIN (ANALYZE, BUFFERS) of the service's SQL, first variant of each shape");
      out.push(
        table(
          ['query shape', 'plan (top nodes)', 'rows', 'ms', 'buffers hit/read'],
          planned.map((shape) => [
            shape.name,
            shape.plan?.chain,
            shape.plan?.rows,
            shape.plan?.executionMs,
            `${shape.plan?.sharedHit}/${shape.plan?.sharedRead}`,
          ]),
        ),
        '',
      );
    }
  }

  if (results.links) {
    const links = results.links;
    out.push(
      `Bulk link of ${links.size} unlinked incidents, POST /api/v1/problems/{id}/incidents through the gateway as problem_manager, ` +
        `${links.latencyMs.count} requests on different open problems, one at a time (after one warm-up of ${links.warmupMs} ms)`,
    );
    out.push(
      table(
        ['p50 ms', 'p99 ms', 'max ms', 'failures', 'peak RSS problem MiB'],
        [
          [
            round(links.latencyMs.p50, 1),
            round(links.latencyMs.p99, 1),
            round(links.latencyMs.max, 1),
            links.failures,
            links.peakRssMiB.problem,
          ],
        ],
      ),
      '',
    );
  }

  if (results.events) {
    const e = results.events;
    out.push(
      `Candidate rules: ${e.events} itsm.incident.created.v1 events (${e.clusters} clusters of 4 on one CI, ${e.distinctCis} CIs) ` +
        `produced at ${e.producedPerSecond}/s (${e.produceSeconds} s), applied by the problem service's consumer`,
    );
    out.push(
      table(
        [
          'applied',
          'missing',
          'dead-lettered',
          'first send to last applied s',
          'events/s',
          'consumer s',
          'consumer events/s',
          'ms/event',
          `goal ${EVENTS_PER_SECOND_GOAL}/s`,
          'candidates opened',
          'linked by rules',
        ],
        [
          [
            e.applied,
            e.missing,
            e.deadLettered,
            e.applySeconds,
            e.appliedPerSecond,
            e.consumerSeconds,
            e.consumerPerSecond,
            e.msPerEvent,
            verdict(e.consumerPerSecond >= EVENTS_PER_SECOND_GOAL && e.missing === 0),
            e.candidatesOpened,
            e.incidentsLinkedByRules,
          ],
        ],
      ),
    );
    out.push(
      `Delay from the first send to each event's inbox row (ms): p50 ${round(e.delayMs.p50, 0)}, p99 ${round(e.delayMs.p99, 0)}, max ${round(e.delayMs.max, 0)}`,
      `Time per event, from one inbox row to the next (ms): p50 ${round(e.gapMs.p50, 2)}, p99 ${round(e.gapMs.p99, 2)}, max ${round(e.gapMs.max, 1)}`,
      `CPU while they were applied (cores): problem ${e.cpu.problem}, postgres ${e.cpu.postgres}, kafka ${e.cpu.kafka}, ` +
        `loadgen ${e.cpu.loadgen}, other ${e.cpu.other}, idle ${e.cpu.idle}; peak RSS problem ${e.peakRssMiB.problem} MiB`,
      '',
    );
  }

  if (results.ruleCost) {
    const cost = results.ruleCost;
    out.push(
      `Where a run's time goes: the candidate rules' queries by the service's repository, one at a time, for ${cost.samples} runs of ${cost.runSize} of the events' incidents (ms per run)`,
    );
    out.push(
      table(
        ['query', 'p50', 'p99', 'plan (top nodes)', 'rows', 'plan ms'],
        [
          ...cost.queries.map((query) => [
            query.name,
            round(query.latencyMs.p50, 2),
            round(query.latencyMs.p99, 2),
            query.plan?.chain,
            query.plan?.rows,
            query.plan?.executionMs,
          ]),
          [
            'commit (1-row autocommit INSERT)',
            round(cost.commitMs.p50, 2),
            round(cost.commitMs.p99, 2),
            '',
            '',
            '',
          ],
        ],
      ),
      '',
    );
  }

  if (results.peakRssMiB) {
    out.push(
      `Peak RSS over the run (MiB): ${Object.entries(results.peakRssMiB)
        .map(([name, mib]) => `${name} ${mib}`)
        .join(', ')}${
        results.startRssMiB ? `; problem after start-up ${results.startRssMiB.problem}` : ''
      }`,
    );
  }
  for (const [service, summary] of Object.entries(results.logs)) {
    const levels = Object.entries(summary.byLevel)
      .map(([level, count]) => `${level} ${count}`)
      .join(', ');
    if (summary.lines > 0) out.push(`${service} log: ${summary.lines} lines (${levels})`);
    for (const sample of summary.samples) out.push(`  ${sample}`);
  }
  const slowest = slowestShape(results.search.filter((shape) => shape.plan));
  const slowestQuery = slowestSql(results.search);
  for (const [label, shape] of [
    ['slowest shape through the gateway', slowest],
    ['slowest SQL', slowestQuery],
  ] as const) {
    if (!shape?.plan || (label === 'slowest SQL' && shape === slowest)) continue;
    out.push('', `--- ${label}, ${shape.name}: ${shape.paths[0] ?? ''}`, shape.plan.text);
  }
  for (const shape of results.search)
    if (shape.planError) out.push(`(no plan for ${shape.name}: ${shape.planError})`);
  if (results.error) out.push('', `The run failed: ${results.error}`);
  return out.join('\n');
}
