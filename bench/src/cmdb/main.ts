import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool, type PoolClient } from 'pg';
import { CALLER_HEADER, InternalIdentitySigner, loadSigningKey } from '@itsm/auth';
import { dependencyDraws, itemFor, seededRandom } from '../ci-graph';
import { RssSampler } from '../proc';
import { BenchService, freePort } from '../services';
import { numberSetting, required } from '../settings';
import { distribution, round, type Distribution } from '../stats';
import {
  compareImpact,
  compareLimited,
  noMismatch,
  type ImpactMismatch,
  type ServiceAnswer,
} from './impact-comparison';

/**
 * The CMDB benchmark (`npm run bench -- cmdb`): a graph of BENCH_CMDB_CIS CIs and
 * BENCH_CMDB_RELATIONSHIPS_PER_CI relationships per CI built through the service's import
 * endpoint (HTTP, straight to the cmdb process), then impact analysis latency upstream and
 * downstream at depths 3 and 6, the whole answer and the one at the default limit, against a
 * plain recursive SQL query over the same tables.
 * Prints its tables and writes the raw figures to bench/results/<run id>.json.
 */

const REPO_ROOT = process.env.BENCH_REPO_ROOT ?? resolve(__dirname, '../../../..');
const RUN_ID = process.env.BENCH_RUN_ID ?? new Date().toISOString().replace(/[:.]/g, '-');
const LOG_DIR = process.env.BENCH_LOG_DIR ?? join(REPO_ROOT, '.local', 'bench', RUN_ID);

const settings = {
  cis: numberSetting('BENCH_CMDB_CIS', 1_000_000),
  relationshipsPerCi: numberSetting('BENCH_CMDB_RELATIONSHIPS_PER_CI', 3),
  /** Items per import request (with their relationships): one transaction each. */
  batch: numberSetting('BENCH_CMDB_BATCH', 1000),
  /** Import requests in flight at once. */
  concurrency: numberSetting('BENCH_CMDB_CONCURRENCY', 2),
  /** Start CIs per impact measurement (each direction and depth). */
  samples: numberSetting('BENCH_CMDB_SAMPLES', 100),
  seed: numberSetting('BENCH_CMDB_SEED', 42),
  /** The reference query gives up after this long (a dense graph makes it explode). */
  referenceTimeoutMs: numberSetting('BENCH_CMDB_REFERENCE_TIMEOUT_MS', 30_000),
};

const DEPTHS = [3, 6] as const;
/** The service's CMDB_IMPACT_MAX_CIS (its default; the benchmark does not set it). */
const MAX_REACHED = 20_000;
const DIRECTIONS = ['upstream', 'downstream'] as const;

function say(message: string): void {
  console.log(`[bench cmdb ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

interface ImportReport {
  created: number;
  conflicts: unknown[];
  items: { key: string; ciId: string | null }[];
  relationships: { created: number };
}

class CmdbClient {
  constructor(
    private readonly baseUrl: string,
    private readonly signer: InternalIdentitySigner,
  ) {}

  /** What the gateway would forward: an identity for this one request. */
  private identity(method: string, url: URL): Promise<string> {
    return this.signer.sign(
      {
        username: 'configuration_manager',
        roles: ['configuration_manager'],
        groups: [],
        kind: 'user',
      },
      { service: 'cmdb', method, target: `${url.pathname}${url.search}` },
    );
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    const url = new URL(path, this.baseUrl);
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [CALLER_HEADER]: await this.identity('POST', url),
      },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async get<T>(path: string): Promise<T> {
    return (await this.getWithSize<T>(path)).body;
  }

  /** The answer and the size of its JSON text. */
  async getWithSize<T>(path: string): Promise<{ body: T; bytes: number }> {
    const url = new URL(path, this.baseUrl);
    const response = await fetch(url, {
      headers: { [CALLER_HEADER]: await this.identity('GET', url) },
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text}`);
    return { body: JSON.parse(text) as T, bytes: Buffer.byteLength(text) };
  }
}

interface ImportFigures {
  cis: number;
  relationships: number;
  seconds: number;
  cisPerSecond: number;
  relationshipsPerSecond: number;
  requests: number;
  conflicts: number;
}

