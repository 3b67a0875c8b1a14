import { execSync } from 'node:child_process';
import { saveRun } from '../results';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { InternalIdentitySigner, loadSigningKey } from '@itsm/auth';
import { Topics } from '@itsm/contracts';
import { seededRandom } from '../ci-graph';
import { compareImpact, noMismatch, type ServiceAnswer } from '../cmdb/impact-comparison';
import { ciId } from '../incident/dataset';
import { startGroupAtTopicEnds } from '../kafka';
import { RssSampler } from '../proc';
import { BenchService, freePort, issueToken } from '../services';
import { numberSetting, required } from '../settings';
import { distribution, round } from '../stats';
import { loadGraph } from './graph';
import {
  CmdbImpact,
  OPEN_STATES,
  explainGroupRecord,
  explainOverlapping,
  groupRecord,
  measureRequests,
  overlapping,
  windowExpansion,
  windowsBetween,
  type Sample,
} from './measure';
import { renderChangeReport } from './report';
import { type Breakdown, type ChangeBenchResults, type GraphCheck } from './results';
import { seedChanges } from './seed';
import { createWindows, windowBodies } from './windows';

/**
 * The change benchmark (`npm run bench -- change`, which prepares a fresh, migrated
 * database and runs this): the CMDB benchmark's graph of a million CIs and two years of
 * change management (200,000 changes, their windows) loaded with SQL, then cmdb, change and
 * gateway started from `dist/` and, through the gateway as `change_manager`, one request at
 * a time: the conflicts of a change with 10 CIs, the schedule of one month, and a change's
 * risk with its blast radius, each against its goal (issue 17), with where the time goes.
 * See docs/benchmarks-change.md.
 */

const REPO_ROOT = process.env.BENCH_REPO_ROOT ?? resolve(__dirname, '../../../..');
const RUN_ID = process.env.BENCH_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');
const LOG_DIR = process.env.BENCH_LOG_DIR ?? join(REPO_ROOT, '.local', 'bench', RUN_ID);

const settings = {
  cis: numberSetting('BENCH_CHANGE_CIS', 1_000_000),
  relationshipsPerCi: numberSetting('BENCH_CHANGE_RELATIONSHIPS_PER_CI', 3),
  /** CIs per (simulated) import request, as the CMDB benchmark imports: relationships point into the CIs known by then. */
  graphBatch: numberSetting('BENCH_CHANGE_GRAPH_BATCH', 1000),
  changes: numberSetting('BENCH_CHANGE_COUNT', 200_000),
  maintenanceWindows: numberSetting('BENCH_CHANGE_MAINTENANCE_WINDOWS', 200),
  blackouts: numberSetting('BENCH_CHANGE_BLACKOUTS', 20),
  samples: numberSetting('BENCH_CHANGE_SAMPLES', 200),
  warmup: numberSetting('BENCH_CHANGE_WARMUP', 10),
  graphChecks: numberSetting('BENCH_CHANGE_GRAPH_CHECKS', 20),
  seed: numberSetting('BENCH_CHANGE_SEED', 42),
};

/** Issue 17's goals, p99 through the gateway. */
export const GOALS = { conflicts: 50, schedule: 100, risk: 100 } as const;
/** The change service's defaults (the benchmark does not set them): CHANGE_CONFLICT_DEPENDENCY_HOPS, the blast radius depth. */
const DEPENDENCY_HOPS = 2;
const BLAST_RADIUS_DEPTH = 3;

const PASSED_THROUGH = [
  'DATABASE_POOL_SIZE',
  'UPSTREAM_TIMEOUT_MS',
  'CHANGE_CMDB_TIMEOUT_MS',
  'CHANGE_CONFLICT_DEPENDENCY_HOPS',
  'CMDB_IMPACT_MAX_CIS',
];

const say = (message: string) =>
  console.error(`[bench change ${new Date().toISOString().slice(11, 19)}] ${message}`);
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

function commit(): string {
  try {
    return execSync('git rev-parse --short HEAD', { cwd: REPO_ROOT }).toString().trim();
  } catch {
    return 'unknown';
  }
}

