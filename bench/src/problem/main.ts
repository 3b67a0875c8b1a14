import { mkdirSync, readFileSync } from 'node:fs';
import { saveRun } from '../results';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { Topics, deadLetterTopic } from '@itsm/contracts';
import { closedLoop, type Outcome } from '../incident/closed-loop';
import { nameUuid } from '../incident/dataset';
import { startGroupAtTopicEnds, topicSize } from '../kafka';
import { CpuAccount, RssSampler, findProcess } from '../proc';
import { BenchService, freePort, issueToken } from '../services';
import { numberSetting, required } from '../settings';
import { buildEvents, measureEvents } from './events';
import { generateProblemDataset } from './generate';
import { measureBulkLinks } from './links';
import { renderProblemReport } from './report';
import { type PhaseUsage, type ProblemBenchResults } from './results';
import { measureRuleQueries } from './rules';
import { searchPath, searchShapes, type SearchShapeResult } from './search';
import { ProblemServiceSql, explain } from './service-sql';

/**
 * The problem benchmark (`npm run bench -- problem`, which prepares a fresh, migrated
 * database and runs this): generates a year of problem management in PostgreSQL (problems,
 * the incident copy, links, known errors), starts gateway and problem from `dist/`, then
 * measures the known-error search through the gateway, bulk links of 1,000 incidents, and
 * how fast the problem service applies incident events with the candidate rules at that
 * size. See docs/benchmarks-problem.md.
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

const settings = {
  problems: numberSetting('BENCH_PROBLEM_PROBLEMS', 100_000),
  incidents: numberSetting('BENCH_PROBLEM_INCIDENTS', 1_000_000),
  linked: numberSetting('BENCH_PROBLEM_LINKED', 300_000),
  knownErrors: numberSetting('BENCH_PROBLEM_KNOWN_ERRORS', 50_000),
  searchClients: counts('BENCH_PROBLEM_SEARCH_CLIENTS', '1,4'),
  searchSeconds: numberSetting('BENCH_PROBLEM_SEARCH_SECONDS', 5),
  searchWarmupSeconds: numberSetting('BENCH_PROBLEM_SEARCH_WARMUP_S', 1),
  linkSize: numberSetting('BENCH_PROBLEM_LINK_SIZE', 1000),
  linkRepeats: numberSetting('BENCH_PROBLEM_LINK_REPEATS', 10),
  events: numberSetting('BENCH_PROBLEM_EVENTS', 5000),
  /** The event phase gives up when no event was applied for this long. */
  eventStallSeconds: numberSetting('BENCH_PROBLEM_EVENTS_STALL_S', 60),
  seed: numberSetting('BENCH_PROBLEM_SEED', 16),
};

/** Records whose search document is rebuilt by the service's own code to check the generator's. */
const SEARCH_DOCUMENT_SAMPLE = 50;

/** Runs of events whose rule queries are timed one by one after the event phase. */
const RULE_SAMPLES = 20;
/** Events per timed run: a busy partition's run as the consumer reads it. */
const RULE_RUN_SIZE = 100;

/** Platform settings a run may override (recorded in the results); everything else is the default. */
const PASSED_THROUGH = [
  'DATABASE_POOL_SIZE',
  'OUTBOX_POLL_INTERVAL_MS',
  'OUTBOX_BATCH_SIZE',
  'KAFKA_SESSION_TIMEOUT_MS',
  'KAFKA_CONSUMER_CONCURRENCY',
  'UPSTREAM_TIMEOUT_MS',
  'RATE_LIMIT_PER_MINUTE',
  'PROBLEM_CANDIDATE_RULES',
  'PROBLEM_CANDIDATE_THRESHOLD',
  'PROBLEM_CANDIDATE_WINDOW',
];

const say = (message: string) => console.error(`[bench problem] ${message}`);
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

/** Problem and gateway from dist/, the gateway pointed at this problem service; only the gateway signs identities. */
async function startGatewayAndProblem(
  environment: Record<string, string>,
): Promise<{ gateway: BenchService; problem: BenchService }> {
  const { ITSM_INTERNAL_IDENTITY_SIGNING_KEY: signingKey, ...others } = environment;
  const problemPort = await freePort();
  const gatewayPort = await freePort();
  const pidFile = process.env.BENCH_PID_FILE;
  const problem = BenchService.spawn(REPO_ROOT, 'problem', problemPort, others, LOG_DIR, pidFile);
  services.push(problem);
  const gateway = BenchService.spawn(
    REPO_ROOT,
    'gateway',
    gatewayPort,
    {
      ...others,
      ...(signingKey ? { ITSM_INTERNAL_IDENTITY_SIGNING_KEY: signingKey } : {}),
      PROBLEM_URL: problem.url,
    },
    LOG_DIR,
    pidFile,
  );
  services.push(gateway);
  await Promise.all([problem.waitUntilReady(), gateway.waitUntilReady()]);
  return { gateway, problem };
}