/** Imports the whole graph, `concurrency` requests at a time; relationships point at CIs already known. */
async function importGraph(client: CmdbClient): Promise<{ figures: ImportFigures; ids: string[] }> {
  const random = seededRandom(settings.seed);
  const ids: string[] = [];
  const batches = Math.ceil(settings.cis / settings.batch);
  let next = 0;
  let relationships = 0;
  let conflicts = 0;
  const started = performance.now();
  const worker = async () => {
    for (let batch = next++; batch < batches; batch = next++) {
      const from = batch * settings.batch;
      const to = Math.min(from + settings.batch, settings.cis);
      const items = [];
      const links = [];
      for (let index = from; index < to; index += 1) {
        items.push({ key: String(index), ...itemFor(index) });
        // A CI an earlier request created, or one of this request (which may close a cycle).
        for (const draw of dependencyDraws(
          random,
          index,
          ids.length,
          from,
          to,
          settings.relationshipsPerCi,
        )) {
          const target =
            'known' in draw ? { ciId: ids[draw.known] } : { key: String(draw.inRequest) };
          links.push({ type: 'depends_on', source: { key: String(index) }, target });
        }
      }
      const report = await client.post<ImportReport>('/api/v1/cmdb/imports', {
        source: 'bench',
        items,
        relationships: links,
      });
      for (const item of report.items) if (item.ciId) ids.push(item.ciId);
      relationships += report.relationships.created;
      conflicts += report.conflicts.length;
      if (batch % 50 === 0) {
        const seconds = (performance.now() - started) / 1000;
        say(
          `imported ${ids.length} CIs, ${relationships} relationships (${Math.round(ids.length / seconds)} CIs/s)`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: settings.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    ids,
    figures: {
      cis: ids.length,
      relationships,
      seconds: round(seconds, 1) ?? 0,
      cisPerSecond: Math.round(ids.length / seconds),
      relationshipsPerSecond: Math.round(relationships / seconds),
      requests: batches,
      conflicts,
    },
  };
}

/**
 * The reference: one recursive query over the same dependency edges, answering what the
 * service answers of the walk (each CI reached, with its distance); cycles cut by UNION.
 */
function referenceQuery(direction: (typeof DIRECTIONS)[number]): string {
  const [near, far] =
    direction === 'downstream'
      ? ['dependent_id', 'dependency_id']
      : ['dependency_id', 'dependent_id'];
  return `WITH RECURSIVE walk(id, depth) AS (
            SELECT $1::uuid, 0
            UNION
            SELECT edge.${far}, walk.depth + 1
              FROM walk JOIN cmdb.ci_dependencies AS edge ON edge.${near} = walk.id
             WHERE walk.depth < $2)
          SELECT id, min(depth) AS distance FROM walk WHERE id <> $1::uuid GROUP BY id`;
}

interface ImpactFigures {
  direction: string;
  depth: number;
  /** The whole answer (`limit` at the cap): every CI reached, with its path. */
  service: Distribution;
  /** The answer at the service's default limit (the nearest 1,000 CIs, every business service). */
  limited: Distribution;
  limitedKiB: Distribution;
  /** Start CIs whose limited answer is not the nearest part of the whole one (compareLimited). */
  limitedDisagreements: number;
  reference: Distribution;
  referenceTimeouts: number;
  meanReached: number | null;
  truncated: number;
  /** Start CIs where the service and the reference disagree on the set reached, a distance or a path. */
  disagreements: number;
  /** The differences summed over those start CIs. */
  mismatches: ImpactMismatch;
  /** The service's own SQL, replayed from here: one query per level of the walk, summed. */
  walkSql: Distribution;
  /** Its query for the reached CIs' names, classes and statuses. */
  summariesSql: Distribution;
  /** Service time less those two: HTTP, identity check, bookkeeping, paths, JSON. */
  rest: Distribution;
  levels: Distribution;
  /** Size of the JSON answer, KiB. */
  answerKiB: Distribution;
}

/**
 * The queries the service's walk runs (dependency-graph.repository.ts), replayed on one
 * connection so that their time can be told from the rest of a request.
 */
async function replayWalk(
  connection: PoolClient,
  start: string,
  direction: (typeof DIRECTIONS)[number],
  depth: number,
  maxReached: number,
): Promise<{ walkMs: number; summariesMs: number; levels: number }> {
  const [near, far] =
    direction === 'downstream'
      ? ['dependent_id', 'dependency_id']
      : ['dependency_id', 'dependent_id'];
  const reached = new Set([start]);
  let frontier = [start];
  let walkMs = 0;
  let levels = 0;
  for (let level = 1; level <= depth && frontier.length > 0; level += 1) {
    const began = performance.now();
    const steps = await connection.query<{ to: string }>(
      `SELECT ${near} AS "from", ${far} AS "to" FROM cmdb.ci_dependencies WHERE ${near} = ANY($1::uuid[])`,
      [frontier],
    );
    walkMs += performance.now() - began;
    levels += 1;
    const next: string[] = [];
    for (const { to } of steps.rows) {
      if (reached.has(to)) continue;
      if (reached.size - 1 >= maxReached) break;
      reached.add(to);
      next.push(to);
    }
    frontier = reached.size - 1 >= maxReached ? [] : next;
  }
  const began = performance.now();
  await connection.query(
    'SELECT id, class, name, status, criticality FROM cmdb.cis WHERE id = ANY($1::uuid[])',
    [[...reached]],
  );
  return { walkMs, summariesMs: performance.now() - began, levels };
}

async function measureImpact(
  client: CmdbClient,
  pool: Pool,
  ids: string[],
): Promise<ImpactFigures[]> {
  const random = seededRandom(settings.seed + 1);
  const starts = Array.from(
    { length: settings.samples },
    () => ids[Math.floor(random() * ids.length)],
  );
  const figures: ImpactFigures[] = [];
  for (const direction of DIRECTIONS)
    for (const depth of DEPTHS) {
      const service: number[] = [];
      const reference: number[] = [];
      const reached: number[] = [];
      const walkSql: number[] = [];
      const summariesSql: number[] = [];
      const rest: number[] = [];
      const levels: number[] = [];
      const answerKiB: number[] = [];
      const mismatches: ImpactMismatch = { missing: 0, extra: 0, distanceDiffers: 0, badPaths: 0 };
      let truncated = 0;
      let disagreements = 0;
      let timeouts = 0;
      const limited: number[] = [];
      const limitedKiB: number[] = [];
      let limitedDisagreements = 0;
      /** One impact request, timed; `limit` absent: the service's default. */
      const timed = async (start: string, limit?: number) => {
        const began = performance.now();
        const answer = await client.getWithSize<ServiceAnswer>(
          `/api/v1/cis/${start}/impact?direction=${direction}&depth=${depth}${limit ? `&limit=${limit}` : ''}`,
        );
        return { ...answer, ms: performance.now() - began };
      };
      for (const [index, start] of starts.entries()) {
        // Both answers walk the same CIs: each goes first on every other sample, so that
        // neither always finds the pages the other one read in the cache.
        const wholeFirst = index % 2 === 0;
        const first = await timed(start, wholeFirst ? MAX_REACHED : undefined);
        const second = await timed(start, wholeFirst ? undefined : MAX_REACHED);
        const [whole, cut] = wholeFirst ? [first, second] : [second, first];
        const { body: result, ms: serviceMs } = whole;
        service.push(serviceMs);
        answerKiB.push(whole.bytes / 1024);
        limited.push(cut.ms);
        limitedKiB.push(cut.bytes / 1024);
        if (compareLimited(cut.body, result) > 0) limitedDisagreements += 1;
        reached.push(result.items.length);
        if (result.truncated) truncated += 1;
        const connection = await pool.connect();
        try {
          const replayed = await replayWalk(connection, start, direction, depth, MAX_REACHED);
          walkSql.push(replayed.walkMs);
          summariesSql.push(replayed.summariesMs);
          rest.push(serviceMs - replayed.walkMs - replayed.summariesMs);
          levels.push(replayed.levels);
          await connection.query(`SET statement_timeout = ${settings.referenceTimeoutMs}`);
          const began = performance.now();
          const rows = await connection.query<{ id: string; distance: number }>(
            referenceQuery(direction),
            [start, depth],
          );
          reference.push(performance.now() - began);
          const mismatch = compareImpact(
            start,
            result.items,
            result.truncated,
            new Map(rows.rows.map((row) => [row.id, Number(row.distance)])),
          );
          if (!noMismatch(mismatch)) {
            disagreements += 1;
            for (const key of Object.keys(mismatches) as (keyof ImpactMismatch)[])
              mismatches[key] += mismatch[key];
          }
        } catch {
          timeouts += 1;
        } finally {
          await connection.query('SET statement_timeout = 0').catch(() => undefined);
          connection.release();
        }
      }
      figures.push({
        direction,
        depth,
        service: distribution(service),
        limited: distribution(limited),
        limitedKiB: distribution(limitedKiB),
        limitedDisagreements,
        reference: distribution(reference),
        referenceTimeouts: timeouts,
        meanReached: round(reached.reduce((sum, value) => sum + value, 0) / reached.length, 1),
        truncated,
        disagreements,
        mismatches,
        walkSql: distribution(walkSql),
        summariesSql: distribution(summariesSql),
        rest: distribution(rest),
        levels: distribution(levels),
        answerKiB: distribution(answerKiB),
      });
      say(`impact ${direction} depth ${depth}: done`);
    }
  return figures;
}

function row(cells: (string | number | null)[], widths: number[]): string {
  return cells.map((cell, index) => String(cell ?? '-').padStart(widths[index] ?? 10)).join('  ');
}

async function main(): Promise<number> {
  const databaseUrl = required('BENCH_DATABASE_URL');
  // run.sh's key pair: the benchmark signs as the gateway would, the service verifies.
  const signingKey = await loadSigningKey(
    required('ITSM_INTERNAL_IDENTITY_SIGNING_KEY'),
    'ITSM_INTERNAL_IDENTITY_SIGNING_KEY',
  );
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const port = await freePort();
  const cmdb = BenchService.spawn(
    REPO_ROOT,
    'cmdb',
    port,
    {
      DATABASE_URL: databaseUrl,
      KAFKA_BROKERS: required('KAFKA_BROKERS'),
      KAFKA_CONSUMER_GROUP_PREFIX: process.env.BENCH_GROUP_PREFIX ?? `itsm-bench-${RUN_ID}`,
      ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: required(
        'ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS',
      ),
      LOG_LEVEL: 'warn',
      // Events are written to the outbox in each import's transaction (their cost is
      // measured) but not relayed: millions of them would flood a Kafka shared with others.
      OUTBOX_RELAY_ENABLED: 'false',
      HTTP_BODY_LIMIT: '50mb',
      CMDB_IMPORT_SYNC_LIMIT: '100000',
      DATABASE_POOL_SIZE: String(settings.concurrency + 4),
    },
    LOG_DIR,
    process.env.BENCH_PID_FILE,
  );
  // run.sh forwards TERM and INT here: stop the service rather than leave it running.
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      void cmdb.stop().finally(() => process.exit(130));
    });
  const memory = new RssSampler({ cmdb: cmdb.pid, benchmark: process.pid }, 500);
  try {
    await cmdb.waitUntilReady();
    memory.start();
    const client = new CmdbClient(
      cmdb.url,
      new InternalIdentitySigner(signingKey, { ttlSeconds: 5 }),
    );
    say(
      `importing ${settings.cis} CIs with ${settings.relationshipsPerCi} relationships each, ${settings.batch} per request, ${settings.concurrency} at a time`,
    );
    const { figures: imported, ids } = await importGraph(client);
    const vacuumStarted = performance.now();
    // Index-only scans need a current visibility map; autovacuum gets there on its own, later.
    await pool.query('VACUUM (ANALYZE) cmdb.ci_dependencies');
    await pool.query('ANALYZE cmdb.cis');
    const vacuumSeconds = round((performance.now() - vacuumStarted) / 1000, 1);
    const impact = await measureImpact(client, pool, ids);
    const peakRssMiB = memory.stop();
    const sizes = await pool.query<{ relation: string; size: string }>(
      `SELECT relname AS relation, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'cmdb' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6`,
    );
    const machine = {
      cores: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      memoryGiB: round(totalmem() / 2 ** 30, 1),
      loadAverage: loadavg().map((value) => value.toFixed(2)),
      node: process.version,
    };

    console.log(
      `\nCMDB benchmark ${RUN_ID} on ${machine.cores} cores (${machine.cpuModel}), load ${machine.loadAverage.join(' ')}`,
    );
    console.log(
      `\nImport (HTTP POST /api/v1/cmdb/imports straight to the cmdb service, ${settings.batch} CIs + their relationships per request, ${settings.concurrency} in flight):`,
    );
    console.log(
      `  ${imported.cis} CIs and ${imported.relationships} relationships in ${imported.seconds} s: ${imported.cisPerSecond} CIs/s, ${imported.relationshipsPerSecond} relationships/s (${imported.conflicts} conflicts); VACUUM ANALYZE after: ${vacuumSeconds} s`,
    );
    console.log(
      `\nImpact analysis, ${settings.samples} random start CIs each, one at a time (ms): svc = the whole answer (limit=${MAX_REACHED}), limited = the default limit (the nearest 1,000 and every business service; limited KiB at p99, limited≠ = start CIs where it is not the nearest part of the whole answer), sql = the recursive reference:`,
    );
    const widths = [10, 5, 10, 10, 12, 12, 13, 10, 10, 8, 9, 8, 9, 9];
    console.log(
      row(
        [
          'direction',
          'depth',
          'svc p50',
          'svc p99',
          'limited p50',
          'limited p99',
          'limited KiB',
          'sql p50',
          'sql p99',
          'reached',
          'timeouts',
          'capped',
          'disagree',
          'limited≠',
        ],
        widths,
      ),
    );
    for (const figure of impact)
      console.log(
        row(
          [
            figure.direction,
            figure.depth,
            round(figure.service.p50, 1),
            round(figure.service.p99, 1),
            round(figure.limited.p50, 1),
            round(figure.limited.p99, 1),
            round(figure.limitedKiB.p99, 1),
            round(figure.reference.p50, 1),
            round(figure.reference.p99, 1),
            figure.meanReached,
            figure.referenceTimeouts,
            figure.truncated,
            figure.disagreements,
            figure.limitedDisagreements,
          ],
          widths,
        ),
      );
    for (const figure of impact)
      if (figure.disagreements > 0)
        console.log(
          `  ${figure.direction} depth ${figure.depth}: ${figure.disagreements} start CIs disagree (missing ${figure.mismatches.missing}, extra ${figure.mismatches.extra}, distance ${figure.mismatches.distanceDiffers}, bad paths ${figure.mismatches.badPaths})`,
        );
    console.log(
      '\nWhere the service time goes, p50 (p99) ms: its walk queries replayed from here, its summaries query, and the rest (HTTP, identity, bookkeeping, paths, JSON):',
    );
    const profileWidths = [10, 5, 14, 14, 14, 14, 7, 14];
    console.log(
      row(
        ['direction', 'depth', 'service', 'walk SQL', 'summaries', 'rest', 'levels', 'answer KiB'],
        profileWidths,
      ),
    );
    const both = (value: Distribution) => `${round(value.p50, 1)} (${round(value.p99, 1)})`;
    for (const figure of impact)
      console.log(
        row(
          [
            figure.direction,
            figure.depth,
            both(figure.service),
            both(figure.walkSql),
            both(figure.summariesSql),
            both(figure.rest),
            round(figure.levels.p50, 0),
            both(figure.answerKiB),
          ],
          profileWidths,
        ),
      );
    console.log(
      `\nPeak RSS (MiB): ${Object.entries(peakRssMiB)
        .map(([name, mib]) => `${name} ${mib}`)
        .join(', ')}`,
    );
    console.log(
      `Largest tables: ${sizes.rows.map((size) => `${size.relation} ${size.size}`).join(', ')}`,
    );

    const resultsDirectory = join(REPO_ROOT, 'bench', 'results');
    mkdirSync(resultsDirectory, { recursive: true });
    const file = join(resultsDirectory, `${RUN_ID}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          runId: RUN_ID,
          settings,
          machine,
          imported,
          vacuumSeconds,
          impact,
          peakRssMiB,
          sizes: sizes.rows,
        },
        null,
        2,
      ),
    );
    say(`results in ${file}`);
    return 0;
  } finally {
    await cmdb.stop();
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
