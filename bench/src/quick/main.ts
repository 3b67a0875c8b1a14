import autocannon from 'autocannon';
import { mkdirSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { aggregate, categoryRows, type CategoryTotals } from '../profile/categories';
import { InspectorProfiler } from '../profile/inspector';
import { setTimeout as sleep } from 'node:timers/promises';
import { ALL_DOMAIN_TOPICS } from '@itsm/contracts';
import { startGroupAtTopicEnds } from '../kafka';
import {
  CpuAccount,
  MS_PER_TICK,
  RssSampler,
  findProcess,
  residentKiB,
  threadTicks,
} from '../proc';
import { table } from '../report';
import { saveRun } from '../results';
import { incidentBody } from '../load';
import { BenchService, freePort, issueToken } from '../services';
import { numberSetting, required } from '../settings';
import { round } from '../stats';

/**
 * `npm run bench -- quick`: gateway and incident from dist/, a short closed-loop create load
 * and a short read-by-id load through the gateway, and for each the CPU milliseconds per
 * request of every process (from /proc, all threads), throughput and p50/p99. Under a
 * minute once built, so that a change that doubles the CPU of a request shows in review.
 *
 * With `BENCH_PROFILE=1` the services also run with the inspector on a loopback port, and
 * each measured window is profiled (V8's sampling profiler); the profiles are written next
 * to the service logs and summarised by category (bench/src/profile/categories.ts). The profiler costs
 * CPU itself: read the absolute figures from a run without it, the shares from one with it.
 */

const REPO_ROOT = process.env.BENCH_REPO_ROOT ?? resolve(__dirname, '../../../..');
const RUN_ID = process.env.BENCH_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');
const LOG_DIR = process.env.BENCH_LOG_DIR ?? join(REPO_ROOT, '.local', 'bench', RUN_ID);

const settings = {
  connections: numberSetting('BENCH_QUICK_CONNECTIONS', 8),
  warmupSeconds: numberSetting('BENCH_WARMUP_S', 2),
  seconds: numberSetting('BENCH_QUICK_SECONDS', 10),
  /** Seconds the services idle after start-up before their idle RSS is read. */
  idleSeconds: numberSetting('BENCH_QUICK_IDLE_S', 10),
  profile: process.env.BENCH_PROFILE === '1',
  samplingIntervalUs: numberSetting('BENCH_PROFILE_INTERVAL_US', 500),
  /**
   * Requests per second over all connections (open loop), when set. The CPU a request costs
   * depends on how many arrive together (work shared per event-loop turn, per poll); at a
   * fixed rate two builds compare at the same batching, whatever else the machine runs.
   */
  ratePerS: process.env.BENCH_QUICK_RATE ? numberSetting('BENCH_QUICK_RATE', 1) : undefined,
};

type Service = 'gateway' | 'incident';
const SERVICES: readonly Service[] = ['gateway', 'incident'];

const say = (message: string) => console.error(`[bench] ${message}`);
const services: BenchService[] = [];
let aborted = false;
let current: autocannon.Instance | undefined;

async function stopServices(): Promise<void> {
  await Promise.all(services.map((service) => service.stop()));
}

function onSignal(signal: NodeJS.Signals): void {
  if (aborted) return;
  aborted = true;
  say(`${signal}: stopping the services`);
  current?.stop();
  void stopServices().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}

interface LoadResult {
  requestsPerS: number | null;
  ok: number;
  non2xx: number;
  errors: number;
  latencyMs: { p50: number; p99: number; max: number };
}

/** Closed loop with autocannon: `connections` clients, each sending its next request when the last is answered. */
function load(
  url: string,
  connections: number,
  seconds: number,
  request: autocannon.Request,
): Promise<LoadResult> {
  return new Promise((resolvePromise, reject) => {
    current = autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 30,
        requests: [request],
        ...(settings.ratePerS ? { overallRate: settings.ratePerS } : {}),
      },
      (error, result) => {
        current = undefined;
        if (error) {
          reject(error);
          return;
        }
        resolvePromise({
          requestsPerS: round(result['2xx'] / result.duration, 1),
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          latencyMs: {
            p50: result.latency.p50,
            p99: result.latency.p99,
            max: result.latency.max,
          },
        });
      },
    );
  });
}

