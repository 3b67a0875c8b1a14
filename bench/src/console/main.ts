import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { generateIncidents } from '../incident/generate';
import { IncidentListSql } from '../incident/list-sql';
import { saveRun } from '../results';
import { BenchService, freePort, issueToken, type BenchedService } from '../services';
import { numberSetting, required } from '../settings';
import { bundleSizes } from './bundle';
import {
  INSTRUMENT,
  MainThreadClock,
  apiQuiet,
  arm,
  clickTime,
  mainThreadBetween,
  markOf,
  timings,
} from './instrument';
import { timeline, transferred } from './measures';
import { measureRows, renderConsoleReport } from './report';
import { type ConsoleBenchResults, type LoadSample, type RecordSample } from './results';

/**
 * The console speed benchmark (`npm run bench -- console`, which prepares a fresh, migrated
 * database and runs this): seeds a million incidents with the incident benchmark's
 * generator, starts every service from dist/ (the gateway serving dist/console), and drives
 * Debian's Chromium with playwright-core as the seeded `agent`: cold and warm first loads
 * of the queue, the sign-in form, and record pages opened by a click on the queue; then
 * the built bundle's sizes. See docs/benchmarks-console.md.
 */

const REPO_ROOT = process.env.BENCH_REPO_ROOT ?? resolve(__dirname, '../../../..');
const RUN_ID = process.env.BENCH_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');
const LOG_DIR = process.env.BENCH_LOG_DIR ?? join(REPO_ROOT, '.local', 'bench', RUN_ID);

const count = (name: string, fallback: number) => Math.floor(numberSetting(name, fallback));
const settings = {
  incidents: count('BENCH_INCIDENTS', 1_000_000),
  firstLoads: count('BENCH_CONSOLE_FIRST_LOADS', 20),
  signIns: count('BENCH_CONSOLE_SIGN_INS', 10),
  records: count('BENCH_CONSOLE_RECORDS', 50),
  warmups: Math.floor(Number(process.env.BENCH_CONSOLE_WARMUPS ?? 2)),
  quietMs: count('BENCH_CONSOLE_QUIET_MS', 300),
  timeoutMs: count('BENCH_CONSOLE_TIMEOUT_MS', 30_000),
  queuePath: process.env.BENCH_CONSOLE_QUEUE ?? '/queue',
  user: 'agent',
  viewport: '1280x800',
};

/** What `npm start` runs: the gateway calls the other six (the record page four of them). */
const SERVICES: readonly BenchedService[] = [
  'incident',
  'problem',
  'change',
  'slm',
  'cmdb',
  'reporting',
  'gateway',
];
/** Where the console keeps the signed-in user's token (services/console/src/api/client.ts). */
const TOKEN_KEY = 'itsm.console.token';
const PASSWORD = process.env.ITSM_DEV_PASSWORD ?? 'itsm-dev';
/** Platform settings passed on to the services when set. */
const PASSED_ON = [
  'AGENT_RECORD_SCOPE',
  'DATABASE_POOL_SIZE',
  'UPSTREAM_TIMEOUT_MS',
  'CMDB_IMPACT_MAX_CIS',
  'KAFKA_CONSUMER_START',
];

const say = (message: string) => console.error(`[bench] ${message}`);
const services: BenchService[] = [];
let browser: Browser | undefined;
let aborted = false;

async function stopEverything(): Promise<void> {
  await browser?.close().catch(() => undefined);
  await Promise.all(services.map((service) => service.stop()));
}

function onSignal(signal: NodeJS.Signals): void {
  if (aborted) return;
  aborted = true;
  say(`${signal}: stopping the browser and the services`);
  void stopEverything().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}

