import { execFileSync } from 'node:child_process';
import { saveRun } from './results';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { ALL_DOMAIN_TOPICS, Topics, deadLetterTopic } from '@itsm/contracts';
import { recordTimestamps, startGroupAtTopicEnds, topicSize } from './kafka';
import { burst, paced, readBurst, stopLoad, type BurstResult, type ReadResult } from './load';
import {
  findPgbench,
  nodePgCeiling,
  pgbenchCeiling,
  prepareInsertTable,
  type InsertCeiling,
} from './pg-ceiling';
import {
  BacklogMonitor,
  archivedCreates,
  delaysByPhase,
  foreignArchivedEvents,
  incidentsByPhase,
  offsetRanges,
  someIncidentIds,
  splitDelays,
  waitForDrain,
} from './pipeline';
import { CpuAccount, RssSampler, findProcess } from './proc';
import { renderReport } from './report';
import { type BenchResults, type MachineFacts, type MeasuredRun } from './results';
import { type BenchService, issueToken, startServices } from './services';
import { numberSetting, required } from './settings';

/**
 * The create benchmark (`npm run bench`, which prepares the database and runs this):
 * the PostgreSQL single-row insert ceiling, then gateway + incident + reporting as real
 * processes under closed-loop load at each connection count, then a paced sample for the
 * create-to-archive delay. Prints tables and writes the raw results as JSON.
 */

const REPO_ROOT = process.env.BENCH_REPO_ROOT ?? resolve(__dirname, '../../..');
const STATE_DIR = process.env.ITSM_STATE_DIR ?? join(REPO_ROOT, '.local');
const RUN_ID = process.env.BENCH_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');
const LOG_DIR = process.env.BENCH_LOG_DIR ?? join(STATE_DIR, 'bench', RUN_ID);

const settings = {
  connections: (process.env.BENCH_CONNECTIONS ?? '8,32').split(',').map(Number),
  warmupSeconds: numberSetting('BENCH_WARMUP_S', 2),
  durationSeconds: numberSetting('BENCH_DURATION_S', 15),
  sampleCount: numberSetting('BENCH_SAMPLE_COUNT', 500),
  sampleRatePerS: numberSetting('BENCH_SAMPLE_RATE', 50),
  insertSeconds: numberSetting('BENCH_PG_SECONDS', 10),
  drainTimeoutSeconds: numberSetting('BENCH_DRAIN_TIMEOUT_S', 180),
  quietWaitSeconds: Number(process.env.BENCH_QUIET_WAIT_S ?? 60),
};

/** Busy cores below which the machine counts as quiet enough to start measuring. */
const QUIET_BUSY_CORES = 0.3;

/** Platform settings a run may override (recorded in the results); everything else is the default. */
const PASSED_THROUGH = [
  'DATABASE_POOL_SIZE',
  'OUTBOX_POLL_INTERVAL_MS',
  'OUTBOX_BATCH_SIZE',
  'KAFKA_SESSION_TIMEOUT_MS',
  'UPSTREAM_TIMEOUT_MS',
  'RATE_LIMIT_PER_MINUTE',
];

const services: BenchService[] = [];
let aborted = false;

async function stopServices(): Promise<void> {
  await Promise.all(
    services.map(async (service) => {
      const started = performance.now();
      const wasRunning = service.running;
      const killed = await service.stop();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      if (wasRunning)
        say(
          `${service.name} ${killed ? 'killed (no graceful stop in 15 s)' : 'stopped'} after ${seconds} s`,
        );
    }),
  );
}

function onSignal(signal: NodeJS.Signals): void {
  if (aborted) return;
  aborted = true;
  console.error(`\n[bench] ${signal}: stopping the services`);
  stopLoad();
  void stopServices().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}

/** The environment as the results file records it: no secrets, no database password. */
function redacted(environment: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [
      name,
      /SECRET|PASSWORD|TOKEN|SIGNING_KEY/.test(name) ? '***' : value.replace(/:[^:@/]*@/, ':***@'),
    ]),
  );
}