/** cmdb, change and gateway from dist/: the change service calls this cmdb, the gateway routes to both; only the gateway signs identities. */
async function startServices(
  environment: Record<string, string>,
): Promise<{ cmdb: BenchService; change: BenchService; gateway: BenchService }> {
  const { ITSM_INTERNAL_IDENTITY_SIGNING_KEY: signingKey, ...others } = environment;
  const pidFile = process.env.BENCH_PID_FILE;
  const cmdb = BenchService.spawn(REPO_ROOT, 'cmdb', await freePort(), others, LOG_DIR, pidFile);
  services.push(cmdb);
  const change = BenchService.spawn(
    REPO_ROOT,
    'change',
    await freePort(),
    { ...others, CMDB_URL: cmdb.url },
    LOG_DIR,
    pidFile,
  );
  services.push(change);
  const gateway = BenchService.spawn(
    REPO_ROOT,
    'gateway',
    await freePort(),
    {
      ...others,
      ...(signingKey ? { ITSM_INTERNAL_IDENTITY_SIGNING_KEY: signingKey } : {}),
      CHANGE_URL: change.url,
      CMDB_URL: cmdb.url,
    },
    LOG_DIR,
    pidFile,
  );
  services.push(gateway);
  await Promise.all(services.map((service) => service.waitUntilReady()));
  return { cmdb, change, gateway };
}

/** A few upstream impact answers through the gateway against the recursive SQL reference: the cmdb service reads the loaded graph as its own. */
async function checkGraph(pool: Pool, gatewayUrl: string, token: string): Promise<GraphCheck> {
  const random = seededRandom(settings.seed + 7);
  let disagreements = 0;
  let truncated = 0;
  const reached: number[] = [];
  for (let check = 0; check < settings.graphChecks; check += 1) {
    const start = ciId(Math.floor(random() * settings.cis));
    const response = await fetch(
      `${gatewayUrl}/api/v1/cis/${start}/impact?direction=upstream&depth=3&limit=20000`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    if (!response.ok) {
      disagreements += 1;
      say(`graph check: impact of ${start} answered ${response.status} ${await response.text()}`);
      continue;
    }
    const answer = (await response.json()) as ServiceAnswer;
    const { rows } = await pool.query<{ id: string; distance: number }>(
      `WITH RECURSIVE walk(id, depth) AS (
         SELECT $1::uuid, 0
         UNION
         SELECT edge.dependent_id, walk.depth + 1
           FROM walk JOIN cmdb.ci_dependencies AS edge ON edge.dependency_id = walk.id
          WHERE walk.depth < 3)
       SELECT id, min(depth) AS distance FROM walk WHERE id <> $1::uuid GROUP BY id`,
      [start],
    );
    const mismatch = compareImpact(
      start,
      answer.items,
      answer.truncated,
      new Map(rows.map((row) => [row.id, Number(row.distance)])),
    );
    if (!noMismatch(mismatch)) disagreements += 1;
    if (answer.truncated) truncated += 1;
    reached.push(answer.items.length);
  }
  return {
    checked: settings.graphChecks,
    disagreements,
    meanReached: round(reached.reduce((sum, value) => sum + value, 0) / (reached.length || 1), 1),
    truncated,
  };
}

/** `count` draws from `pool`, without repeats while the pool lasts. */
function draw<T>(pool: readonly T[], count: number, random: () => number): T[] {
  const shuffled = [...pool];
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [shuffled[index], shuffled[other]] = [shuffled[other], shuffled[index]];
  }
  return Array.from({ length: count }, (_, index) => shuffled[index % shuffled.length]);
}

/** The first instant of each calendar month (UTC) the planned windows touch. */
function monthsOf(from: Date, to: Date): Date[] {
  const months: Date[] = [];
  for (
    let month = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1));
    month < to;
    month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1))
  )
    months.push(month);
  return months;
}

const nextMonth = (month: Date) =>
  new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1));

interface SampledChange {
  id: string;
  ci_ids: string[];
  business_service_ids: string[];
  planned_start: Date;
  planned_end: Date;
  assignment_group: string;
}

