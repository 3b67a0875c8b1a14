import { table } from '../report';
import { quantile } from '../stats';
import { resourceLabel, summarise, type Summary, type TimelineRow } from './measures';
import { type ConsoleBenchResults, type LoadSample, type MeasureRow } from './results';

/** Issue 21's goals: the workspace's first load, a record page after a click. */
export const FIRST_LOAD_GOAL_MS = 1500;
export const RECORD_PAGE_GOAL_MS = 300;

/** When the entry script (`/assets/index-<hash>.js`, the first bundle) had arrived. */
const bundleEnd = (sample: LoadSample): number[] =>
  sample.resources
    .filter((resource) => resourceLabel(resource.name) === '/assets/index.js')
    .map((resource) => resource.responseEnd);

const median = (values: number[]): number =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  ) ?? 0;

/** The table's rows: every measure's summary beside its goal. */
export function measureRows(results: ConsoleBenchResults): MeasureRow[] {
  const failures = (name: string) => results.failures[name]?.length ?? 0;
  const row = (
    name: string,
    goalMs: number | null,
    values: number[],
    failed: string,
  ): MeasureRow => ({
    name,
    goalMs,
    summary: summarise(values),
    failures: failures(failed),
  });
  const cold = results.coldLoads;
  const warm = results.warmLoads;
  return [
    row(
      'first load, cold cache: records visible',
      FIRST_LOAD_GOAL_MS,
      cold.map((s) => s.rowsMs),
      'cold',
    ),
    row('  cold: JS bundle arrived', null, cold.flatMap(bundleEnd), 'cold'),
    row(
      '  cold: DOMContentLoaded',
      null,
      cold.map((s) => s.navigation.domContentLoadedEventEnd),
      'cold',
    ),
    row(
      '  cold: every API call answered',
      null,
      cold.map((s) => s.apiDoneMs),
      'cold',
    ),
    row(
      '  cold: browser main thread busy',
      null,
      cold.map((s) => s.mainThread.taskMs),
      'cold',
    ),
    row(
      '  cold: of which JavaScript',
      null,
      cold.map((s) => s.mainThread.scriptMs),
      'cold',
    ),
    row(
      'first load, warm cache: records visible',
      FIRST_LOAD_GOAL_MS,
      warm.map((s) => s.rowsMs),
      'warm',
    ),
    row(
      '  warm: DOMContentLoaded',
      null,
      warm.map((s) => s.navigation.domContentLoadedEventEnd),
      'warm',
    ),
    row(
      'sign-in form visible, cold cache',
      null,
      results.signIns.map((s) => s.formMs),
      'signIn',
    ),
    row(
      'click on "Sign in" → records visible',
      FIRST_LOAD_GOAL_MS,
      results.signIns.map((s) => s.clickToRowsMs),
      'signIn',
    ),
    row(
      'record page after a click: title and fields',
      RECORD_PAGE_GOAL_MS,
      results.records.map((s) => s.titleMs),
      'record',
    ),
    row(
      'record page after a click: every card loaded',
      RECORD_PAGE_GOAL_MS,
      results.records.map((s) => s.cardsMs),
      'record',
    ),
    row(
      '  record: browser main thread busy',
      null,
      results.records.map((s) => s.mainThread.taskMs),
      'record',
    ),
    row(
      '  record: of which JavaScript',
      null,
      results.records.map((s) => s.mainThread.scriptMs),
      'record',
    ),
  ];
}

const ms = (value: number | null) => (value === null ? '-' : value.toFixed(0));
const kB = (bytes: number) => (bytes / 1000).toFixed(1);

function within(summary: Summary, goal: number | null): string {
  if (goal === null || summary.p50 === null || summary.p95 === null) return '';
  const verdict = (value: number) => (value <= goal ? 'yes' : 'NO');
  return `p50 ${verdict(summary.p50)}, p95 ${verdict(summary.p95)}`;
}

function timelineTable(rows: TimelineRow[], limit: number): string {
  return table(
    ['resource', 'samples', 'start p50', 'end p50', 'end p95', 'took p50', 'took p95'],
    rows
      .slice(-limit)
      .map((row) => [
        row.label,
        row.samples,
        ms(row.start.p50),
        ms(row.end.p50),
        ms(row.end.p95),
        ms(row.duration.p50),
        ms(row.duration.p95),
      ]),
  );
}

