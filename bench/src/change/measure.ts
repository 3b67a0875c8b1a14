import { join } from 'node:path';
import { type Pool } from 'pg';
import { CALLER_HEADER, type InternalIdentitySigner } from '@itsm/auth';
import { distribution, round, type Distribution } from '../stats';

/** One kind of request measured through the gateway, one at a time. */
export interface RequestFigures {
  name: string;
  /** A path of the kind, as sent. */
  example: string;
  samples: number;
  latencyMs: Distribution;
  /** Sequential requests per second over the measured samples (1000 / mean latency). */
  perSecond: number | null;
  /** Size of the JSON answer, KiB. */
  answerKiB: Distribution;
  /** What the answer held per sample (conflicts found, changes on the schedule, ...). */
  items: Distribution;
  failures: Record<string, number>;
  goalP99Ms?: number;
  /** Each sample's latency in order (null: it failed), ms. */
  raw: (number | null)[];
}

export interface Sample {
  path: string;
  /** Count of what the answer holds, read from its JSON. */
  count: (body: unknown) => number;
}

/** GETs each sample path in turn after `warmup` of them, timing each request and answer. */
export async function measureRequests(
  name: string,
  gatewayUrl: string,
  token: string,
  samples: readonly Sample[],
  warmup: number,
  goalP99Ms?: number,
): Promise<RequestFigures> {
  const latency: number[] = [];
  const kib: number[] = [];
  const items: number[] = [];
  const failures: Record<string, number> = {};
  const raw: (number | null)[] = [];
  const run = async (sample: Sample, record: boolean) => {
    const started = performance.now();
    const response = await fetch(`${gatewayUrl}${sample.path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    }).catch((error: unknown) => error as Error);
    if (response instanceof Error) {
      if (!record) return;
      failures[response.name] = (failures[response.name] ?? 0) + 1;
      raw.push(null);
      return;
    }
    const text = await response.text();
    const ms = performance.now() - started;
    if (!record) return;
    if (!response.ok) {
      failures[String(response.status)] = (failures[String(response.status)] ?? 0) + 1;
      raw.push(null);
      return;
    }
    latency.push(ms);
    raw.push(round(ms, 2));
    kib.push(Buffer.byteLength(text) / 1024);
    items.push(sample.count(JSON.parse(text)));
  };
  for (let index = 0; index < warmup; index += 1) {
    const sample = samples[index % samples.length];
    if (sample) await run(sample, false);
  }
  const started = performance.now();
  for (const sample of samples) await run(sample, true);
  const seconds = (performance.now() - started) / 1000;
  return {
    name,
    example: samples[0]?.path ?? '',
    samples: samples.length,
    latencyMs: distribution(latency),
    perSecond: round(latency.length / seconds, 1),
    answerKiB: distribution(kib),
    items: distribution(items),
    failures,
    raw,
    ...(goalP99Ms === undefined ? {} : { goalP99Ms }),
  };
}

/** The change service's own queries, replayed on one connection (changes.repository.ts, change-windows.repository.ts). */
export const OPEN_STATES = ['new', 'assess', 'authorize', 'scheduled', 'implement', 'review'];

const OVERLAPPING_SQL = `SELECT c.* FROM change.changes c
  WHERE c.state = ANY($1::text[]) AND c.planned_start IS NOT NULL
    AND tstzrange(c.planned_start, c.planned_end) && tstzrange($2, $3)
    AND ($4::uuid IS NULL OR c.id <> $4::uuid)
  ORDER BY c.planned_start, c.id`;

const WINDOWS_SQL = `SELECT w.* FROM change.change_windows w
  WHERE w.active AND w.retired_at IS NULL
    AND (w.in_force OR (w.starts_at < $2 AND (w.last_ends_at IS NULL OR w.last_ends_at > $1)))
  ORDER BY w.starts_at, w.id`;

const GROUP_RECORD_SQL = `SELECT count(*)::int AS completed,
    count(*) FILTER (WHERE c.close_code IN ('unsuccessful', 'backed_out'))::int AS failed,
    count(*) FILTER (WHERE cardinality(c.caused_incident_ids) > 0)::int AS caused
  FROM change.changes c
  WHERE c.assignment_group = $1 AND c.close_code IS NOT NULL AND c.actual_end >= $2`;

async function timedQuery<T extends object>(
  pool: Pool,
  text: string,
  values: unknown[],
): Promise<{ ms: number; rows: T[] }> {
  const started = performance.now();
  const result = await pool.query<T>(text, values);
  return { ms: performance.now() - started, rows: result.rows };
}

export async function overlapping(
  pool: Pool,
  from: Date,
  to: Date,
  excludeId: string | null,
): Promise<{ ms: number; rows: { ci_ids: string[] }[] }> {
  return timedQuery<{ ci_ids: string[] }>(pool, OVERLAPPING_SQL, [
    OPEN_STATES,
    from,
    to,
    excludeId,
  ]);
}

export interface WindowRow {
  starts_at: Date;
  ends_at: Date;
  recurrence: string | null;
  time_zone: string | null;
}

export async function windowsBetween(
  pool: Pool,
  from: Date,
  to: Date,
): Promise<{ ms: number; rows: WindowRow[] }> {
  return timedQuery<WindowRow>(pool, WINDOWS_SQL, [from, to]);
}

type OccurrencesBetween = (
  window: { start: Date; end: Date; recurrence: string | null; timeZone: string | null },
  from: Date,
  to: Date,
) => unknown[];

/**
 * The service's own expansion of windows into occurrences (its compiled
 * `windows/domain/occurrences.js`), timed over the windows a request reads: what
 * `scheduleBetween` does with them besides the query.
 */
export async function windowExpansion(
  repoRoot: string,
): Promise<
  (rows: readonly WindowRow[], from: Date, to: Date) => { ms: number; occurrences: number }
> {
  const { occurrencesBetween } = (await import(
    join(repoRoot, 'dist/services/change/src/windows/domain/occurrences.js')
  )) as { occurrencesBetween: OccurrencesBetween };
  return (rows, from, to) => {
    const started = performance.now();
    let occurrences = 0;
    for (const row of rows)
      occurrences += occurrencesBetween(
        {
          start: row.starts_at,
          end: row.ends_at,
          recurrence: row.recurrence,
          timeZone: row.time_zone,
        },
        from,
        to,
      ).length;
    return { ms: performance.now() - started, occurrences };
  };
}

export async function groupRecord(pool: Pool, group: string, now: Date): Promise<number> {
  return (
    await timedQuery(pool, GROUP_RECORD_SQL, [group, new Date(now.getTime() - 90 * 86_400_000)])
  ).ms;
}

/** The plan PostgreSQL picks for a statement, as text (EXPLAIN ANALYZE). */
export async function explain(pool: Pool, text: string, values: unknown[]): Promise<string[]> {
  const { rows } = await pool.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) ${text}`,
    values,
  );
  return rows.map((row) => row['QUERY PLAN']);
}

export const explainGroupRecord = (pool: Pool, group: string, now: Date) =>
  explain(pool, GROUP_RECORD_SQL, [group, new Date(now.getTime() - 90 * 86_400_000)]);

export const explainOverlapping = (pool: Pool, from: Date, to: Date, excludeId: string | null) =>
  explain(pool, OVERLAPPING_SQL, [OPEN_STATES, from, to, excludeId]);

/** The part of the cmdb impact analysis answer the change service checks (cmdb-impact.client.ts). */
interface ImpactAnswer {
  truncated: boolean;
  reachedCount: number;
  withheldCount: number;
  items: unknown[];
}

type ImpactDirection = 'downstream' | 'upstream';
const DIRECTIONS: readonly ImpactDirection[] = ['downstream', 'upstream'];

export interface DependencyWalks {
  ms: number;
  walks: number;
}

/** The cmdb impact API called directly, as the change service calls it (cmdb-impact.client.ts). */
export class CmdbImpact {
  constructor(
    private readonly cmdbUrl: string,
    private readonly signer: InternalIdentitySigner,
  ) {}

  async post(body: unknown): Promise<unknown> {
    const url = new URL('/api/v1/cis/impact', this.cmdbUrl);
    const identity = await this.signer.sign(
      { username: 'change_manager', roles: ['change_manager'], groups: [], kind: 'user' },
      { service: 'cmdb', method: 'POST', target: url.pathname },
    );
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CALLER_HEADER]: identity },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST /api/v1/cis/impact: ${response.status} ${text}`);
    return JSON.parse(text) as unknown;
  }

  /**
   * The dependent-CI check's walks as the change service makes them since 1903e10
   * (cmdb-impact.client.ts `dependencies`): one walk each way from all of the change's
   * CIs together, in parallel, `hops` deep, listing only the other changes' CIs (`among`,
   * up to 1,000 of them; more, and the CMDB's default limit); in a direction whose walk
   * may have left one out (`truncated` by the cap; without `among`, also more CIs reached
   * and shown than listed), one walk per CI, four in flight, as the service then falls back
   * to.
   */
  async dependencyWalksTogether(
    ciIds: readonly string[],
    hops: number,
    others: readonly string[],
  ): Promise<DependencyWalks & { togetherMs: number; listedInPart: boolean; listed: number }> {
    const starts = [...new Set(ciIds)];
    const targets = [...new Set(others)];
    const listing = targets.length <= 1000 ? { among: targets } : {};
    const started = performance.now();
    const answers = await Promise.all(
      DIRECTIONS.map(
        async (direction) =>
          (await this.post({ ciIds: starts, direction, depth: hops, ...listing })) as ImpactAnswer,
      ),
    );
    const togetherMs = performance.now() - started;
    const inPart = DIRECTIONS.filter((_direction, index) => {
      const answer = answers[index];
      if (answer.truncated) return true;
      return !listing.among && answer.reachedCount - answer.withheldCount > answer.items.length;
    });
    const listedInPart = inPart.length > 0;
    const listed = answers.reduce((sum, answer) => sum + answer.items.length, 0);
    if (!listedInPart) return { ms: togetherMs, walks: 2, togetherMs, listedInPart, listed };
    const fallback = await this.dependencyWalks(starts, hops, inPart, listing);
    return {
      ms: togetherMs + fallback.ms,
      walks: 2 + fallback.walks,
      togetherMs,
      listedInPart,
      listed,
    };
  }

  /**
   * The dependent-CI check's walks as the change service made them before 89bacb8 (and
   * still does, with `among`, in a direction a walk from all CIs together stopped at the
   * cap): each CI in each of `directions`, `hops` deep, four in flight (CONCURRENT_WALKS).
   */
  async dependencyWalks(
    ciIds: readonly string[],
    hops: number,
    directions: readonly ImpactDirection[] = DIRECTIONS,
    listing: { among?: readonly string[] } = {},
  ): Promise<DependencyWalks> {
    const walks = ciIds.flatMap((ciId) => directions.map((direction) => ({ ciId, direction })));
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < walks.length) {
        const walk = walks[next++];
        if (walk)
          await this.post({
            ciIds: [walk.ciId],
            direction: walk.direction,
            depth: hops,
            ...listing,
          });
      }
    };
    await Promise.all(Array.from({ length: Math.min(4, walks.length) }, worker));
    return { ms: performance.now() - started, walks: walks.length };
  }

  /** The blast radius: one upstream walk from every CI and service of the change, limit 1. */
  async blastRadius(starts: readonly string[], depth: number): Promise<number> {
    const started = performance.now();
    await this.post({ ciIds: starts, direction: 'upstream', depth, limit: 1 });
    return performance.now() - started;
  }
}
