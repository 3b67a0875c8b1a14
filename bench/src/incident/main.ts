import { mkdirSync } from 'node:fs';
import { saveRun } from '../results';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { CpuAccount, RssSampler, findProcess } from '../proc';
import { BenchService, freePort, issueToken } from '../services';
import { closedLoop, type LoopResult, type Outcome } from './closed-loop';
import { createIncident } from './creates';
import { nameUuid } from './dataset';
import { generateIncidents } from './generate';
import { IncidentListSql, explain } from './list-sql';
import { renderIncidentReport } from './report';
import { type CreateResult, type IncidentBenchResults, type ShapeResult } from './results';
import { BENCH_RECORD_POLICY, queryShapes, shapePath, shapeRequest, type Viewer } from './shapes';

/**
 * The incident list benchmark (`npm run bench -- incident`, which prepares a fresh,
 * migrated database and runs this): generates a million incidents in PostgreSQL, starts
 * gateway and incident as processes, then measures each list shape through the gateway
 * and as plain SQL, explains each shape's query, and measures full-model creates on the
 * full table. See docs/benchmarks-incident.md.
 */

function required(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the benchmark with \`npm run bench -- incident\``);
  return value;
}

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

function counts(name: string, fallback: string): number[] {
  const values = (process.env[name] ?? fallback).split(',').map(Number);
  if (values.some((value) => !Number.isInteger(value) || value <= 0))
    throw new Error(`${name} must be comma-separated positive integers`);
  return values;
}

const REPO_ROOT = process.env.BENCH_REPO_ROOT ?? resolve(__dirname, '../../../..');
const RUN_ID = process.env.BENCH_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');
const LOG_DIR = process.env.BENCH_LOG_DIR ?? join(REPO_ROOT, '.local', 'bench', RUN_ID);

const settings = {
  incidents: positive('BENCH_INCIDENTS', 1_000_000),
  listClients: counts('BENCH_LIST_CLIENTS', '1,8'),
  listSeconds: positive('BENCH_LIST_SECONDS', 5),
  listWarmupSeconds: positive('BENCH_LIST_WARMUP_S', 1),
  createClients: counts('BENCH_CREATE_CLIENTS', '8,32'),
  createSeconds: positive('BENCH_CREATE_SECONDS', 15),
  createWarmupSeconds: positive('BENCH_WARMUP_S', 2),
};

/** Records whose search document is rebuilt by the service's own code to check the generator's. */
const SEARCH_DOCUMENT_SAMPLE = 50;

const say = (message: string) => console.error(`[bench] ${message}`);
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

/** Gateway and incident from dist/, the gateway pointed at this incident service. */
async function startGatewayAndIncident(
  environment: Record<string, string>,
): Promise<{ gateway: BenchService; incident: BenchService }> {
  const incidentPort = await freePort();
  const gatewayPort = await freePort();
  const pidFile = process.env.BENCH_PID_FILE;
  const incident = BenchService.spawn(
    REPO_ROOT,
    'incident',
    incidentPort,
    environment,
    LOG_DIR,
    pidFile,
  );
  services.push(incident);
  const gateway = BenchService.spawn(
    REPO_ROOT,
    'gateway',
    gatewayPort,
    { ...environment, INCIDENT_URL: incident.url },
    LOG_DIR,
    pidFile,
  );
  services.push(gateway);
  await Promise.all([incident.waitUntilReady(), gateway.waitUntilReady()]);
  return { gateway, incident };
}

/**
 * The incident service learns the directory's groups from the gateway's events shortly
 * after both start; until then an assigned create is refused. Waits for the first to pass.
 */
async function waitForDirectory(
  gatewayUrl: string,
  token: string,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await createIncident(gatewayUrl, token, attempt);
    if (outcome === true) return;
    if (Date.now() > deadline)
      throw new Error(`an assigned create still answered ${outcome} after ${timeoutMs} ms`);
    await sleep(1000);
  }
}

async function get(url: string, token: string): Promise<Outcome> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  return response.ok ? true : String(response.status);
}

