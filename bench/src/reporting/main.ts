import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { ALL_DOMAIN_TOPICS, deadLetterTopic } from '@itsm/contracts';
import { startGroupAtTopicEnds, topicSize } from '../kafka';
import { RssSampler } from '../proc';
import { saveRun } from '../results';
import { BenchService, freePort, issueToken } from '../services';
import { numberSetting, required } from '../settings';
import { round } from '../stats';
import { measureLive } from './live';
import { measureKpi, rebuild, untilRolledUp } from './measure';
import { renderReportingReport, type ReportingBenchResults } from './report';
import { seedArchive } from './seed';

/**
 * The reporting benchmark (`npm run bench -- reporting`, which prepares a fresh, migrated
 * database and runs this): seeds the event archive with a year of incidents, changes and
 * problems, starts reporting and gateway from `dist/`, then measures the full rebuild of
 * each projection through the API, KPI queries over the year by day through the gateway,
 * and the live path under a steady publishing rate. See docs/benchmarks-reporting.md.
 */

const REPO_ROOT = process.env.BENCH_REPO_ROOT ?? resolve(__dirname, '../../../..');
const RUN_ID = process.env.BENCH_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');
const LOG_DIR = process.env.BENCH_LOG_DIR ?? join(REPO_ROOT, '.local', 'bench', RUN_ID);

function counts(name: string, fallback: string): number[] {
  const values = (process.env[name] ?? fallback).split(',').map(Number);
  if (values.some((value) => !Number.isInteger(value) || value <= 0))
    throw new Error(`${name} must be comma-separated positive integers`);
  return values;
}

const scale = Number(process.env.BENCH_REPORTING_SCALE ?? '1');
if (!(scale > 0 && scale <= 10)) throw new Error('BENCH_REPORTING_SCALE must be in (0, 10]');

const settings = {
  scale,
  incidents: Math.round(1_000_000 * scale),
  changes: Math.round(200_000 * scale),
  problems: Math.round(100_000 * scale),
  seed: numberSetting('BENCH_REPORTING_SEED', 18),
  livePerSecond: numberSetting('BENCH_REPORTING_LIVE_RATE', 500),
  liveSeconds: numberSetting('BENCH_REPORTING_LIVE_S', 60),
  liveDrainSeconds: numberSetting('BENCH_REPORTING_DRAIN_S', 60),
  kpiClients: counts('BENCH_REPORTING_KPI_CLIENTS', '1,4'),
  kpiSeconds: numberSetting('BENCH_REPORTING_KPI_S', 10),
  kpiWarmupSeconds: numberSetting('BENCH_REPORTING_KPI_WARMUP_S', 2),
};

const PHASES = ['seed', 'rebuild', 'kpi', 'live'] as const;
type Phase = (typeof PHASES)[number];
/** The phases run, e.g. `live` alone to compare service settings on the live path. */
const phases = new Set(
  (process.env.BENCH_REPORTING_PHASES ?? PHASES.join(',')).split(',').map((phase) => {
    if (!PHASES.includes(phase as Phase))
      throw new Error(`BENCH_REPORTING_PHASES: ${phase} is none of ${PHASES.join(', ')}`);
    return phase as Phase;
  }),
);

/** The projections the dataset feeds, and their tables. */
const PROJECTIONS = [
  { name: 'service_records', table: 'service_record_facts' },
  { name: 'sla_timers', table: 'sla_timer_facts' },
  { name: 'changes', table: 'change_facts' },
  { name: 'problems', table: 'problem_facts' },
];

const KPIS = ['mttr', 'backlog', 'sla_compliance', 'changes_opened'];
const KPI_QUERY = 'from=2026-01-01&to=2027-01-01&interval=day&by=group';

const PASSED_THROUGH = [
  'DATABASE_POOL_SIZE',
  'KAFKA_SESSION_TIMEOUT_MS',
  'KAFKA_CONSUMER_CONCURRENCY',
  'UPSTREAM_TIMEOUT_MS',
  'RATE_LIMIT_PER_MINUTE',
  'REPORTING_REBUILD_BATCH_SIZE',
];

const say = (message: string) => console.error(`[bench reporting] ${message}`);
const services: BenchService[] = [];
let aborted = false;

