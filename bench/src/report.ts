import { type BenchResults, type MeasuredRun } from './results';
import { round } from './stats';

/** The processes that do the platform's work, as opposed to the load generator and the rest. */
const PLATFORM = ['gateway', 'incident', 'reporting', 'postgres', 'kafka'];
const RSS_SERVICES = ['gateway', 'incident', 'reporting'];

type Cell = string | number | null | undefined;

function text(value: Cell): string {
  if (value === null || value === undefined || (typeof value === 'number' && !isFinite(value)))
    return '-';
  return String(value);
}

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function table(headers: string[], rows: Cell[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(text))];
  const widths = headers.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) =>
        column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join('\n');
}

function ratio(part: number | null | undefined, whole: number | null | undefined): string {
  if (!part || !whole) return '-';
  return `${((part / whole) * 100).toFixed(1)}%`;
}

export function renderReport(results: BenchResults): string {
  const out: string[] = [];
  const { machine } = results;
  out.push(
    `ITSM create benchmark, run ${results.runId}`,
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB RAM, ` +
      `Node ${machine.node}, PostgreSQL ${machine.postgres} (fsync=${machine.postgresSettings.fsync}, ` +
      `synchronous_commit=${machine.postgresSettings.synchronous_commit}), Kafka ${machine.kafka}`,
    `CPU busy before the run (others' load): ${text(results.baseline.busyCores)} of ${machine.cores} cores` +
      ` (load average ${machine.loadAverage.join(' ')})`,
    '',
  );

  out.push(
    'Creates through the gateway (closed loop, autocannon) vs single-row INSERT ceiling (pgbench)',
  );
  out.push(
    table(
      [
        'clients',
        'creates/s',
        'raw inserts/s',
        'creates/raw',
        'create p50 ms',
        'create p99 ms',
        'insert p50 ms',
        'insert p99 ms',
        'non-2xx',
        'errors',
        'peak RSS gateway MiB',
        'peak RSS incident MiB',
      ],
      results.bursts.map((burst) => {
        const raw = results.insertCeiling.find((row) => row.clients === burst.connections);
        return [
          burst.connections,
          burst.createsPerS,
          raw?.insertsPerSecond,
          ratio(burst.createsPerS, raw?.insertsPerSecond),
          burst.latencyMs.p50,
          burst.latencyMs.p99,
          raw?.latencyMs.p50,
          raw?.latencyMs.p99,
          burst.non2xx,
          burst.errors,
          burst.peakRssMiB.gateway,
          burst.peakRssMiB.incident,
        ];
      }),
    ),
  );

  if (results.servicesIdle) {
    const idle = results.servicesIdle.peakRssMiB;
    out.push(
      `RSS after start-up, before any load: gateway ${text(idle.gateway)} MiB, incident ${text(idle.incident)} MiB, ` +
        `reporting ${text(idle.reporting)} MiB; reporting's peak during the runs: ` +
        results.bursts
          .map((run) => `${run.phase} ${text(run.peakRssMiB.reporting)} MiB`)
          .join(', '),
    );
  }
  for (const burst of results.bursts.filter((run) => run.non2xx > 0 || run.errors > 0))
    out.push(
      `${burst.phase}: answers by status ${JSON.stringify(burst.statusCodes)}, ` +
        `${burst.errors} connection errors, ${burst.timeouts} timeouts`,
    );
  out.push('');

  const cpuGroups = [
    'gateway',
    'incident',
    'reporting',
    'loadgen',
    'postgres',
    'kafka',
    'other',
    'idle',
    'steal',
  ];
  const perOperation = (cores: (number | undefined)[], rate: number | null | undefined) => {
    const total = cores.reduce<number>((sum, value) => sum + (value ?? 0), 0);
    return rate ? (total / rate) * 1000 : null;
  };
  out.push(
    `CPU during each measured window, in cores (of ${machine.cores}); ` +
      'ms CPU/op = platform CPU (services, postgres, kafka; not the load generator) per create or insert',
  );
  out.push(
    table(
      ['window', ...cpuGroups, 'ms CPU/op'],
      [
        ...results.insertCeiling.map((row) => [
          `pgbench -c ${row.clients}`,
          '-',
          '-',
          '-',
          row.cpu.pgbench ?? row.cpu.loadgen,
          row.cpu.postgres,
          row.cpu.kafka,
          row.cpu.other,
          row.cpu.idle,
          row.cpu.steal,
          round(perOperation([row.cpu.postgres], row.insertsPerSecond), 2),
        ]),
        ...(results.servicesIdle
          ? [['services idle', ...cpuGroups.map((group) => results.servicesIdle?.cpu[group])]]
          : []),
        ...results.bursts.map((run) => [
          run.phase,
          ...cpuGroups.map((group) => run.cpu[group]),
          round(
            perOperation(
              PLATFORM.map((group) => run.cpu[group]),
              run.createsPerS,
            ),
            1,
          ),
        ]),
        ...(results.sample
          ? [
              [
                results.sample.phase,
                ...cpuGroups.map((group) => results.sample?.cpu[group]),
                round(
                  perOperation(
                    PLATFORM.map((group) => results.sample?.cpu[group]),
                    results.sample.achievedRatePerS,
                  ),
                  1,
                ),
              ],
            ]
          : []),
      ],
    ),
  );
  const busiestOthers = [
    ['before the run', results.baseline.cpuOtherTop] as const,
    ...results.insertCeiling.map((row) => [`pgbench -c ${row.clients}`, row.cpuOtherTop] as const),
    ['services idle', results.servicesIdle?.cpuOtherTop ?? []] as const,
    ...[...results.bursts, ...(results.sample ? [results.sample] : [])].map(
      (run) => [run.phase, run.cpuOtherTop] as const,
    ),
  ]
    .filter(([, top]) => top.length > 0)
    .map(([window, top]) => `${window}: ${top.join(', ')}`);
  if (busiestOthers.length > 0) out.push(`"other", busiest: ${busiestOthers.join('; ')}`);
  out.push('');

  if (results.reads?.length) {
    out.push('Reads through the gateway (closed loop, autocannon), after the creates');
    out.push(
      table(
        ['phase', 'clients', 'reads/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors'],
        results.reads.map((run) => [
          run.phase,
          run.connections,
          run.readsPerS,
          run.latencyMs.p50,
          run.latencyMs.p99,
          run.latencyMs.max,
          run.non2xx,
          run.errors,
        ]),
      ),
      '',
    );
  }

  const perRequest: [MeasuredRun, number | null | undefined][] = [
    ...results.bursts.map((run): [MeasuredRun, number | null] => [run, run.createsPerS]),
    ...(results.sample
      ? [[results.sample, results.sample.achievedRatePerS] as [MeasuredRun, number | null]]
      : []),
    ...(results.reads ?? []).map((run): [MeasuredRun, number | null] => [run, run.readsPerS]),
  ];
  out.push('CPU ms per request by process (cores x 1000 / requests per second), and peak RSS MiB');
  out.push(
    table(
      ['phase', ...PLATFORM, 'platform', ...RSS_SERVICES.map((service) => `RSS ${service}`)],
      perRequest.map(([run, rate]) => [
        run.phase,
        ...PLATFORM.map((group) => round(perOperation([run.cpu[group]], rate), 2)),
        round(
          perOperation(
            PLATFORM.map((group) => run.cpu[group]),
            rate,
          ),
          2,
        ),
        ...RSS_SERVICES.map((service) => run.peakRssMiB[service]),
      ]),
    ),
    '',
  );

  out.push(
    'Create-to-archive delay: archived_at - event time, per incident created event; ' +
      'split at the Kafka record timestamp into event -> Kafka (commit, relay) and Kafka -> archive (consumer)',
  );
  out.push(
    table(
      [
        'phase',
        'events',
        'creates/s',
        'p50 ms',
        'p99 ms',
        'max ms',
        '->Kafka p50',
        '->Kafka p99',
        'Kafka->archive p50',
        'Kafka->archive p99',
      ],
      results.delays
        .filter((row) => !row.phase.startsWith('warmup'))
        .map((row) => {
          const split = (results.delaySplit ?? []).find((entry) => entry.phase === row.phase);
          return [
            row.phase,
            row.events,
            row.createsPerS,
            row.p50Ms,
            row.p99Ms,
            row.maxMs,
            split?.toKafkaMs.p50,
            split?.toKafkaMs.p99,
            split?.kafkaToArchiveMs.p50,
            split?.kafkaToArchiveMs.p99,
          ];
        }),
    ),
    '',
  );

  out.push('Backlog after each load stopped (relay: outbox -> Kafka; consumer: Kafka -> archive)');
  out.push(
    table(
      [
        'phase',
        'peak outbox',
        'outbox at end',
        'outbox empty after s',
        'relay drain ev/s',
        'archive lag at end',
        'all archived after s',
        'archive catch-up ev/s',
      ],
      [...results.bursts, ...(results.sample ? [results.sample] : [])].map((run) => [
        run.phase,
        run.peakOutbox,
        run.drain?.atLoadEnd.outbox,
        run.drain?.outboxEmptyAfterS,
        run.drain?.relayDrainPerS,
        run.drain?.archiveLagAtLoadEnd,
        run.drain?.archivedAfterS,
        run.drain?.archiveCatchUpPerS,
      ]),
    ),
    '',
  );

  if (results.sample) {
    const { sample } = results;
    out.push(
      `Paced sample: ${sample.requested} creates at ${sample.targetRatePerS}/s (achieved ${text(sample.achievedRatePerS)}/s), ` +
        `${sample.created} created, HTTP p50 ${text(sample.latencyMs.p50)} ms, p99 ${text(sample.latencyMs.p99)} ms` +
        (Object.keys(sample.failures).length > 0
          ? `, failures ${JSON.stringify(sample.failures)}`
          : ''),
    );
  }
  const { checks } = results;
  const committed = Object.entries(checks.createdByPhase).map(([phase, counted]) => {
    const inDatabase = checks.incidentsByPhase[phase] ?? 0;
    return `${phase} ${counted}/${inDatabase}`;
  });
  out.push(
    `Creates answered 2xx / incidents committed, per phase: ${committed.join(', ')}` +
      ' (a surplus of at most the connection count is requests still in flight when autocannon stopped)',
    'Every incident committed had its created event archived before the next phase started.',
    `Records dead-lettered by this run's reporting consumer: ${text(checks.deadLettered)}; ` +
      `events archived that are not about this run's incidents: ${text(checks.foreignArchived)} ` +
      '(both come from other producers on the shared topics, e.g. tests running meanwhile)',
  );
  for (const [service, log] of Object.entries(results.logs)) {
    if (log.lines === 0) continue;
    out.push(`${service} logged ${log.lines} lines ${JSON.stringify(log.byLevel)}:`);
    for (const sampleLine of log.samples) out.push(`  ${sampleLine}`);
  }
  if (results.error) out.push('', `THE RUN FAILED: ${results.error}`);
  return out.join('\n');
}
