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
 * Where an event's time goes: the candidate rules' own queries, run by the service's
 * compiled repository one at a time on the dataset as the event phase left it, for a
 * sample of the events' incidents; and what one commit costs on this machine (each event
 * is one transaction, and the consumer applies them one after the other).
 */

export interface RuleQueryFigures {
  name: string;
  latencyMs: Distribution;
  plan?: PlanSummary;
}

export interface RuleCost {
  samples: number;
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
  windowMs = 24 * 3_600_000,
): Promise<RuleCost> {
  const chosen = events.slice(0, samples);
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
  for (const event of chosen) {
    const incident = event.data.incident;
    // The service's window: the last windowMs up to now, and as long after the incident.
    const window = {
      from: new Date(Date.now() - windowMs),
      to: new Date(new Date(incident.openedAt).getTime() + windowMs),
    };
    const matches: [string, CandidateMatch][] = [
      ['same_ci', { rule: 'same_ci', ciId: incident.ciIds[0] ?? '' }],
      [
        'same_service_category',
        {
          rule: 'same_service_category',
          businessServiceId: incident.businessServiceId ?? '',
          category: incident.category ?? '',
        },
      ],
    ];
    await time('isCovered', (candidates, manager) => candidates.isCovered(manager, incident.id));
    for (const [rule, match] of matches) {
      await time(`coveringProblem (${rule})`, (candidates, manager) =>
        candidates.coveringProblem(manager, match, sql.candidateKey(match)),
      );
      await time(`uncoveredInWindow (${rule})`, (candidates, manager) =>
        candidates.uncoveredInWindow(manager, match, window),
      );
    }
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
  return { samples: chosen.length, queries, commitMs: await commitCost(pool, 200) };
}