interface ProcessCpu {
  /** CPU ms per successful request, all threads. */
  msPerRequest: number | null;
  /** The same by thread group (main, v8 workers, libuv pool, other threads). */
  threads: Record<string, number | null>;
  /** The highest RSS sampled during the measured window (every 200 ms). */
  rssMiB: number | null;
}

interface PhaseResult extends LoadResult {
  name: 'create' | 'read';
  connections: number;
  seconds: number;
  cpu: Record<Service, ProcessCpu>;
  /** PostgreSQL (every backend) and Kafka, CPU ms per request. */
  infrastructureMsPerRequest: Record<string, number | null>;
  /** Main-thread self time by category, per service, when profiled. */
  profiles?: Record<Service, { file: string; rows: string[][]; busyMsPerRequest: number }>;
}

async function phase(
  name: 'create' | 'read',
  running: Record<Service, BenchService>,
  profilers: Partial<Record<Service, InspectorProfiler>>,
  request: autocannon.Request,
): Promise<PhaseResult> {
  const url = running.gateway.url;
  await load(url, settings.connections, settings.warmupSeconds, request);
  const infrastructure = new CpuAccount({ kafka: findProcess('kafka.Kafka') }, ['postgres']);
  const before = Object.fromEntries(
    SERVICES.map((service) => [service, threadTicks(running[service].pid)]),
  ) as Record<Service, Record<string, number>>;
  for (const profiler of Object.values(profilers))
    await profiler.start(settings.samplingIntervalUs);
  const rss = new RssSampler(
    Object.fromEntries(SERVICES.map((service) => [service, running[service].pid])),
  );
  rss.start();
  infrastructure.start();
  const started = performance.now();
  const result = await load(url, settings.connections, settings.seconds, request);
  const elapsedS = (performance.now() - started) / 1000;
  const infrastructureCores = infrastructure.stop();
  const peakRssMiB = rss.stop();
  const after = Object.fromEntries(
    SERVICES.map((service) => [service, threadTicks(running[service].pid)]),
  ) as Record<Service, Record<string, number>>;
  const perRequest = (ms: number) => (result.ok > 0 ? round(ms / result.ok, 3) : null);
  const cpu = {} as Record<Service, ProcessCpu>;
  for (const service of SERVICES) {
    const threads: Record<string, number | null> = {};
    let total = 0;
    for (const [group, ticks] of Object.entries(after[service])) {
      const ms = (ticks - (before[service][group] ?? 0)) * MS_PER_TICK;
      total += ms;
      threads[group] = perRequest(ms);
    }
    cpu[service] = {
      msPerRequest: perRequest(total),
      threads,
      rssMiB: peakRssMiB[service] ?? null,
    };
  }
  const phaseResult: PhaseResult = {
    name,
    connections: settings.connections,
    seconds: round(elapsedS, 1) ?? settings.seconds,
    ...result,
    cpu,
    infrastructureMsPerRequest: {
      postgres: perRequest((infrastructureCores.postgres ?? 0) * elapsedS * 1000),
      kafka: perRequest((infrastructureCores.kafka ?? 0) * elapsedS * 1000),
    },
  };
  if (Object.keys(profilers).length > 0) {
    const profiles = {} as NonNullable<PhaseResult['profiles']>;
    for (const service of SERVICES) {
      const profiler = profilers[service];
      if (!profiler) continue;
      const file = join(LOG_DIR, `${service}-${name}.cpuprofile`);
      const totals: CategoryTotals = aggregate(await profiler.stop(file));
      profiles[service] = {
        file,
        rows: categoryRows(totals, result.ok),
        busyMsPerRequest: round(totals.busyUs / 1000 / Math.max(result.ok, 1), 3) ?? 0,
      };
    }
    phaseResult.profiles = profiles;
  }
  say(
    `${name}: ${phaseResult.requestsPerS}/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms`,
  );
  return phaseResult;
}

