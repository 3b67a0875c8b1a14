import { type Pool } from 'pg';
import { distribution, round, type Distribution } from '../stats';
import { OPEN_PROBLEM_STATES, incidentId } from './dataset';

/**
 * Bulk links: `POST /api/v1/problems/{id}/incidents` with `size` incident ids from the
 * copy that no problem has yet, on a different open problem each time,
 * one request at a time, as the problem manager.
 */

export interface LinkRun {
  problem: string;
  ms: number;
  status: number;
  linked: number;
  incidentCountAfter: number | null;
}

export interface LinkFigures {
  size: number;
  repeats: number;
  warmupMs: number | null;
  latencyMs: Distribution;
  runs: LinkRun[];
  /** Requests that did not answer 200 with every id linked and the count raised by as many. */
  failures: number;
}

/**
 * Incident positions the dataset left unlinked (the complement of generate.ts's spread),
 * from about five weeks back: the last days' incidents are left to the candidate rules,
 * which the event phase measures afterwards.
 */
function unlinkedPositions(incidents: number, linked: number, count: number): number[] {
  const positions: number[] = [];
  for (let g = Math.floor(incidents * 0.9); g >= 1 && positions.length < count; g -= 1) {
    const isLinked =
      Math.floor((g * linked) / incidents) > Math.floor(((g - 1) * linked) / incidents);
    if (!isLinked) positions.push(g);
  }
  return positions;
}

export async function measureBulkLinks(
  pool: Pool,
  gatewayUrl: string,
  token: string,
  dataset: { incidents: number; linked: number },
  size: number,
  repeats: number,
): Promise<LinkFigures> {
  const positions = unlinkedPositions(dataset.incidents, dataset.linked, size * (repeats + 1));
  if (positions.length < size * (repeats + 1))
    throw new Error(
      `only ${positions.length} unlinked incidents for ${repeats + 1} links of ${size}`,
    );
  await pool.query('SELECT setseed(0.5)');
  const { rows: problems } = await pool.query<{ id: string; incident_count: number }>(
    `SELECT id, incident_count FROM "problem"."problems" WHERE state = ANY($1)
     ORDER BY random() LIMIT $2`,
    [OPEN_PROBLEM_STATES, repeats + 1],
  );
  if (problems.length < repeats + 1) throw new Error('not enough open problems to link to');
  const runs: LinkRun[] = [];
  let warmupMs: number | null = null;
  let failures = 0;
  for (const [index, problem] of problems.entries()) {
    const ids = positions.slice(index * size, (index + 1) * size).map(incidentId);
    const started = performance.now();
    const response = await fetch(`${gatewayUrl}/api/v1/problems/${problem.id}/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ incidentIds: ids }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    const ms = performance.now() - started;
    let linked = 0;
    let incidentCountAfter: number | null = null;
    try {
      const body = JSON.parse(text) as { linked?: string[]; problem?: { incidentCount?: number } };
      linked = body.linked?.length ?? 0;
      incidentCountAfter = body.problem?.incidentCount ?? null;
    } catch {
      // not JSON: counted as a failure below
    }
    const ok =
      response.status === 200 &&
      linked === ids.length &&
      incidentCountAfter === problem.incident_count + ids.length;
    // The first request warms the service up (JIT, the pool); it is reported apart.
    if (index === 0) {
      warmupMs = round(ms, 1);
      if (!ok)
        throw new Error(`the first bulk link answered ${response.status}: ${text.slice(0, 500)}`);
      continue;
    }
    if (!ok) failures += 1;
    runs.push({
      problem: problem.id,
      ms: round(ms, 1) ?? 0,
      status: response.status,
      linked,
      incidentCountAfter,
    });
  }
  return {
    size,
    repeats,
    warmupMs,
    latencyMs: distribution(runs.map((run) => run.ms)),
    runs,
    failures,
  };
}
