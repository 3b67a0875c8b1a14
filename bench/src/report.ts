import { type BenchResults } from './results';

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
    '',
  );

  const cpuGroups = ['gateway', 'incident', 'reporting', 'loadgen', 'postgres', 'kafka', 'other', 'idle'];
  out.push(`CPU during each measured window, in cores (of ${machine.cores})`);
  out.push(
    table(
      ['window', ...cpuGroups],
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
        ]),
        ...[...results.bursts, ...(results.sample ? [results.sample] : [])].map((run) => [
          run.phase,
          ...cpuGroups.map((group) => run.cpu[group]),
        ]),
      ],
    ),
    '',
  );

  out.push('Create-to-archive delay: archived_at - event time, per incident created event');
  out.push(
    table(
      ['phase', 'events', 'creates/s', 'p50 ms', 'p99 ms', 'max ms'],
      results.delays
        .filter((row) => !row.phase.startsWith('warmup'))
        .map((row) => [row.phase, row.events, row.createsPerS, row.p50Ms, row.p99Ms, row.maxMs]),
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
  out.push(
    `Checks: incidents in the database per phase ${JSON.stringify(results.checks.incidentsByPhase)}; ` +
      `2xx counted ${JSON.stringify(results.checks.createdByPhase)}; dead-lettered ${results.checks.deadLettered}; ` +
      `archived events not from this run ${results.checks.foreignArchived}`,
  );
  for (const [service, log] of Object.entries(results.logs)) {
    if (log.lines === 0) continue;
    out.push(`${service} logged ${log.lines} lines ${JSON.stringify(log.byLevel)}:`);
    for (const sampleLine of log.samples) out.push(`  ${sampleLine}`);
  }
  if (results.error) out.push('', `THE RUN FAILED: ${results.error}`);
  return out.join('\n');
}