/** RSS in MiB of each service now, and their sum. */
function residentMiB(
  running: Record<Service, BenchService>,
): Record<Service | 'sum', number | null> {
  const each = Object.fromEntries(
    SERVICES.map((service) => {
      const kib = residentKiB(running[service].pid);
      return [service, kib === undefined ? null : round(kib / 1024, 1)];
    }),
  ) as Record<Service, number | null>;
  const sum = SERVICES.reduce((total, service) => total + (each[service] ?? 0), 0);
  return { ...each, sum: round(sum, 1) };
}

function render(results: {
  phases: PhaseResult[];
  loadAverage: string[][];
  idleRssMiB?: Record<Service | 'sum', number | null>;
}): string {
  const lines = [
    `Quick benchmark: ${settings.connections} connections${settings.ratePerS ? ` at ${settings.ratePerS} requests/s in all` : ' (closed loop)'}, ${settings.seconds} s per phase after ${settings.warmupSeconds} s warm-up${settings.profile ? ', PROFILED (the profiler adds CPU: compare shares, not ms)' : ''}`,
    `machine: ${availableParallelism()} cores, load average at start ${results.loadAverage[0]?.join(' ')}, at end ${results.loadAverage[1]?.join(' ')}`,
    '',
    table(
      [
        'phase',
        'req/s',
        'p50 ms',
        'p99 ms',
        'non-2xx',
        'errors',
        'gateway ms/req',
        'incident ms/req',
        'postgres ms/req',
        'kafka ms/req',
        'sum ms/req',
      ],
      results.phases.map((p) => {
        const parts = [
          p.cpu.gateway.msPerRequest,
          p.cpu.incident.msPerRequest,
          p.infrastructureMsPerRequest.postgres,
          p.infrastructureMsPerRequest.kafka,
        ];
        return [
          p.name,
          p.requestsPerS,
          p.latencyMs.p50,
          p.latencyMs.p99,
          p.non2xx,
          p.errors,
          ...parts,
          round(
            parts.reduce<number>((sum, value) => sum + (value ?? 0), 0),
            3,
          ),
        ];
      }),
    ),
    '',
    'CPU ms per request by thread (main = JavaScript; v8 workers = concurrent GC and compilation; libuv pool = WebCrypto, fs, dns)',
    table(
      ['phase', 'service', 'main', 'v8 workers', 'libuv pool', 'other threads', 'peak RSS MiB'],
      results.phases.flatMap((p) =>
        SERVICES.map((service) => [
          p.name,
          service,
          p.cpu[service].threads.main,
          p.cpu[service].threads['v8 workers'],
          p.cpu[service].threads['libuv pool'],
          p.cpu[service].threads['other threads'],
          p.cpu[service].rssMiB,
        ]),
      ),
    ),
    '',
    `RSS MiB: idle (${settings.idleSeconds} s after start-up, before any request) and the highest sampled in each measured window`,
    table(
      ['service', 'idle', ...results.phases.map((p) => `${p.name} peak`)],
      [...SERVICES, 'sum' as const].map((service) => [
        service,
        results.idleRssMiB?.[service] ?? null,
        ...results.phases.map((p) =>
          service === 'sum'
            ? round(
                SERVICES.reduce((total, each) => total + (p.cpu[each].rssMiB ?? 0), 0),
                1,
              )
            : p.cpu[service].rssMiB,
        ),
      ]),
    ),
  ];
  for (const p of results.phases) {
    for (const service of SERVICES) {
      const profile = p.profiles?.[service];
      if (!profile) continue;
      lines.push(
        '',
        `${p.name}, ${service}: main-thread self time by category (${profile.busyMsPerRequest} ms sampled per request; ${profile.file})`,
        table(['category', 'self ms', 'share', 'ms/request'], profile.rows),
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const databaseUrl = required('BENCH_DATABASE_URL');
  mkdirSync(LOG_DIR, { recursive: true });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const environment: Record<string, string> = {
    DATABASE_URL: databaseUrl,
    KAFKA_BROKERS: required('KAFKA_BROKERS'),
    KAFKA_CONSUMER_GROUP_PREFIX: required('BENCH_GROUP_PREFIX'),
    LOG_LEVEL: 'warn',
    // One benchmark user would otherwise hit the gateway's per-caller limit (1200/min).
    RATE_LIMIT_PER_MINUTE: '100000000',
  };
  for (const [name, value] of Object.entries(process.env)) {
    const platformSetting = name.startsWith('ITSM_') && name !== 'ITSM_STATE_DIR';
    if (value && (platformSetting || /^(OTEL_|DATABASE_POOL_SIZE$)/.test(name)))
      environment[name] = value;
  }
  const loadAverage = [loadavg().map((value) => value.toFixed(2))];
  const results: { runId: string; settings: typeof settings; phases: PhaseResult[] } & Record<
    string,
    unknown
  > = { runId: RUN_ID, settings, phases: [], loadAverage };
  let idleRssMiB: Record<Service | 'sum', number | null> | undefined;
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const ports = { incident: await freePort(), gateway: await freePort() };
    const inspectPorts = settings.profile
      ? { incident: await freePort(), gateway: await freePort() }
      : undefined;
    const spawn = (service: Service, env: Record<string, string>) => {
      const started = BenchService.spawn(
        REPO_ROOT,
        service,
        ports[service],
        env,
        LOG_DIR,
        process.env.BENCH_PID_FILE,
        inspectPorts ? [`--inspect=127.0.0.1:${inspectPorts[service]}`] : [],
      );
      services.push(started);
      return started;
    };
    // The incident service reads a topic from its start when its group has no offsets: on a
    // shared broker it would spend the run (and its memory) on every earlier run's events.
    await startGroupAtTopicEnds(
      environment.KAFKA_BROKERS ?? '',
      `${environment.KAFKA_CONSUMER_GROUP_PREFIX}.incident`,
      ALL_DOMAIN_TOPICS,
    );
    const incident = spawn('incident', environment);
    const gateway = spawn('gateway', { ...environment, INCIDENT_URL: incident.url });
    say(`starting gateway and incident (logs in ${LOG_DIR})`);
    await Promise.all([incident.waitUntilReady(), gateway.waitUntilReady()]);
    const running = { gateway, incident };
    await sleep(settings.idleSeconds * 1000);
    idleRssMiB = residentMiB(running);
    results.idleRssMiB = idleRssMiB;
    say(`idle RSS: gateway ${idleRssMiB.gateway} MiB, incident ${idleRssMiB.incident} MiB`);
    const profilers: Partial<Record<Service, InspectorProfiler>> = {};
    if (inspectPorts)
      for (const service of SERVICES)
        profilers[service] = await InspectorProfiler.connect(inspectPorts[service]);
    const token = await issueToken(gateway.url, 'agent');
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };

    let created = 0;
    results.phases.push(
      await phase('create', running, profilers, {
        method: 'POST',
        path: '/api/v1/incidents',
        headers,
        setupRequest: (request) => ({ ...request, body: incidentBody('quick', (created += 1)) }),
      }),
    );
    if (aborted) return 130;

    const { rows } = await pool.query<{ id: string }>(
      `SELECT id FROM incident.records WHERE type = 'incident' ORDER BY random() LIMIT 2000`,
    );
    if (rows.length === 0) throw new Error('no incident to read: the creates all failed');
    let read = 0;
    results.phases.push(
      await phase('read', running, profilers, {
        method: 'GET',
        path: `/api/v1/incidents/${rows[0]?.id}`,
        headers: { authorization: headers.authorization },
        setupRequest: (request) => ({
          ...request,
          path: `/api/v1/incidents/${rows[(read += 1) % rows.length]?.id}`,
        }),
      }),
    );
    for (const profiler of Object.values(profilers)) profiler.close();
    return 0;
  } catch (error) {
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    say(String(results.error));
    return 1;
  } finally {
    if (aborted) await new Promise(() => undefined);
    await stopServices();
    await pool.end().catch(() => undefined);
    loadAverage.push(loadavg().map((value) => value.toFixed(2)));
    saveRun(
      { repoRoot: REPO_ROOT, runId: RUN_ID, logDir: LOG_DIR },
      results,
      render({ phases: results.phases, loadAverage, idleRssMiB }),
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