/** Every service on a free port, each told where the others are, the gateway serving dist/console. */
async function startServices(environment: Record<string, string>): Promise<BenchService> {
  const ports = new Map<BenchedService, number>();
  for (const name of SERVICES) ports.set(name, await freePort());
  const upstreams: Record<string, string> = {};
  for (const [name, port] of ports)
    upstreams[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}`;
  for (const name of SERVICES) {
    services.push(
      BenchService.spawn(
        REPO_ROOT,
        name,
        ports.get(name) ?? 0,
        { ...environment, ...upstreams },
        LOG_DIR,
        process.env.BENCH_PID_FILE,
      ),
    );
  }
  await Promise.all(services.map((service) => service.waitUntilReady(180_000)));
  const gateway = services.find((service) => service.name === 'gateway');
  if (!gateway) throw new Error('no gateway');
  return gateway;
}

function chromiumPath(): string {
  const output = execFileSync('bash', [join(REPO_ROOT, 'deploy/local/chromium.sh'), 'ensure'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return output.trim().split('\n').pop() ?? '/usr/bin/chromium';
}

async function newContext(baseURL: string, token?: string): Promise<BrowserContext> {
  if (!browser) throw new Error('no browser');
  const [width, height] = settings.viewport.split('x').map(Number);
  const context = await browser.newContext({
    baseURL,
    viewport: { width: width ?? 1280, height: height ?? 800 },
  });
  await context.addInitScript(INSTRUMENT);
  // As if signed in in this tab: the token where the console's sign-in puts it.
  if (token)
    await context.addInitScript(
      `sessionStorage.setItem(${JSON.stringify(TOKEN_KEY)}, ${JSON.stringify(token)});`,
    );
  return context;
}

/** Navigates to the queue and waits for its records and for every API call to be answered. */
async function loadQueue(page: Page, clock: MainThreadClock): Promise<LoadSample> {
  const before = await clock.read();
  await page.goto(settings.queuePath, { waitUntil: 'commit', timeout: settings.timeoutMs });
  const rowsMs = await markOf(page, 'rows', settings.timeoutMs);
  const apiDoneMs = await apiQuiet(page, settings.quietMs, settings.timeoutMs);
  const mainThread = mainThreadBetween(before, await clock.read());
  const { navigation, resources } = await timings(page);
  return {
    rowsMs,
    apiDoneMs,
    mainThread,
    navigation,
    resources,
    transferred: transferred([navigation, ...resources]),
  };
}

const rowsOf = (page: Page) =>
  page.locator('tbody tr').filter({ has: page.locator('a[href^="/incidents/"]') });

/** Signs in with the form, from the page's sign-in screen. */
async function signIn(page: Page): Promise<void> {
  await page.getByLabel('User name').fill(settings.user);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Back on the queue (history), its records shown and its refetch answered. */
async function backToQueue(page: Page): Promise<void> {
  await page.evaluate('history.back()');
  await page.waitForURL((url) => url.pathname === '/queue', { timeout: settings.timeoutMs });
  await rowsOf(page).first().waitFor({ timeout: settings.timeoutMs });
  await apiQuiet(page, settings.quietMs, settings.timeoutMs);
}

/** Makes the queue show at least `n + 1` records, with "Load more"; false when it has no more. */
async function ensureRows(page: Page, n: number): Promise<boolean> {
  for (;;) {
    const shown = await rowsOf(page).count();
    if (shown > n) return true;
    const more = page.getByRole('button', { name: 'Load more' });
    if (!(await more.isVisible())) return false;
    await more.click();
    await rowsOf(page).nth(shown).waitFor({ timeout: settings.timeoutMs });
    await apiQuiet(page, settings.quietMs, settings.timeoutMs);
  }
}

async function recordSample(
  page: Page,
  clock: MainThreadClock,
  index: number,
): Promise<RecordSample> {
  await page.evaluate('performance.clearResourceTimings()');
  const shown = await rowsOf(page).count();
  const row = (await ensureRows(page, index))
    ? rowsOf(page).nth(index)
    : rowsOf(page).nth(index % shown);
  const link = row.locator('a[href^="/incidents/"]');
  const number = ((await link.textContent()) ?? '').trim();
  await arm(page, 'record', `${number} · `);
  const before = await clock.read();
  await link.click({ timeout: settings.timeoutMs });
  const clickAt = await clickTime(page);
  const titleAt = await markOf(page, 'record', settings.timeoutMs);
  const lastApiAt = await apiQuiet(page, settings.quietMs, settings.timeoutMs);
  const mainThread = mainThreadBetween(before, await clock.read());
  const { resources } = await timings(page, clickAt);
  return {
    number,
    mainThread,
    titleMs: titleAt - clickAt,
    cardsMs: Math.max(lastApiAt, titleAt) - clickAt,
    clickAt,
    resources,
  };
}

const errorText = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

async function measure(gatewayUrl: string, results: ConsoleBenchResults): Promise<void> {
  const token = await issueToken(gatewayUrl, settings.user);
  const fail = (name: string, error: unknown) => {
    (results.failures[name] ??= []).push(errorText(error));
    say(`${name} failed: ${errorText(error)}`);
  };

  for (let i = 0; i < settings.warmups; i += 1) {
    const context = await newContext(gatewayUrl, token);
    const page = await context.newPage();
    await loadQueue(page, await MainThreadClock.attach(page)).catch((error: unknown) =>
      fail('warm-up', error),
    );
    await context.close();
  }

  results.machine.loadAverage.firstLoads = loadavg().map((value) => value.toFixed(2));
  for (let i = 0; i < settings.firstLoads && !aborted; i += 1) {
    // A context of its own: an empty HTTP cache, as a browser that never opened the console.
    const context = await newContext(gatewayUrl, token);
    const page = await context.newPage();
    try {
      const clock = await MainThreadClock.attach(page);
      results.coldLoads.push(await loadQueue(page, clock));
      try {
        results.warmLoads.push(await loadQueue(page, clock));
      } catch (error) {
        fail('warm', error);
      }
    } catch (error) {
      fail('cold', error);
    }
    await context.close();
  }
  say(
    `first loads: ${results.coldLoads.map((s) => s.rowsMs.toFixed(0)).join(' ')} ms (cold), ` +
      `${results.warmLoads.map((s) => s.rowsMs.toFixed(0)).join(' ')} ms (warm)`,
  );

  results.machine.loadAverage.signIns = loadavg().map((value) => value.toFixed(2));
  for (let i = 0; i < settings.signIns && !aborted; i += 1) {
    const context = await newContext(gatewayUrl);
    const page = await context.newPage();
    try {
      await page.goto(settings.queuePath, { waitUntil: 'commit', timeout: settings.timeoutMs });
      const formMs = await markOf(page, 'signIn', settings.timeoutMs);
      await signIn(page);
      const clickAt = await clickTime(page);
      const rowsAt = await markOf(page, 'rows', settings.timeoutMs);
      results.signIns.push({ formMs, clickToRowsMs: rowsAt - clickAt });
    } catch (error) {
      fail('signIn', error);
    }
    await context.close();
  }

  results.machine.loadAverage.records = loadavg().map((value) => value.toFixed(2));
  const context = await newContext(gatewayUrl);
  const page = await context.newPage();
  const clock = await MainThreadClock.attach(page);
  await page.goto(settings.queuePath, { waitUntil: 'commit', timeout: settings.timeoutMs });
  await markOf(page, 'signIn', settings.timeoutMs);
  await signIn(page);
  await markOf(page, 'rows', settings.timeoutMs);
  await apiQuiet(page, settings.quietMs, settings.timeoutMs);
  for (let i = 0; i < settings.records && !aborted; i += 1) {
    try {
      results.records.push(await recordSample(page, clock, i));
      await backToQueue(page);
    } catch (error) {
      fail('record', error);
      await page.goto(settings.queuePath, { waitUntil: 'commit' }).catch(() => undefined);
      await markOf(page, 'rows', settings.timeoutMs).catch(() => undefined);
    }
  }
  const numbers = new Set(results.records.map((sample) => sample.number));
  say(
    `record pages: ${results.records.map((s) => s.titleMs.toFixed(0)).join(' ')} ms ` +
      `(${numbers.size} different records)`,
  );
  await context.close();
}

async function main(): Promise<number> {
  const databaseUrl = required('BENCH_DATABASE_URL');
  mkdirSync(LOG_DIR, { recursive: true });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const results: ConsoleBenchResults = {
    runId: RUN_ID,
    startedAt: new Date().toISOString(),
    settings,
    machine: {
      cores: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? '?',
      chromium: '?',
      loadAverage: { start: loadavg().map((value) => value.toFixed(2)) },
    },
    services: [...SERVICES],
    coldLoads: [],
    warmLoads: [],
    signIns: [],
    records: [],
    failures: {},
    measures: [],
    coldTimeline: [],
    recordTimeline: [],
  };
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  try {
    results.bundle = bundleSizes(join(REPO_ROOT, 'dist/console'));
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM incident.records');
    results.incidentsAtStart = Number(rows[0]?.n ?? 0);
    if (process.env.BENCH_KEEP_DATABASE === '1' && results.incidentsAtStart > 0) {
      // An earlier run's incidents, measured again (the generator wants an empty table).
      say(`keeping the ${results.incidentsAtStart} incidents an earlier run generated`);
    } else {
      say(
        `generating ${settings.incidents} incidents in PostgreSQL (the incident benchmark's generator)`,
      );
      const listSql = await IncidentListSql.open(REPO_ROOT, databaseUrl);
      const { searchLanguage } = listSql;
      await listSql.close();
      results.generation = await generateIncidents(pool, settings.incidents, searchLanguage);
      say(`generated in ${results.generation.totalSeconds} s`);
    }
    if (aborted) return 130;

    const environment: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: required('KAFKA_BROKERS'),
      KAFKA_CONSUMER_GROUP_PREFIX: required('BENCH_GROUP_PREFIX'),
      // New groups start at the topics' ends: not every earlier run's events of a shared broker.
      KAFKA_CONSUMER_START: 'latest',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
    };
    for (const [name, value] of Object.entries(process.env)) {
      if (!value) continue;
      if ((name.startsWith('ITSM_') && name !== 'ITSM_STATE_DIR') || PASSED_ON.includes(name))
        environment[name] = value;
    }
    results.machine.loadAverage.services = loadavg().map((value) => value.toFixed(2));
    say(`starting ${SERVICES.join(', ')} (logs in ${LOG_DIR})`);
    const gateway = await startServices(environment);

    const executablePath = chromiumPath();
    browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
    results.machine.chromium = `Chromium ${browser.version()} (headless, ${executablePath})`;
    await measure(gateway.url, results);
    return Object.values(results.failures).some((list) => list.length > 0) ? 1 : 0;
  } catch (error) {
    results.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
    say(results.error);
    return 1;
  } finally {
    if (aborted) await new Promise(() => undefined);
    await stopEverything();
    await pool.end().catch(() => undefined);
    results.finishedAt = new Date().toISOString();
    results.machine.loadAverage.end = loadavg().map((value) => value.toFixed(2));
    results.measures = measureRows(results);
    results.coldTimeline = timeline(
      results.coldLoads.map((load) => ({
        zero: 0,
        resources: [load.navigation, ...load.resources],
      })),
    );
    results.recordTimeline = timeline(
      results.records.map((sample) => ({ zero: sample.clickAt, resources: sample.resources })),
    );
    saveRun(
      { repoRoot: REPO_ROOT, runId: RUN_ID, logDir: LOG_DIR },
      results,
      renderConsoleReport(results),
    );
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    void stopEverything().finally(() => process.exit(1));
  },
);
