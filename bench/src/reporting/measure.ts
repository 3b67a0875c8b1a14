import { setTimeout as sleep } from 'node:timers/promises';
import { type Pool } from 'pg';
import { closedLoop, type LoopResult } from '../incident/closed-loop';
import { round } from '../stats';

/** A projection's full rebuild from the archive, started and followed through the API. */
export interface RebuildFigures {
  projection: string;
  /** Archived events of the projection's families (the rebuild's `total`). */
  events: number;
  /** From the POST to the service recording the swap. */
  seconds: number;
  eventsPerSecond: number | null;
  /** The rebuild as the service recorded it (`startedAt` to `finishedAt`). */
  serviceSeconds: number | null;
  rows: number;
  error: string | null;
}

interface ProjectionBody {
  status: 'live' | 'rebuilding';
  rebuild: {
    startedAt: string;
    finishedAt: string | null;
    processed: number;
    total: number | null;
    error: string | null;
  } | null;
}

export async function rebuild(
  pool: Pool,
  gatewayUrl: string,
  token: string,
  projection: string,
  table: string,
  say: (message: string) => void,
): Promise<RebuildFigures> {
  const headers = { authorization: `Bearer ${token}` };
  const url = `${gatewayUrl}/api/v1/reports/projections/${projection}`;
  const started = performance.now();
  const response = await fetch(`${url}/rebuild`, { method: 'POST', headers });
  if (!response.ok)
    throw new Error(`POST ${url}/rebuild answered ${response.status}: ${await response.text()}`);
  let body: ProjectionBody;
  let lastSaid = started;
  for (;;) {
    await sleep(250);
    body = (await (await fetch(url, { headers })).json()) as ProjectionBody;
    if (body.rebuild?.finishedAt) break;
    if (performance.now() - lastSaid > 30_000) {
      lastSaid = performance.now();
      say(`${projection}: ${body.rebuild?.processed ?? 0} of ${body.rebuild?.total ?? '?'}`);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const done = body.rebuild;
  const events = done?.total ?? 0;
  const {
    rows: [{ rows }],
  } = await pool.query<{ rows: number }>(`SELECT count(*)::int AS rows FROM reporting.${table}`);
  return {
    projection,
    events,
    seconds: round(seconds, 2) ?? 0,
    eventsPerSecond: round(events / seconds, 0),
    serviceSeconds:
      done?.finishedAt && done.startedAt
        ? round((Date.parse(done.finishedAt) - Date.parse(done.startedAt)) / 1000, 2)
        : null,
    rows,
    error: done?.error ?? null,
  };
}

export interface KpiFigures {
  metric: string;
  path: string;
  /** Where the service read the figures: its daily rollups, or the fact rows (`exact=true`). */
  computedFrom: string | undefined;
  series: number | undefined;
  points: number | undefined;
  http: LoopResult[];
}

/** A KPI over the year by day with one breakdown, through the gateway, closed loop. */
export async function measureKpi(
  gatewayUrl: string,
  token: string,
  metric: string,
  query: string,
  clients: readonly number[],
  seconds: number,
  warmupSeconds: number,
): Promise<KpiFigures> {
  const path = `/api/v1/reports/kpis/${metric}?${query}`;
  const headers = { authorization: `Bearer ${token}` };
  const first = await fetch(`${gatewayUrl}${path}`, { headers });
  if (!first.ok) throw new Error(`GET ${path} answered ${first.status}: ${await first.text()}`);
  const body = (await first.json()) as {
    computedFrom?: string;
    series?: { points?: unknown[] }[];
  };
  const result: KpiFigures = {
    metric,
    path,
    computedFrom: body.computedFrom,
    series: body.series?.length,
    points: body.series?.reduce((sum, series) => sum + (series.points?.length ?? 0), 0),
    http: [],
  };
  const request = async () => {
    const response = await fetch(`${gatewayUrl}${path}`, {
      headers,
      signal: AbortSignal.timeout(60_000),
    });
    await response.arrayBuffer();
    return response.ok ? (true as const) : String(response.status);
  };
  for (const count of clients) {
    await closedLoop(count, warmupSeconds, request);
    result.http.push(await closedLoop(count, seconds, request));
  }
  return result;
}

/**
 * Waits until the service answers each KPI from its daily rollups: after the rebuilds'
 * swaps, the rounds recompute every day of each table. Returns the seconds it took.
 */
export async function untilRolledUp(
  gatewayUrl: string,
  token: string,
  metrics: readonly string[],
  query: string,
  timeoutSeconds: number,
): Promise<number> {
  const started = Date.now();
  const pending = new Set(metrics);
  while (pending.size > 0) {
    if (Date.now() - started > timeoutSeconds * 1000)
      throw new Error(`still not rolled up after ${timeoutSeconds} s: ${[...pending].join(', ')}`);
    for (const metric of [...pending]) {
      const response = await fetch(`${gatewayUrl}/api/v1/reports/kpis/${metric}?${query}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as { computedFrom?: string };
      if (body.computedFrom === 'daily_rollups') pending.delete(metric);
    }
    if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return round((Date.now() - started) / 1000, 1) ?? 0;
}