async function main(): Promise<number> {
  const databaseUrl = required('BENCH_DATABASE_URL');
  const brokers = required('KAFKA_BROKERS');
  const groupPrefix = required('BENCH_GROUP_PREFIX');
  const signingKey = await loadSigningKey(
    required('ITSM_INTERNAL_IDENTITY_SIGNING_KEY'),
    'ITSM_INTERNAL_IDENTITY_SIGNING_KEY',
  );
  mkdirSync(LOG_DIR, { recursive: true });
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const pool = new Pool({
    connectionString: databaseUrl,
    max: 2,
    application_name: 'itsm-bench-change',
  });
  const { rows: pgSettings } = await pool.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings
     WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'effective_cache_size',
                    'random_page_cost', 'max_parallel_workers_per_gather', 'jit')`,
  );
  const results: ChangeBenchResults = {
    runId: RUN_ID,
    commit: commit(),
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
    requests: [],
    breakdowns: [],
    plans: {},
    logs: {},
  };
  try {
    // 1. The graph and the changes, with SQL.
    const client = await pool.connect();
    try {
      say(
        `loading the graph: ${settings.cis} CIs, ${settings.relationshipsPerCi} relationships each`,
      );
      const graph = await loadGraph(
        client,
        {
          cis: settings.cis,
          relationshipsPerCi: settings.relationshipsPerCi,
          batch: settings.graphBatch,
          seed: settings.seed,
        },
        say,
      );
      const vacuumStarted = performance.now();
      for (const table of ['ci_dependencies', 'cis', 'relationships', 'ci_identifiers'])
        await client.query(`VACUUM (ANALYZE) cmdb.${table}`);
      results.graph = {
        ...graph,
        vacuumSeconds: round((performance.now() - vacuumStarted) / 1000, 1) ?? 0,
      };
      if (aborted) return 130;
      await client.query(`SELECT setseed($1)`, [(settings.seed % 1000) / 1000]);
      say(`seeding ${settings.changes} changes`);
      results.seed = await seedChanges(
        client,
        { changes: settings.changes, cis: settings.cis },
        say,
      );
    } finally {
      client.release();
    }
    if (aborted) return 130;

    // 2. The services. Their consumers start at the ends of the topics they read (the shared
    // broker holds other work's events); their outbox relays are off (nothing this run
    // writes needs publishing, and the shared broker is not flooded).
    await startGroupAtTopicEnds(brokers, `${groupPrefix}.change`, [Topics.cmdbEvents]);
    await startGroupAtTopicEnds(brokers, `${groupPrefix}.cmdb`, [Topics.changeEvents]);
    const environment: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: brokers,
      KAFKA_CONSUMER_GROUP_PREFIX: groupPrefix,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
      OUTBOX_RELAY_ENABLED: 'false',
    };
    for (const [name, value] of Object.entries(process.env)) {
      const platformSetting = name.startsWith('ITSM_') && name !== 'ITSM_STATE_DIR';
      if (value && (platformSetting || PASSED_THROUGH.includes(name))) environment[name] = value;
    }
    say(`starting cmdb, change and gateway (logs in ${LOG_DIR})`);
    const { cmdb, change, gateway } = await startServices(environment);
    const memory = new RssSampler({ change: change.pid, cmdb: cmdb.pid, gateway: gateway.pid });
    memory.start();
    const token = await issueToken(gateway.url, 'change_manager');

    // 3. The graph as the cmdb service reads it, then the windows through the API.
    results.graphCheck = await checkGraph(pool, gateway.url, token);
    say(
      `graph check: ${results.graphCheck.disagreements} of ${results.graphCheck.checked} impact answers disagree with SQL`,
    );
    const now = new Date();
    results.windows = await createWindows(
      gateway.url,
      token,
      windowBodies(
        now,
        settings.cis,
        settings.maintenanceWindows,
        settings.blackouts,
        settings.seed,
      ),
    );
    await pool.query('ANALYZE change.change_windows');
    say(`windows: ${JSON.stringify(results.windows)}`);
    if (aborted) return 130;

    // 4. The samples.
    const random = seededRandom(settings.seed + 1);
    const columns = `id, ci_ids, business_service_ids, planned_start, planned_end, assignment_group`;
    const open = (
      await pool.query<SampledChange>(
        `SELECT ${columns} FROM change.changes
          WHERE cardinality(ci_ids) = 10 AND state = ANY($1) ORDER BY number`,
        [OPEN_STATES],
      )
    ).rows;
    const assessed = (
      await pool.query<SampledChange>(
        `SELECT ${columns} FROM change.changes
          WHERE cardinality(ci_ids) = 10 AND model IN ('normal', 'emergency') ORDER BY number`,
      )
    ).rows;
    const conflictChanges = draw(open, settings.samples, random);
    const riskChanges = draw(assessed, settings.samples, random);
    const seedFacts = results.seed;
    const months = monthsOf(
      new Date(seedFacts?.plannedFrom ?? now),
      new Date(seedFacts?.plannedTo ?? now),
    );
    const scheduleMonths = Array.from(
      { length: settings.samples },
      () => months[Math.floor(random() * months.length)],
    );
    const schedulePath = (month: Date) =>
      `/api/v1/changes/schedule?from=${month.toISOString()}&to=${nextMonth(month).toISOString()}`;
    const length = (key: string) => (body: unknown) =>
      ((body as Record<string, unknown[]>)[key] ?? []).length;

    results.machine.loadAverageAtMeasure = loadavg().map((value) => value.toFixed(2));
    say(
      `measuring: ${settings.samples} samples each (${open.length} open 10-CI changes to draw from)`,
    );
    const read = await measureRequests(
      'GET change (floor)',
      gateway.url,
      token,
      conflictChanges.map((item) => ({ path: `/api/v1/changes/${item.id}`, count: () => 1 })),
      settings.warmup,
    );
    const conflicts = await measureRequests(
      'conflicts, 10 CIs',
      gateway.url,
      token,
      conflictChanges.map((item): Sample => ({
        path: `/api/v1/changes/${item.id}/conflicts`,
        count: length('conflicts'),
      })),
      settings.warmup,
      GOALS.conflicts,
    );
    say(
      `conflicts: p50 ${round(conflicts.latencyMs.p50)} p99 ${round(conflicts.latencyMs.p99)} ms`,
    );
    const schedule = await measureRequests(
      'schedule, one month',
      gateway.url,
      token,
      scheduleMonths.map((month): Sample => ({
        path: schedulePath(month),
        count: length('changes'),
      })),
      settings.warmup,
      GOALS.schedule,
    );
    say(`schedule: p50 ${round(schedule.latencyMs.p50)} p99 ${round(schedule.latencyMs.p99)} ms`);
    const risk = await measureRequests(
      'risk with blast radius',
      gateway.url,
      token,
      riskChanges.map((item): Sample => ({
        path: `/api/v1/changes/${item.id}/risk`,
        count: (body) =>
          ((body as { sources?: { source: string; reasons: string[] }[] }).sources ?? []).find(
            (source) => source.source === 'blast_radius',
          )?.reasons.length ?? 0,
      })),
      settings.warmup,
      GOALS.risk,
    );
    say(`risk: p50 ${round(risk.latencyMs.p50)} p99 ${round(risk.latencyMs.p99)} ms`);
    results.requests.push(conflicts, schedule, risk, read);

    // The schedule split: months with the open changes of the weeks around the run, the rest.
    const busyFrom = new Date(now.getTime() - 31 * 86_400_000);
    const busy = scheduleMonths.filter((month) => nextMonth(month) > busyFrom);
    const quiet = scheduleMonths.filter((month) => nextMonth(month) <= busyFrom);
    for (const [name, list] of [
      ['schedule, months around the run', busy],
      ['schedule, earlier months', quiet],
    ] as const)
      if (list.length > 0)
        results.requests.push(
          await measureRequests(
            name,
            gateway.url,
            token,
            list.map((month): Sample => ({ path: schedulePath(month), count: length('changes') })),
            Math.min(settings.warmup, list.length),
            GOALS.schedule,
          ),
        );

    // 5. Where the time goes: the parts replayed one at a time.
    say('replaying the parts');
    const impact = new CmdbImpact(
      cmdb.url,
      new InternalIdentitySigner(signingKey, { ttlSeconds: 30 }),
    );
    const expand = await windowExpansion(REPO_ROOT);
    const conflictParts = {
      overlapSql: [] as number[],
      windowsSql: [] as number[],
      windowExpansion: [] as number[],
    };
    const conflictCounts = {
      overlapping: [] as number[],
      theirCis: [] as number[],
      windows: [] as number[],
      occurrences: [] as number[],
    };
    // The CMDB walks, over the samples where another open change overlaps only (the others
    // make no CMDB call), and each sample's figures in order (null: not walked).
    const walkParts = {
      cmdbWalks: [] as number[],
      cmdbWalksTogether: [] as number[],
      cmdbWalksPerCiBefore89bacb8: [] as number[],
    };
    const walkCounts = { walks: [] as number[], listedTogether: [] as number[] };
    const walkPerSample = {
      cmdbWalks: [] as (number | null)[],
      cmdbWalksPerCiBefore89bacb8: [] as (number | null)[],
      listedInPart: [] as (number | null)[],
    };
    for (const [index, item] of conflictChanges.entries()) {
      const others = await overlapping(pool, item.planned_start, item.planned_end, item.id);
      conflictParts.overlapSql.push(others.ms);
      const windows = await windowsBetween(pool, item.planned_start, item.planned_end);
      conflictParts.windowsSql.push(windows.ms);
      const expanded = expand(windows.rows, item.planned_start, item.planned_end);
      conflictParts.windowExpansion.push(expanded.ms);
      conflictCounts.windows.push(windows.rows.length);
      conflictCounts.occurrences.push(expanded.occurrences);
      const theirs = new Set(others.rows.flatMap((row) => row.ci_ids));
      conflictCounts.overlapping.push(others.rows.length);
      conflictCounts.theirCis.push(theirs.size);
      if (theirs.size > 0) {
        // What the service does now (two walks from all CIs together, per-CI walks only when
        // one stopped at the cap), and, for comparison on the same samples under the same
        // load, the 20 per-CI walks it made before 89bacb8; which goes first alternates, so
        // that neither always finds the other's pages cached.
        const together = () =>
          impact.dependencyWalksTogether(item.ci_ids, DEPENDENCY_HOPS, [...theirs]);
        const perCi = () => impact.dependencyWalks(item.ci_ids, DEPENDENCY_HOPS);
        let current: Awaited<ReturnType<typeof together>>;
        let before: Awaited<ReturnType<typeof perCi>>;
        if (index % 2 === 0) {
          current = await together();
          before = await perCi();
        } else {
          before = await perCi();
          current = await together();
        }
        walkParts.cmdbWalks.push(current.ms);
        walkParts.cmdbWalksTogether.push(current.togetherMs);
        walkParts.cmdbWalksPerCiBefore89bacb8.push(before.ms);
        walkCounts.walks.push(current.walks);
        walkCounts.listedTogether.push(current.listed);
        walkPerSample.cmdbWalks.push(round(current.ms, 2));
        walkPerSample.cmdbWalksPerCiBefore89bacb8.push(round(before.ms, 2));
        walkPerSample.listedInPart.push(current.listedInPart ? 1 : 0);
      } else {
        walkPerSample.cmdbWalks.push(null);
        walkPerSample.cmdbWalksPerCiBefore89bacb8.push(null);
        walkPerSample.listedInPart.push(null);
      }
    }
    const breakdown = (
      name: string,
      parts: Record<string, number[]>,
      counts: Record<string, number[]>,
      extra: Pick<Breakdown, 'tallies' | 'perSample'> = {},
    ): Breakdown => ({
      name,
      ...extra,
      samples: Object.values(parts)[0]?.length ?? 0,
      parts: Object.fromEntries(
        Object.entries(parts).map(([key, values]) => [key, distribution(values)]),
      ),
      counts: Object.fromEntries(
        Object.entries(counts).map(([key, values]) => [key, distribution(values)]),
      ),
    });
    // The conflicts measured through the gateway, split by whether the change service had
    // to ask the CMDB (another open change overlapped, so its CIs were walked from), and the
    // walked ones by whether the two walks together were listed in part (so the service
    // walked from each CI as well).
    const inPart = walkPerSample.listedInPart;
    const walked = conflicts.raw.filter((_, index) => inPart[index] !== null);
    const notWalked = conflicts.raw.filter((_, index) => inPart[index] === null);
    const listedWhole = conflicts.raw.filter((_, index) => inPart[index] === 0);
    const fellBack = conflicts.raw.filter((_, index) => inPart[index] === 1);
    for (const [name, list] of [
      ['conflicts, another change overlaps (CMDB walked)', walked],
      ['conflicts, walked, the two walks together listed it whole', listedWhole],
      ['conflicts, walked, a walk stopped at the cap (per-CI walks too)', fellBack],
      ['conflicts, nothing overlaps (no CMDB call)', notWalked],
    ] as const) {
      const values = list.filter((value): value is number => value !== null);
      if (values.length > 0)
        results.requests.push({
          ...conflicts,
          name,
          samples: list.length,
          latencyMs: distribution(values),
          perSecond: null,
          // Not split: the answers' sizes and counts are the whole sample's.
          answerKiB: distribution([]),
          items: distribution([]),
          raw: list,
        });
    }
    results.breakdowns.push(
      breakdown(
        "conflicts (overlap SQL: the open changes overlapping it; windows SQL; the service's window expansion)",
        conflictParts,
        conflictCounts,
      ),
      breakdown(
        'conflicts, the CMDB dependency walks straight to cmdb, over the samples another open change overlaps (cmdbWalks: as the service makes them, two from all CIs together in parallel listing only the CIs of the other changes and, when either stopped at the cap, 2 per CI, 4 in flight; cmdbWalksTogether: the two alone; cmdbWalksPerCiBefore89bacb8: 2 per CI, 4 in flight, listing the nearest CIs, as the service made them before 89bacb8)',
        walkParts,
        walkCounts,
        {
          tallies: {
            'walks from all CIs together stopped at the cap (the service walks from each CI too)':
              fellBack.length,
          },
          perSample: walkPerSample,
        },
      ),
    );
    const scheduleParts = {
      overlapSql: [] as number[],
      windowsSql: [] as number[],
      windowExpansion: [] as number[],
    };
    const scheduleCounts = {
      changes: [] as number[],
      windows: [] as number[],
      occurrences: [] as number[],
    };
    for (const month of scheduleMonths) {
      const changes = await overlapping(pool, month, nextMonth(month), null);
      scheduleParts.overlapSql.push(changes.ms);
      const windows = await windowsBetween(pool, month, nextMonth(month));
      scheduleParts.windowsSql.push(windows.ms);
      const expanded = expand(windows.rows, month, nextMonth(month));
      scheduleParts.windowExpansion.push(expanded.ms);
      scheduleCounts.changes.push(changes.rows.length);
      scheduleCounts.windows.push(windows.rows.length);
      scheduleCounts.occurrences.push(expanded.occurrences);
    }
    results.breakdowns.push(
      breakdown(
        "schedule (overlap SQL for the month; windows SQL; the service's window expansion)",
        scheduleParts,
        scheduleCounts,
      ),
    );
    const riskParts = { blastRadius: [] as number[], groupRecordSql: [] as number[] };
    for (const item of riskChanges) {
      riskParts.blastRadius.push(
        await impact.blastRadius(
          [...new Set([...item.ci_ids, ...item.business_service_ids])],
          BLAST_RADIUS_DEPTH,
        ),
      );
      riskParts.groupRecordSql.push(await groupRecord(pool, item.assignment_group, now));
    }
    results.breakdowns.push(
      breakdown(
        'risk (the blast radius: one upstream impact call, depth 3, straight to cmdb; the group record SQL)',
        riskParts,
        {},
      ),
    );
    const example = conflictChanges[0];
    if (example)
      results.plans['overlap query, one change'] = await explainOverlapping(
        pool,
        example.planned_start,
        example.planned_end,
        example.id,
      );
    const { rows: largest } = await pool.query<{ assignment_group: string; changes: number }>(
      `SELECT assignment_group, count(*)::int AS changes FROM change.changes
        GROUP BY assignment_group ORDER BY count(*) DESC LIMIT 1`,
    );
    const largestGroup = largest[0];
    if (largestGroup)
      results.plans[`group record query, the largest group (${largestGroup.changes} changes)`] =
        await explainGroupRecord(pool, largestGroup.assignment_group, now);
    const thisMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    results.plans['overlap query, the month of the run'] = await explainOverlapping(
      pool,
      thisMonth,
      nextMonth(thisMonth),
      null,
    );
    results.peakRssMiB = memory.stop();
    const { rows: sizes } = await pool.query<{ name: string; mib: string }>(
      `SELECT n.nspname || '.' || c.relname AS name,
              round(pg_total_relation_size(c.oid) / 1048576.0, 1) AS mib
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('cmdb', 'change') AND c.relkind = 'r'
        ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8`,
    );
    results.tableMiB = Object.fromEntries(sizes.map((row) => [row.name, Number(row.mib)]));
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
      renderChangeReport(results),
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