async function main(): Promise<number> {
  const databaseUrl = required('BENCH_DATABASE_URL');
  mkdirSync(LOG_DIR, { recursive: true });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const pool = new Pool({
    connectionString: databaseUrl,
    max: Math.max(...settings.listClients, 2),
  });
  const { rows: pgSettings } = await pool.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings
     WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size',
                    'random_page_cost', 'max_parallel_workers_per_gather', 'jit')`,
  );
  const results: IncidentBenchResults = {
    runId: RUN_ID,
    startedAt: new Date().toISOString(),
    settings,
    machine: {
      cores: availableParallelism(),
      loadAverageAtStart: loadavg().map((value) => value.toFixed(2)),
      postgres: Object.fromEntries(pgSettings.map((row) => [row.name, row.setting])),
    },
    shapes: [],
    creates: [],
    createWarmups: [],
  };
  const listSql = await IncidentListSql.open(REPO_ROOT, databaseUrl);
  try {
    say(`generating ${settings.incidents} incidents in PostgreSQL`);
    results.generation = await generateIncidents(pool, settings.incidents, listSql.searchLanguage);
    say(`generated in ${results.generation.totalSeconds} s`);
    const sample = Array.from({ length: SEARCH_DOCUMENT_SAMPLE }, (_, k) =>
      nameUuid(`bench-record-${Math.min(settings.incidents, 5 * (k + 1))}`),
    );
    results.searchDocumentMismatches = {
      checked: new Set(sample).size,
      different: await listSql.searchDocumentMismatches([...new Set(sample)]),
    };
    if (aborted) return 130;

    const environment: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: required('KAFKA_BROKERS'),
      KAFKA_CONSUMER_GROUP_PREFIX: required('BENCH_GROUP_PREFIX'),
      LOG_LEVEL: 'warn',
      // One benchmark user would otherwise hit the gateway's per-caller limit (1200/min).
      RATE_LIMIT_PER_MINUTE: '100000000',
      AGENT_RECORD_SCOPE: BENCH_RECORD_POLICY.agentScope,
    };
    for (const [name, value] of Object.entries(process.env)) {
      if (value && name.startsWith('ITSM_') && name !== 'ITSM_STATE_DIR') environment[name] = value;
    }
    say(`starting gateway and incident (logs in ${LOG_DIR})`);
    const { gateway, incident } = await startGatewayAndIncident(environment);
    const tokens: Record<Viewer, string> = {
      incident_manager: await issueToken(gateway.url, 'incident_manager'),
      agent: await issueToken(gateway.url, 'agent'),
      requester: await issueToken(gateway.url, 'requester'),
    };
    await waitForDirectory(gateway.url, tokens.agent);
    const pids = { gateway: gateway.pid, incident: incident.pid };
    const kafka = findProcess('kafka.Kafka');

    const shapes = await queryShapes(pool, settings.incidents);
    const listCpu = new CpuAccount({ ...pids, loadgen: process.pid, kafka });
    const listRss = new RssSampler(pids);
    listCpu.start();
    listRss.start();
    for (const shape of shapes) {
      if (aborted) return 130;
      const url = `${gateway.url}${shapePath(shape)}`;
      const sql = listSql.sql(shapeRequest(shape));
      const result: ShapeResult = {
        name: shape.name,
        viewer: shape.viewer,
        path: shapePath(shape),
        http: [],
        sql: [],
      };
      for (const clients of settings.listClients) {
        const http = () => get(url, tokens[shape.viewer]);
        const direct = async (): Promise<Outcome> => {
          await pool.query(sql.text, sql.values);
          return true;
        };
        await closedLoop(clients, settings.listWarmupSeconds, http);
        result.http.push(await closedLoop(clients, settings.listSeconds, http));
        await closedLoop(clients, settings.listWarmupSeconds, direct);
        result.sql.push(await closedLoop(clients, settings.listSeconds, direct));
      }
      const describe = (run: LoopResult[]) =>
        run.map((r) => `${r.clients}c p50 ${r.latencyMs.p50}`).join(', ');
      say(`${shape.name}: http ${describe(result.http)} ms; sql ${describe(result.sql)} ms`);
      results.shapes.push(result);
    }
    results.listPhase = {
      cpu: listCpu.stop(),
      cpuOtherTop: listCpu.topOther,
      peakRssMiB: listRss.stop(),
    };

    for (const [index, shape] of shapes.entries()) {
      const shapeResult = results.shapes[index];
      if (!shapeResult) continue;
      shapeResult.plan = await explain(
        async (text, values) => (await pool.query<Record<string, unknown>>(text, values)).rows,
        listSql.sql(shapeRequest(shape)),
      );
    }

    for (const clients of settings.createClients) {
      if (aborted) return 130;
      const create = (n: number) =>
        createIncident(gateway.url, tokens.agent, clients * 1_000_000 + n);
      results.createWarmups.push(await closedLoop(clients, settings.createWarmupSeconds, create));
      const rss = new RssSampler(pids);
      const cpu = new CpuAccount({ ...pids, loadgen: process.pid, kafka });
      rss.start();
      cpu.start();
      const run = await closedLoop(clients, settings.createSeconds, create);
      const measured: CreateResult = {
        ...run,
        cpu: cpu.stop(),
        cpuOtherTop: cpu.topOther,
        peakRssMiB: rss.stop(),
      };
      say(`creates, ${clients} clients: ${measured.perSecond}/s, p99 ${measured.latencyMs.p99} ms`);
      results.creates.push(measured);
    }
    return 0;
  } catch (error) {
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    say(results.error);
    return 1;
  } finally {
    if (aborted) await new Promise(() => undefined);
    await stopServices();
    await listSql.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    results.finishedAt = new Date().toISOString();
    results.machine.loadAverageAtEnd = loadavg().map((value) => value.toFixed(2));
    saveRun(
      { repoRoot: REPO_ROOT, runId: RUN_ID, logDir: LOG_DIR },
      results,
      renderIncidentReport(results),
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