function kafkaVersion(): string {
  const lib = join(STATE_DIR, 'kafka', 'lib');
  const jar = existsSync(lib)
    ? readdirSync(lib).find((name) => /^kafka_[\d.]+-[\d.]+\.jar$/.test(name))
    : undefined;
  return jar?.replace(/^kafka_[\d.]+-([\d.]+)\.jar$/, '$1') ?? 'unknown (external broker)';
}

async function machineFacts(pool: Pool): Promise<MachineFacts> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const { rows } = await pool.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings
     WHERE name IN ('server_version', 'fsync', 'synchronous_commit', 'wal_sync_method',
                    'shared_buffers', 'max_connections', 'commit_delay')`,
  );
  const pg = Object.fromEntries(rows.map((row) => [row.name, row.setting]));
  let free: string;
  try {
    free = execFileSync('free', ['-h'], { encoding: 'utf8' });
  } catch {
    free = 'free(1) is not available';
  }
  return {
    cores: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    free,
    loadAverage: loadavg().map((value) => value.toFixed(2)),
    node: process.version,
    postgres: pg.server_version ?? 'unknown',
    postgresSettings: pg,
    kafka: kafkaVersion(),
  };
}

function say(message: string): void {
  console.error(`[bench] ${message}`);
}

async function main(): Promise<number> {
  const databaseUrl = required('BENCH_DATABASE_URL');
  const kafkaBrokers = required('KAFKA_BROKERS');
  const groupPrefix = required('BENCH_GROUP_PREFIX');
  const pidFile = process.env.BENCH_PID_FILE;
  mkdirSync(LOG_DIR, { recursive: true });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const pool = new Pool({ connectionString: databaseUrl, max: 2, application_name: 'itsm-bench' });
  const serviceEnvironment: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: kafkaBrokers,
    KAFKA_CONSUMER_GROUP_PREFIX: groupPrefix,
    LOG_LEVEL: 'warn',
    // The gateway's per-caller limit (1200/min by default) would cap the single benchmark
    // user at 20 creates/s: the benchmark measures capacity, so the limiter runs but never trips.
    RATE_LIMIT_PER_MINUTE: '100000000',
  };
  for (const [name, value] of Object.entries(process.env)) {
    // The platform's own settings (the internal identity's keys, ITSM_DEV_PASSWORD, ...) as
    // run.sh exported them, and the tuning knobs a run may override.
    const platformSetting = name.startsWith('ITSM_') && name !== 'ITSM_STATE_DIR';
    if (value && (platformSetting || PASSED_THROUGH.includes(name)))
      serviceEnvironment[name] = value;
  }
  const kafkaPid = findProcess('kafka.Kafka');
  const results: BenchResults = {
    runId: RUN_ID,
    startedAt: new Date().toISOString(),
    settings,
    serviceEnvironment: redacted(serviceEnvironment),
    machine: await machineFacts(pool),
    baseline: { busyCores: null, cpu: {}, cpuOtherTop: [] },
    insertCeiling: [],
    warmups: [],
    bursts: [],
    delays: [],
    delaySplit: [],
    checks: {
      incidentsByPhase: {},
      createdByPhase: {},
      deadLettered: null,
      foreignArchived: null,
      skippedTopicRecords: {},
    },
    logs: {},
  };

  try {
    // What the machine is doing before we add anything (another session's tests, say):
    // 2 s windows until one is nearly idle, for at most BENCH_QUIET_WAIT_S.
    const quietBy = Date.now() + settings.quietWaitSeconds * 1000;
    for (;;) {
      const baseline = new CpuAccount({ kafka: kafkaPid });
      baseline.start();
      await sleep(2000);
      results.baseline.cpu = baseline.stop();
      results.baseline.cpuOtherTop = baseline.topOther;
      results.baseline.busyCores =
        Math.round((results.machine.cores - (results.baseline.cpu.idle ?? 0)) * 100) / 100;
      if (results.baseline.busyCores <= QUIET_BUSY_CORES || aborted) break;
      if (Date.now() > quietBy) {
        say(
          `the machine is still busy (${results.baseline.busyCores} cores: ` +
            `${results.baseline.cpuOtherTop.join(', ')}); measuring anyway`,
        );
        break;
      }
      say(`waiting for a quieter machine (${results.baseline.busyCores} cores busy)`);
    }

    // 1. The physical limit: single-row autocommit INSERTs, before any service runs.
    await prepareInsertTable(databaseUrl);
    const pgbench = findPgbench();
    for (const clients of settings.connections) {
      if (aborted) return 130;
      say(
        `raw INSERT ceiling, ${clients} clients, ${settings.insertSeconds} s (${pgbench ?? 'node pg'})`,
      );
      const ceiling: InsertCeiling = pgbench
        ? await pgbenchCeiling(pgbench, databaseUrl, clients, settings.insertSeconds, LOG_DIR, {
            kafka: kafkaPid,
          })
        : await nodePgCeiling(databaseUrl, clients, settings.insertSeconds, { kafka: kafkaPid });
      results.insertCeiling.push(ceiling);
    }

    // 2. The services, the reporting consumer starting at the end of every topic.
    results.checks.skippedTopicRecords = await startGroupAtTopicEnds(
      kafkaBrokers,
      `${groupPrefix}.reporting`,
      ALL_DOMAIN_TOPICS,
    );
    say(`starting gateway, incident and reporting (logs in ${LOG_DIR})`);
    const running = await startServices(
      REPO_ROOT,
      serviceEnvironment,
      LOG_DIR,
      pidFile,
      (service) => services.push(service),
    );
    const { gateway, incident, reporting } = running;
    const token = await issueToken(gateway.url, 'agent');
    const pids = { gateway: gateway.pid, incident: incident.pid, reporting: reporting.pid };
    const monitor = new BacklogMonitor(pool);

    // What the three services cost doing nothing (relay polling, consumer fetching, ...).
    const idleCpu = new CpuAccount({ ...pids, loadgen: process.pid, kafka: kafkaPid });
    const idleRss = new RssSampler(pids);
    idleCpu.start();
    idleRss.start();
    await sleep(3000);
    results.servicesIdle = {
      cpu: idleCpu.stop(),
      cpuOtherTop: idleCpu.topOther,
      peakRssMiB: idleRss.stop(),
    };

    const measure = async <T>(
      phase: string,
      load: () => Promise<T>,
      describe: (outcome: T) => string,
    ): Promise<T & MeasuredRun> => {
      const rss = new RssSampler(pids);
      const cpu = new CpuAccount({ ...pids, loadgen: process.pid, kafka: kafkaPid });
      rss.start();
      cpu.start();
      monitor.start();
      const outcome = await load();
      const usage = cpu.stop();
      const peakRssMiB = rss.stop();
      const peakOutbox = await monitor.stop();
      if (aborted) throw new Error('interrupted');
      say(`${phase}: ${describe(outcome)}`);
      say(`${phase}: waiting for the outbox to drain and the archive to catch up`);
      const drain = await waitForDrain(pool, settings.drainTimeoutSeconds * 1000);
      if (drain.timedOut)
        throw new Error(
          `${phase}: the pipeline did not drain within ${settings.drainTimeoutSeconds} s ` +
            `(outbox ${drain.atLoadEnd.outbox}, archive lag ${drain.archiveLagAtLoadEnd} at the end of the load)`,
        );
      return {
        ...outcome,
        phase,
        cpu: usage,
        cpuOtherTop: cpu.topOther,
        peakRssMiB,
        peakOutbox,
        drain,
      };
    };

    // 3. Closed-loop bursts through the gateway.
    for (const connections of settings.connections) {
      if (aborted) return 130;
      say(`warm-up, ${connections} connections, ${settings.warmupSeconds} s`);
      results.warmups.push(
        await burst(
          gateway.url,
          token,
          `warmup-${connections}`,
          connections,
          settings.warmupSeconds,
        ),
      );
      say(`creates, ${connections} connections, ${settings.durationSeconds} s`);
      const measured = await measure<BurstResult>(
        `burst-${connections}`,
        () =>
          burst(gateway.url, token, `burst-${connections}`, connections, settings.durationSeconds),
        (run) =>
          `${run.createsPerS} creates/s, p99 ${run.latencyMs.p99} ms, ` +
          `non-2xx ${run.non2xx}, errors ${run.errors}`,
      );
      results.bursts.push(measured);
    }

    // 4. A paced sample, for the delay of a pipeline that is not working off a backlog.
    if (aborted) return 130;
    say(`paced sample: ${settings.sampleCount} creates at ${settings.sampleRatePerS}/s`);
    results.sample = await measure(
      'sample',
      () =>
        paced(
          gateway.url,
          token,
          'sample',
          settings.sampleCount,
          settings.sampleRatePerS,
          () => aborted,
        ),
      (run) => `${run.created} of ${run.requested} created, HTTP p99 ${run.latencyMs.p99} ms`,
    );

    // 5. Reads through the gateway, closed loop: a record by id (at each connection count),
    // the first page of the incident list, a search for a word few titles hold.
    const ids = await someIncidentIds(pool, 2000);
    const byId = () => `/api/v1/incidents/${ids[Math.floor(Math.random() * ids.length)] ?? ''}`;
    const reads: [phase: string, connections: number, path: () => string][] = [
      ...settings.connections.map((connections): [string, number, () => string] => [
        `read-${connections}`,
        connections,
        byId,
      ]),
      ['list-8', 8, () => '/api/v1/incidents?limit=20'],
      // Titles end in their number within the phase: a number matches one title per phase.
      ['search-8', 8, () => `/api/v1/incidents?limit=20&q=${1 + Math.floor(Math.random() * 1000)}`],
    ];
    results.reads = [];
    for (const [phase, connections, path] of reads) {
      if (aborted) return 130;
      say(`${phase}: ${connections} connections, ${settings.durationSeconds} s`);
      results.reads.push(
        await measure<ReadResult>(
          phase,
          () => readBurst(gateway.url, token, phase, connections, settings.durationSeconds, path),
          (run) => `${run.readsPerS} reads/s, p99 ${run.latencyMs.p99} ms, non-2xx ${run.non2xx}`,
        ),
      );
    }

    results.delays = await delaysByPhase(pool);
    try {
      const events = await archivedCreates(pool);
      const timestamps = await recordTimestamps(
        kafkaBrokers,
        `${groupPrefix}.bench-reader`,
        Topics.incidentEvents,
        offsetRanges(events),
      );
      results.delaySplit = splitDelays(events, timestamps);
    } catch (error) {
      say(
        `could not split the delays at Kafka: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    results.checks.incidentsByPhase = await incidentsByPhase(pool);
    const created: [string, number][] = [
      ...results.warmups.map((run): [string, number] => [run.phase, run.created]),
      ...results.bursts.map((run): [string, number] => [run.phase, run.created]),
      ['sample', results.sample.created],
    ];
    results.checks.createdByPhase = Object.fromEntries(created);
    results.checks.foreignArchived = await foreignArchivedEvents(pool);
    results.checks.deadLettered = await topicSize(
      kafkaBrokers,
      deadLetterTopic(`${groupPrefix}.reporting`),
    );
    return 0;
  } catch (error) {
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return 1;
  } finally {
    if (aborted) {
      // onSignal stops the services and exits; a partial run is not worth a report.
      await new Promise(() => undefined);
    }
    say('stopping the services');
    await stopServices();
    for (const service of services) results.logs[service.name] = service.logSummary();
    await pool.end().catch(() => undefined);
    results.finishedAt = new Date().toISOString();
    saveRun(
      { repoRoot: REPO_ROOT, runId: RUN_ID, logDir: LOG_DIR },
      results,
      renderReport(results),
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