async function stopServices(): Promise<void> {
  await Promise.all(services.map((service) => service.stop()));
}

function onSignal(signal: NodeJS.Signals): void {
  if (aborted) return;
  aborted = true;
  say(`${signal}: stopping the services`);
  void stopServices().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}

function cpuModel(): string {
  try {
    return /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<number> {
  const databaseUrl = required('BENCH_DATABASE_URL');
  const brokers = required('KAFKA_BROKERS');
  const groupPrefix = required('BENCH_GROUP_PREFIX');
  mkdirSync(LOG_DIR, { recursive: true });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const pool = new Pool({
    connectionString: databaseUrl,
    max: 4,
    application_name: 'itsm-bench-reporting',
  });
  const { rows: pgSettings } = await pool.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings
     WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size',
                    'synchronous_commit', 'max_parallel_workers_per_gather', 'jit')`,
  );
  const results: ReportingBenchResults = {
    runId: RUN_ID,
    startedAt: new Date().toISOString(),
    settings: { ...settings, phases: [...phases].join(',') },
    machine: {
      cores: availableParallelism(),
      cpuModel: cpuModel(),
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      loadAverageAtStart: loadavg().map((value) => value.toFixed(2)),
      postgres: Object.fromEntries(pgSettings.map((row) => [row.name, row.setting])),
    },
    rebuilds: [],
    kpis: [],
    live: [],
    peakRssMiB: {},
    logs: {},
  };
  try {
    if (phases.has('seed')) {
      say(
        `seeding the archive: ${settings.incidents} incidents, ${settings.changes} changes, ` +
          `${settings.problems} problems (scale ${settings.scale})`,
      );
      results.seed = await seedArchive(
        pool,
        REPO_ROOT,
        { incidents: settings.incidents, changes: settings.changes, problems: settings.problems },
        settings.seed,
        say,
      );
      say(`seeded ${results.seed.events} events in ${results.seed.seconds} s`);
    } else {
      // BENCH_KEEP_DATABASE=1: the archive and read models of an earlier run, migrated on.
      say('not seeding: reading the archive and read models the database already holds');
    }
    if (aborted) return 130;

    // The consumer starts at the end of every topic: only this run's live events reach it.
    await startGroupAtTopicEnds(brokers, `${groupPrefix}.reporting`, ALL_DOMAIN_TOPICS);
    const environment: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers,
      KAFKA_CONSUMER_GROUP_PREFIX: groupPrefix,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
    };
    for (const [name, value] of Object.entries(process.env)) {
      const platformSetting = name.startsWith('ITSM_') && name !== 'ITSM_STATE_DIR';
      if (value && (platformSetting || PASSED_THROUGH.includes(name))) environment[name] = value;
    }
    results.serviceEnvironment = Object.fromEntries(
      Object.entries(environment).filter(([name]) => !/KEY|SECRET|PASSWORD|URL/.test(name)),
    );
    const { ITSM_INTERNAL_IDENTITY_SIGNING_KEY: signingKey, ...others } = environment;
    const pidFile = process.env.BENCH_PID_FILE;
    say(`starting reporting and gateway (logs in ${LOG_DIR})`);
    const reporting = BenchService.spawn(
      REPO_ROOT,
      'reporting',
      await freePort(),
      others,
      LOG_DIR,
      pidFile,
    );
    services.push(reporting);
    const gateway = BenchService.spawn(
      REPO_ROOT,
      'gateway',
      await freePort(),
      {
        ...others,
        ...(signingKey ? { ITSM_INTERNAL_IDENTITY_SIGNING_KEY: signingKey } : {}),
        REPORTING_URL: reporting.url,
      },
      LOG_DIR,
      pidFile,
    );
    services.push(gateway);
    await Promise.all([reporting.waitUntilReady(), gateway.waitUntilReady()]);
    const pids = { reporting: reporting.pid, gateway: gateway.pid };
    const overall = new RssSampler(pids);
    overall.start();
    const admin = await issueToken(gateway.url, 'admin');
    const phaseRss = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      const rss = new RssSampler({ reporting: reporting.pid });
      rss.start();
      try {
        return await work();
      } finally {
        results.peakRssMiB[name] = rss.stop().reporting ?? 0;
      }
    };

    // 1. Full rebuilds from the archive, one projection after the other.
    for (const { name, table } of phases.has('rebuild') ? PROJECTIONS : []) {
      if (aborted) return 130;
      say(`rebuilding ${name}`);
      const figures = await phaseRss(`rebuild ${name}`, () =>
        rebuild(pool, gateway.url, admin, name, table, say),
      );
      results.rebuilds.push(figures);
      say(
        `${name}: ${figures.events} events in ${figures.seconds} s (${figures.eventsPerSecond}/s)`,
      );
    }

    // 2. KPIs over the year by day, one breakdown, through the gateway: from the daily
    // rollups (once the rounds have recomputed the rebuilt tables), then from the fact rows.
    await pool.query('ANALYZE');
    if (phases.has('kpi')) {
      say('waiting for the KPI daily rollups of the rebuilt tables');
      const seconds = await phaseRss('kpi rollups', () =>
        untilRolledUp(gateway.url, admin, KPIS, KPI_QUERY, 3600),
      );
      const {
        rows: [{ rows }],
      } = await pool.query<{ rows: number }>(
        'SELECT count(*)::int AS rows FROM reporting.kpi_daily_rollups',
      );
      results.rollups = { seconds, rows };
      say(`rolled up in ${seconds} s (${rows} rows)`);
      await pool.query('ANALYZE reporting.kpi_daily_rollups');
    }
    for (const [metric, query] of phases.has('kpi')
      ? KPIS.flatMap((metric) => [
          [metric, KPI_QUERY],
          [metric, `${KPI_QUERY}&exact=true`],
        ])
      : []) {
      if (aborted) return 130;
      const exact = query.includes('exact=true');
      const figures = await phaseRss(`kpi ${metric}${exact ? ' exact' : ''}`, () =>
        measureKpi(
          gateway.url,
          admin,
          metric,
          query,
          settings.kpiClients,
          settings.kpiSeconds,
          settings.kpiWarmupSeconds,
        ),
      );
      results.kpis.push(figures);
      say(
        `${metric} from ${figures.computedFrom}: ${figures.http.map((run) => `${run.clients}c ${run.perSecond}/s p50 ${run.latencyMs.p50} p99 ${run.latencyMs.p99} ms`).join(', ')}`,
      );
    }

    // 3. The live path: a steady rate published to Kafka, with and without projections.
    for (const mix of phases.has('live') ? (['records', 'unprojected'] as const) : []) {
      if (aborted) return 130;
      say(`live: ${settings.livePerSecond}/s of ${mix} for ${settings.liveSeconds} s`);
      const figures = await phaseRss(`live ${mix}`, () =>
        measureLive(
          pool,
          brokers,
          {
            mix,
            perSecond: settings.livePerSecond,
            seconds: settings.liveSeconds,
            drainSeconds: settings.liveDrainSeconds,
            firstIncident: settings.incidents + 1,
            runId: RUN_ID,
          },
          say,
        ),
      );
      results.live.push(figures);
      say(
        `${mix}: consumed ${figures.consumedPerSecond}/s, lag p50 ${round(figures.lagMs.p50, 0)} p99 ${round(figures.lagMs.p99, 0)} max ${round(figures.lagMs.max, 0)} ms`,
      );
    }
    results.deadLettered = await topicSize(brokers, deadLetterTopic(`${groupPrefix}.reporting`));
    results.peakRssMiB.overall = overall.stop().reporting ?? 0;
    return 0;
  } catch (error) {
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    say(results.error);
    return 1;
  } finally {
    if (aborted) await new Promise(() => undefined);
    await stopServices();
    for (const service of services) results.logs[service.name] = service.logSummary();
    await pool.end().catch(() => undefined);
    results.finishedAt = new Date().toISOString();
    results.machine.loadAverageAtEnd = loadavg().map((value) => value.toFixed(2));
    saveRun(
      { repoRoot: REPO_ROOT, runId: RUN_ID, logDir: LOG_DIR },
      results,
      renderReportingReport(results),
    );
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    void stopServices().finally(() => process.exit(1));
  },
);
