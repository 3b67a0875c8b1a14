import { type Pool } from 'pg';
import { type IncidentCreatedV1, type ItsmCloudEvent } from '@itsm/contracts';
import { distribution, type Distribution } from '../stats';
import {
  explain,
  type CandidateMatch,
  type PlanSummary,
  type ProblemServiceSql,
} from './service-sql';

/**
 * Where a run's time goes: the candidate rules' own queries, run by the service's compiled
 * repository one at a time on the dataset as the event phase left it, for runs of the
 * events' incidents as the consumer reads them (each query asks about every cluster of the
 * run at once); and what one commit costs on this machine (each run is one transaction).
 */

export interface RuleQueryFigures {
  name: string;
  latencyMs: Distribution;
  plan?: PlanSummary;
}

export interface RuleCost {
  samples: number;
  /** Events per timed run. */
  runSize: number;
  queries: RuleQueryFigures[];
  /** A single-row autocommit INSERT into an empty table: the floor of one transaction. */
  commitMs: Distribution;
}

type Query = Parameters<ProblemServiceSql['timedRuleQuery']>[0];

const PROBE = 'bench_commit_probe';

async function commitCost(pool: Pool, count: number): Promise<Distribution> {
  const client = await pool.connect();
  const times: number[] = [];
  try {
    await client.query(`DROP TABLE IF EXISTS ${PROBE}`);
    await client.query(`CREATE TABLE ${PROBE} (id bigint NOT NULL)`);
    for (let id = 0; id < count; id += 1) {
      const started = performance.now();
      await client.query(`INSERT INTO ${PROBE} (id) VALUES ($1)`, [id]);
      times.push(performance.now() - started);
    }
    await client.query(`DROP TABLE ${PROBE}`);
  } finally {
    client.release();
  }
  return distribution(times);
}

export async function measureRuleQueries(
  sql: ProblemServiceSql,
  pool: Pool,
  events: readonly ItsmCloudEvent<IncidentCreatedV1>[],
  samples: number,
  runSize: number,
  windowMs = 24 * 3_600_000,
): Promise<RuleCost> {
  const chosen = events.slice(0, samples * runSize);
  const byName = new Map<
    string,
    { times: number[]; first?: { text: string; values: unknown[] } }
  >();
  const time = async (name: string, query: Query) => {
    const { ms, sql: text } = await sql.timedRuleQuery(query);
    const entry = byName.get(name) ?? { times: [] };
    entry.times.push(ms);
    entry.first ??= text;
    byName.set(name, entry);
  };
  for (let start = 0; start < chosen.length; start += runSize) {
    const run = chosen.slice(start, start + runSize).map((event) => event.data.incident);
    const matches: CandidateMatch[] = run.flatMap((incident): CandidateMatch[] => [
      { rule: 'same_ci', ciId: incident.ciIds[0] ?? '' },
      {
        rule: 'same_service_category',
        businessServiceId: incident.businessServiceId ?? '',
        category: incident.category ?? '',
      },
    ]);
    // The service's window: the last windowMs up to now, and as long after the incident.
    const windows = run.flatMap((incident, index) =>
      matches.slice(index * 2, index * 2 + 2).map((match) => ({
        match,
        from: new Date(Date.now() - windowMs),
        to: new Date(new Date(incident.openedAt).getTime() + windowMs),
      })),
    );
    await time('coveredIncidentIds', (candidates, manager) =>
      candidates.coveredIncidentIds(
        manager,
        run.map((incident) => incident.id),
      ),
    );
    await time('coveringProblems', (candidates, manager) =>
      candidates.coveringProblems(manager, matches),
    );
    await time('uncoveredInWindows', (candidates, manager) =>
      candidates.uncoveredInWindows(manager, windows),
    );
  }
  const queries: RuleQueryFigures[] = [];
  for (const [name, entry] of byName) {
    const figures: RuleQueryFigures = { name, latencyMs: distribution(entry.times) };
    if (entry.first)
      figures.plan = await explain(
        async (text, values) => (await pool.query<Record<string, unknown>>(text, values)).rows,
        entry.first,
      );
    queries.push(figures);
  }
  return {
    samples: Math.ceil(chosen.length / runSize),
    runSize,
    queries,
    commitMs: await commitCost(pool, 200),
  };
}