async function get(url: string, token: string): Promise<Outcome> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  return response.ok ? true : String(response.status);
}

/** Items on the page a search answers (for the report: that the shape finds something). */
async function itemsOf(url: string, token: string): Promise<number | undefined> {
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) return undefined;
  const body = (await response.json()) as { items?: unknown[] };
  return body.items?.length;
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
    max: 2,
    application_name: 'itsm-bench-problem',
  });
  const { rows: pgSettings } = await pool.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings
     WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size',
                    'random_page_cost', 'max_parallel_workers_per_gather', 'jit')`,
  );
  const results: ProblemBenchResults = {
    runId: RUN_ID,
    startedAt: new Date().toISOString(),
    settings,
    machine: {
      cores: availableParallelism(),
      cpuModel: cpuModel(),
      memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
      node: process.version,
      loadAverageAtStart: loadavg().map((value) => value.toFixed(2)),
      postgres: Object.fromEntries(pgSettings.map((row) => [row.name, row.setting])),
    },
    search: [],
    logs: {},
  };
  const serviceSql = await ProblemServiceSql.open(REPO_ROOT, databaseUrl);
  try {
    say(
      `generating ${settings.problems} problems, ${settings.incidents} incident copies ` +
        `(${settings.linked} linked) and ${settings.knownErrors} known errors in PostgreSQL`,
    );
    results.generation = await generateProblemDataset(
      pool,
      {
        problems: settings.problems,
        incidents: settings.incidents,
        linked: settings.linked,
        knownErrors: settings.knownErrors,
      },
      serviceSql.searchLanguage,
    );
    say(`generated in ${results.generation.totalSeconds} s`);
    const sample = (prefix: string, count: number) => [
      ...new Set(
        Array.from({ length: SEARCH_DOCUMENT_SAMPLE }, (_, k) =>
          nameUuid(`${prefix}${1 + Math.floor(((k + 0.5) * count) / SEARCH_DOCUMENT_SAMPLE)}`),
        ),
      ),
    ];
    results.searchDocumentMismatches = {
      checked: SEARCH_DOCUMENT_SAMPLE,
      problems: await serviceSql.searchDocumentMismatches(
        'problems',
        sample('bench-problem-', settings.problems),
      ),
      knownErrors: await serviceSql.searchDocumentMismatches(
        'known_errors',
        sample('bench-known-error-', settings.knownErrors),
      ),
    };
    if (aborted) return 130;

    // The problem service's consumer starts at the end of the incident topic: the events of
    // earlier runs and of other work on a shared broker are not replayed into this one.
    const consumerGroup = `${groupPrefix}.problem`;
    await startGroupAtTopicEnds(brokers, consumerGroup, [Topics.incidentEvents]);
    const environment: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers,
      KAFKA_CONSUMER_GROUP_PREFIX: groupPrefix,
      LOG_LEVEL: 'warn',
      // One benchmark user would otherwise hit the gateway's per-caller limit (1200/min).
      RATE_LIMIT_PER_MINUTE: '100000000',
    };
    for (const [name, value] of Object.entries(process.env)) {
      const platformSetting = name.startsWith('ITSM_') && name !== 'ITSM_STATE_DIR';
      if (value && (platformSetting || PASSED_THROUGH.includes(name))) environment[name] = value;
    }
    say(`starting gateway and problem (logs in ${LOG_DIR})`);
    const { gateway, problem } = await startGatewayAndProblem(environment);
    const pids = { problem: problem.pid, gateway: gateway.pid };
    const kafka = findProcess('kafka.Kafka');
    const overall = new RssSampler(pids);
    overall.start();
    results.startRssMiB = new RssSampler(pids).stop();
    const agent = await issueToken(gateway.url, 'agent');
    const problemManager = await issueToken(gateway.url, 'problem_manager');

    const phase = () => {
      const cpu = new CpuAccount({ ...pids, loadgen: process.pid, kafka });
      const rss = new RssSampler(pids);
      cpu.start();
      rss.start();
      return (): PhaseUsage => ({
        cpu: cpu.stop(),
        cpuOtherTop: cpu.topOther,
        peakRssMiB: rss.stop(),
      });
    };

    // 1. Known-error search through the gateway.
    const endSearch = phase();
    for (const shape of searchShapes()) {
      if (aborted) return 130;
      const urls = shape.variants.map((params) => `${gateway.url}${searchPath(params)}`);
      const result: SearchShapeResult = {
        name: shape.name,
        paths: shape.variants.map(searchPath),
        http: [],
        items: await itemsOf(urls[0] ?? '', agent),
      };
      const request = (sequence: number) => get(urls[sequence % urls.length] ?? '', agent);
      for (const clients of settings.searchClients) {
        await closedLoop(clients, settings.searchWarmupSeconds, request);
        result.http.push(await closedLoop(clients, settings.searchSeconds, request));
      }
      say(
        `${shape.name}: ${result.http.map((run) => `${run.clients}c p50 ${run.latencyMs.p50} p99 ${run.latencyMs.p99} ms`).join(', ')}`,
      );
      results.search.push(result);
    }
    results.searchPhase = endSearch();
    // The same searches as the service's own SQL straight to PostgreSQL, one connection:
    // what of the time above is the database's. Then the plan of each shape's first variant.
    if (serviceSql.hasKnownErrors) {
      for (const [index, shape] of searchShapes().entries()) {
        const result = results.search[index];
        if (!result || aborted) continue;
        try {
          const statements: { text: string; values: unknown[] }[] = [];
          for (const variant of shape.variants)
            statements.push(await serviceSql.searchSql(variant));
          const direct = async (sequence: number): Promise<Outcome> => {
            const statement = statements[sequence % statements.length];
            if (statement) await pool.query(statement.text, statement.values);
            return true;
          };
          await closedLoop(1, settings.searchWarmupSeconds, direct);
          result.sqlLoop = await closedLoop(1, settings.searchSeconds, direct);
          result.sql = statements[0];
          if (result.sql)
            result.plan = await explain(
              async (text, values) =>
                (await pool.query<Record<string, unknown>>(text, values)).rows,
              result.sql,
            );
        } catch (error) {
          result.planError = error instanceof Error ? error.message : String(error);
        }
      }
    }

    // 2. Bulk links of 1,000 incidents.
    if (aborted) return 130;
    say(`bulk links: ${settings.linkRepeats} x ${settings.linkSize} incidents`);
    const endLinks = phase();
    const links = await measureBulkLinks(
      pool,
      gateway.url,
      problemManager,
      settings,
      settings.linkSize,
      settings.linkRepeats,
    );
    results.links = { ...links, ...endLinks() };
    say(`bulk links: p50 ${links.latencyMs.p50} ms, p99 ${links.latencyMs.p99} ms`);

    // 3. The candidate rules under a burst of incident events.
    if (aborted) return 130;
    const load = buildEvents(settings.events, 1000 + settings.incidents + 1, RUN_ID, settings.seed);
    say(`producing ${load.events.length} incident events (${load.clusters} clusters)`);
    const endEvents = phase();
    const events = await measureEvents(
      pool,
      brokers,
      consumerGroup,
      load,
      settings.eventStallSeconds,
      say,
    );
    const usage = endEvents();
    results.events = {
      ...events,
      deadLettered: await topicSize(brokers, deadLetterTopic(consumerGroup)),
      ...usage,
    };
    say(
      `events: ${events.applied} applied at ${events.consumerPerSecond}/s, ${events.candidatesOpened} candidates opened`,
    );
    results.ruleCost = await measureRuleQueries(
      serviceSql,
      pool,
      load.events,
      RULE_SAMPLES,
      RULE_RUN_SIZE,
    );
    results.peakRssMiB = overall.stop();
    return 0;
  } catch (error) {
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    say(results.error);
    return 1;
  } finally {
    if (aborted) await new Promise(() => undefined);
    await stopServices();
    for (const service of services) results.logs[service.name] = service.logSummary();
    await serviceSql.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    results.finishedAt = new Date().toISOString();
    results.machine.loadAverageAtEnd = loadavg().map((value) => value.toFixed(2));
    saveRun(
      { repoRoot: REPO_ROOT, runId: RUN_ID, logDir: LOG_DIR },
      results,
      renderProblemReport(results),
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