export function renderConsoleReport(results: ConsoleBenchResults): string {
  const out: string[] = [];
  const { machine } = results;
  out.push(
    `ITSM console speed benchmark, run ${results.runId}`,
    `machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.chromium}; load average ` +
      Object.entries(machine.loadAverage)
        .map(([phase, load]) => `${load.join(' ')} (${phase})`)
        .join(', '),
  );
  if (results.generation) {
    const g = results.generation;
    out.push(
      `Generated ${g.incidents} incidents and ${g.journalEntries} journal entries in ${g.totalSeconds} s ` +
        `(the incident benchmark's generator); services: ${results.services.join(', ')}`,
    );
  }
  if (!results.generation && results.incidentsAtStart) {
    out.push(
      `${results.incidentsAtStart} incidents an earlier run generated (BENCH_KEEP_DATABASE=1); ` +
        `services: ${results.services.join(', ')}`,
    );
  }
  out.push('');
  out.push('Times in ms (first loads from the navigation start, record pages from the click)');
  out.push(
    table(
      ['measure', 'n', 'p50', 'p95', 'min', 'max', 'goal', 'within goal', 'failed'],
      results.measures.map((row) => [
        row.name,
        row.summary.n,
        ms(row.summary.p50),
        ms(row.summary.p95),
        ms(row.summary.min),
        ms(row.summary.max),
        row.goalMs === null ? '' : `≤ ${row.goalMs}`,
        within(row.summary, row.goalMs),
        row.failures,
      ]),
    ),
  );
  for (const [name, messages] of Object.entries(results.failures)) {
    if (messages.length > 0) out.push(`failed ${name}: ${messages.slice(0, 3).join(' | ')}`);
  }

  if (results.coldTimeline.length > 0) {
    out.push('', 'Cold first load: what was fetched when (ms from the navigation start)');
    out.push(timelineTable(results.coldTimeline, 20));
  }
  if (results.recordTimeline.length > 0) {
    out.push('', 'Record page: the API calls after the click (ms from the click)');
    out.push(timelineTable(results.recordTimeline, 20));
  }

  const transfers = (loads: LoadSample[], name: string) => {
    if (loads.length === 0) return;
    const kinds = [...new Set(loads.flatMap((load) => Object.keys(load.transferred.byKind)))];
    out.push(
      '',
      `${name}: what one load fetched (median of ${loads.length}; transfer = bytes over the wire, 0 from the cache)`,
    );
    out.push(
      table(
        ['kind', 'requests', 'transfer kB', 'decoded kB'],
        [...kinds.sort(), 'total'].map((kind) => {
          const pick = (value: (load: LoadSample) => number) => median(loads.map(value));
          const of = (load: LoadSample) =>
            kind === 'total'
              ? {
                  requests: load.transferred.requests,
                  transferBytes: load.transferred.transferBytes,
                  decodedBytes: load.transferred.decodedBytes,
                }
              : (load.transferred.byKind[kind] ?? {
                  requests: 0,
                  transferBytes: 0,
                  decodedBytes: 0,
                });
          return [
            kind,
            pick((load) => of(load).requests),
            kB(pick((load) => of(load).transferBytes)),
            kB(pick((load) => of(load).decodedBytes)),
          ];
        }),
      ),
    );
  };
  transfers(results.coldLoads, 'Cold first load');
  transfers(results.warmLoads, 'Warm load');

  if (results.bundle) {
    const { bundle } = results;
    out.push('', `Bundle: ${bundle.directory} (gzip level 9; * = loaded by index.html up front)`);
    const shown = bundle.files.filter((file) => file.entry || file.rawBytes >= 10_000);
    const rest = bundle.files.filter((file) => !shown.includes(file));
    out.push(
      table(
        ['file', 'raw kB', 'gzip kB'],
        [
          ...shown.map((file) => [
            `${file.entry ? '* ' : '  '}${file.file}`,
            kB(file.rawBytes),
            kB(file.gzipBytes),
          ]),
          [
            `  ${rest.length} files under 10 kB`,
            kB(rest.reduce((sum, file) => sum + file.rawBytes, 0)),
            kB(rest.reduce((sum, file) => sum + file.gzipBytes, 0)),
          ],
          ['up front (index.html and *)', kB(bundle.entry.rawBytes), kB(bundle.entry.gzipBytes)],
          ['all JS and CSS', kB(bundle.total.rawBytes), kB(bundle.total.gzipBytes)],
        ],
      ),
    );
  }
  if (results.error) out.push('', `error: ${results.error}`);
  return out.join('\n');
}
