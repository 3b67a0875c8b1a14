import { type Pool, type PoolClient } from 'pg';
import {
  ASSIGNEES_PER_GROUP,
  BUSINESS_SERVICES,
  COMPONENTS,
  CONFIGURATION_ITEMS,
  ERROR_CODES,
  FILLER,
  GROUPS,
  LOCATIONS,
  REQUESTERS,
  SEEDED_REQUESTER_INDEX,
  SYMPTOMS,
  TAGS,
  TAXONOMY,
  uuidSql,
} from './dataset';

/**
 * Fills `incident.records` (and some journal entries) with generated incidents, set-based,
 * straight in PostgreSQL: a million creates through the API would take over an hour at the
 * measured create rate, and the list benchmark needs the table, not the path to it.
 *
 * Each record `i` (1..N) is opened at an even step over the last two years, so numbers grow
 * with time as they do in production; everything else is drawn with `random()` from a
 * fixed seed, skewed the way a desk's data is (most records closed, a few components,
 * requesters and CIs taking many incidents). The secondary indexes are dropped during the
 * load and created again from their own definitions (`pg_indexes.indexdef`), as a bulk
 * load is done; the final table has exactly the indexes the migration made.
 */

export interface GenerationResult {
  incidents: number;
  journalEntries: number;
  seconds: { journal: number; records: number; indexes: number; vacuumAnalyze: number };
  totalSeconds: number;
  /** Index name → seconds to create it on the full table. */
  indexSeconds: Record<string, number>;
  tableMiB: number;
  indexesMiB: number;
}

const RECORDS = '"incident"."records"';
const JOURNAL = '"incident"."journal_entries"';
const BATCH = 100_000;
const TWO_YEARS_S = 730 * 86_400;

/**
 * Record `i`'s id and opening time, shared by the journal and record statements. Times are
 * whole milliseconds, as the service (JavaScript dates) writes them and cursors carry them.
 */
const recordId = (i: string) => uuidSql(`'bench-record-' || ${i}`);
const openedAt = (i: string) =>
  `date_trunc('milliseconds', $1::timestamptz + (${i} - 1) * ($2::float8 / $3) * interval '1 second')`;

/** One element of a text[] parameter, drawn with a power law: exponent 1 is uniform, larger favours the first. */
const pick = (array: string, exponent: number) =>
  `(${array})[1 + floor(cardinality(${array}) * power(random(), ${exponent}))::int]`;

const say = (message: string) => console.error(`[bench] ${message}`);

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return (performance.now() - started) / 1000;
}

/**
 * Journal entries for every fifth record: 1 to 3 work notes or comments each, hours after
 * the record opened. Written before the records so each record's search document can be
 * computed in its INSERT from its journal, exactly as the service computes it.
 */
async function insertJournal(client: PoolClient, count: number, start: Date): Promise<number> {
  const result = await client.query(
    `INSERT INTO ${JOURNAL} (id, record_id, kind, text, author, at)
     SELECT gen_random_uuid(), ${recordId('i')},
            CASE WHEN random() < 0.7 THEN 'work_note' ELSE 'comment' END,
            (SELECT string_agg(${pick('$4::text[]', 1)}, ' ')
               FROM generate_series(1, 6 + (i + k) % 10)) || ' ' || ${pick('$5::text[]', 2.5)},
            'tech-' || lpad((i % 200)::text, 3, '0'),
            ${openedAt('i')} + k * interval '3 hours'
     FROM generate_series(1, $3::int) AS i
     CROSS JOIN LATERAL generate_series(1, 1 + i % 3) AS k
     WHERE i % 5 = 0`,
    [start, TWO_YEARS_S, count, FILLER, COMPONENTS],
  );
  return result.rowCount ?? 0;
}

/**
 * Records `from`..`to`. Three levels: the draws (volatile, so PostgreSQL keeps the
 * subquery and each draw is made once per row), the fields derived from them, then the
 * row with its lifecycle times and search document.
 */
async function insertRecords(
  client: PoolClient,
  count: number,
  start: Date,
  from: number,
  to: number,
  searchLanguage: string,
): Promise<void> {
  const groupNames = GROUPS.map((group) => group.name);
  const groupBounds = GROUPS.map((_, index) =>
    GROUPS.slice(0, index + 1).reduce((sum, group) => sum + group.share, 0),
  );
  const journalText = `coalesce((SELECT string_agg(j.text, ' ' ORDER BY j.at) FROM ${JOURNAL} j WHERE j.record_id = d.id), '')`;
  await client.query(
    `INSERT INTO ${RECORDS} (id, number, type, title, description, requester, source, category,
       subcategory, business_service_id, ci_ids, impact, urgency, priority, state, hold_reason,
       assignment_group, assignee, major, escalation_level, resolution_code, opened_at,
       first_response_at, resolved_at, closed_at, reopen_count, tags, updated_at, version,
       search_document)
     SELECT d.id, d.number, 'incident', d.title, d.description, d.requester, d.source,
       d.category, d.subcategory, d.business_service_id, d.ci_ids, d.impact, d.urgency,
       'P' || (d.impact + d.urgency - 1), d.state,
       CASE WHEN d.state = 'on_hold' THEN 'awaiting_caller' END,
       d.assignment_group,
       CASE WHEN d.state <> 'new' THEN d.assignee END,
       d.impact = 1 AND d.urgency = 1 AND d.r_major < 0.02,
       CASE WHEN d.r_escalation < 0.01 THEN 2 WHEN d.r_escalation < 0.04 THEN 1 ELSE 0 END,
       CASE WHEN d.state IN ('resolved', 'closed') THEN 'solved_permanently' END,
       d.opened_at,
       CASE WHEN d.state <> 'new' THEN d.opened_at + d.r_response * interval '2 hours' END,
       CASE WHEN d.state IN ('resolved', 'closed') THEN d.resolved_at END,
       CASE WHEN d.state = 'closed' THEN least(d.resolved_at + interval '3 days', now())
            WHEN d.state = 'cancelled' THEN d.opened_at + d.r_response * interval '1 day' END,
       CASE WHEN d.r_escalation > 0.98 THEN 1 ELSE 0 END,
       d.tags,
       least(now(), CASE
         WHEN d.state = 'closed' THEN d.resolved_at + interval '3 days'
         WHEN d.state = 'resolved' THEN d.resolved_at
         WHEN d.state = 'cancelled' THEN d.opened_at + d.r_response * interval '1 day'
         WHEN d.state = 'new' THEN d.opened_at
         ELSE d.opened_at + d.r_response * (now() - d.opened_at) END),
       CASE WHEN d.state = 'new' THEN 1 ELSE 3 + floor(d.r_response * 4)::int END,
       setweight(to_tsvector($8::regconfig, d.title), 'A') ||
         setweight(to_tsvector($8::regconfig, d.description), 'B') ||
         setweight(to_tsvector($8::regconfig, ${journalText}), 'C')
     FROM (
       SELECT g.*,
         'INC' || lpad((1000 + g.i)::text, 7, '0') AS number,
         CASE WHEN g.requester_index = ${SEEDED_REQUESTER_INDEX} THEN 'requester'
           ELSE 'user-' || lpad(g.requester_index::text, 5, '0') END AS requester,
         initcap(g.component) || ' ' || g.symptom || ' (' || g.location || ')' AS title,
         'User reports that ' || g.component || ' ' || g.symptom || ' at the ' || g.location
           || '. Error code E' || lpad(floor(random() * ${ERROR_CODES})::text, 4, '0') || '. '
           || (SELECT string_agg(${pick('$7::text[]', 1)}, ' ')
                 FROM generate_series(1, 10 + g.i % 21)) AS description,
         CASE
           WHEN g.age_days < 2 THEN CASE WHEN g.r_state < 0.25 THEN 'new'
             WHEN g.r_state < 0.70 THEN 'in_progress' WHEN g.r_state < 0.80 THEN 'on_hold'
             ELSE 'resolved' END
           WHEN g.age_days < 14 THEN CASE WHEN g.r_state < 0.03 THEN 'new'
             WHEN g.r_state < 0.15 THEN 'in_progress' WHEN g.r_state < 0.20 THEN 'on_hold'
             WHEN g.r_state < 0.50 THEN 'resolved' WHEN g.r_state < 0.98 THEN 'closed'
             ELSE 'cancelled' END
           ELSE CASE WHEN g.r_state < 0.003 THEN 'in_progress'
             WHEN g.r_state < 0.005 THEN 'on_hold' WHEN g.r_state < 0.035 THEN 'cancelled'
             ELSE 'closed' END
         END AS state,
         ($9::text[])[g.group_index + 1] AS assignment_group,
         CASE WHEN g.group_index = 0 AND g.member = 0 THEN 'agent'
           ELSE 'tech-' || lpad((g.group_index * ${ASSIGNEES_PER_GROUP} + g.member)::text, 3, '0')
         END AS assignee,
         ($6::jsonb -> g.category) ->> floor(jsonb_array_length($6::jsonb -> g.category)
           * power(random(), 1.5))::int AS subcategory,
         ARRAY(SELECT ${uuidSql(`'ci-' || floor(${CONFIGURATION_ITEMS} * power(random(), 3))::int`)}
               FROM generate_series(1, g.ci_count)) AS ci_ids,
         ARRAY(SELECT DISTINCT ${pick('$5::text[]', 2)}
               FROM generate_series(1, g.tag_count) ORDER BY 1) AS tags,
         g.opened_at + power(g.r_response, 2) * interval '72 hours' AS resolved_at
       FROM (
         SELECT i, ${recordId('i')} AS id, ${openedAt('i')} AS opened_at,
           extract(epoch FROM now() - (${openedAt('i')})) / 86400 AS age_days,
           random() AS r_state, random() AS r_response, random() AS r_escalation,
           random() AS r_major,
           CASE WHEN random() < 0.1 THEN 1 WHEN random() < 0.33 THEN 2 ELSE 3 END AS impact,
           CASE WHEN random() < 0.1 THEN 1 WHEN random() < 0.4 THEN 2 ELSE 3 END AS urgency,
           width_bucket(random(), $10::float8[]) AS group_index,
           floor(random() * ${ASSIGNEES_PER_GROUP})::int AS member,
           floor(${REQUESTERS} * power(random(), 2))::int AS requester_index,
           (ARRAY['portal', 'portal', 'email', 'phone', 'monitoring', 'api'])[1 + floor(random() * 6)::int] AS source,
           ${pick('$11::text[]', 1.5)} AS category,
           CASE WHEN random() < 0.9 THEN ${uuidSql(`'business-service-' || floor(${BUSINESS_SERVICES} * power(random(), 2))::int`)} END AS business_service_id,
           (ARRAY[0, 1, 1, 1, 1, 1, 2, 2, 3, 0])[1 + floor(random() * 10)::int] AS ci_count,
           (ARRAY[0, 0, 0, 0, 0, 0, 1, 1, 1, 2])[1 + floor(random() * 10)::int] AS tag_count,
           ${pick('$4::text[]', 2.5)} AS component,
           ${pick('$12::text[]', 1.5)} AS symptom,
           ${pick('$13::text[]', 1)} AS location
         FROM generate_series($14::int, $15::int) AS i
       ) g
     ) d`,
    [
      start,
      TWO_YEARS_S,
      count,
      COMPONENTS,
      TAGS,
      JSON.stringify(TAXONOMY),
      FILLER,
      searchLanguage,
      groupNames,
      groupBounds.slice(0, -1),
      Object.keys(TAXONOMY),
      SYMPTOMS,
      LOCATIONS,
      from,
      to,
    ],
  );
}

async function secondaryIndexes(
  client: PoolClient,
): Promise<{ name: string; definition: string }[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition
     FROM pg_indexes i
     WHERE i.schemaname = 'incident' AND i.tablename = 'records'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                       WHERE c.conname = i.indexname AND c.connamespace = 'incident'::regnamespace)
     ORDER BY i.indexname`,
  );
  return rows;
}

/** Generates `count` incidents into an empty records table; see the file comment. */
export async function generateIncidents(
  pool: Pool,
  count: number,
  searchLanguage: string,
): Promise<GenerationResult> {
  const client = await pool.connect();
  const started = performance.now();
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${RECORDS}`);
    if (Number(rows[0]?.n) > 0)
      throw new Error('incident.records is not empty: generate into a fresh database');
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await client.query('SELECT setseed(0.42)');
    const start = new Date(Date.now() - TWO_YEARS_S * 1000);

    let journalEntries = 0;
    const journal = await timed(async () => {
      journalEntries = await insertJournal(client, count, start);
    });
    say(`generated ${journalEntries} journal entries in ${journal.toFixed(1)} s`);

    const indexes = await secondaryIndexes(client);
    for (const index of indexes) await client.query(`DROP INDEX "incident"."${index.name}"`);
    const records = await timed(async () => {
      for (let from = 1; from <= count; from += BATCH) {
        const to = Math.min(count, from + BATCH - 1);
        await insertRecords(client, count, start, from, to, searchLanguage);
        say(
          `generated records ${from}..${to} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
        );
      }
    });
    // API creates continue the numbering after the generated records.
    await client.query(`SELECT setval('"incident"."incident_number_seq"', $1)`, [1000 + count]);

    const indexSeconds: Record<string, number> = {};
    const indexesTotal = await timed(async () => {
      for (const index of indexes) {
        indexSeconds[index.name] =
          Math.round((await timed(() => client.query(index.definition))) * 10) / 10;
        say(`created ${index.name} in ${indexSeconds[index.name]} s`);
      }
    });
    // Sets the visibility map (index-only scans) and the statistics the planner uses, as
    // autovacuum would have on a table that grew over two years.
    const vacuumAnalyze = await timed(async () => {
      await client.query(`VACUUM (ANALYZE) ${RECORDS}`);
      await client.query(`VACUUM (ANALYZE) ${JOURNAL}`);
    });
    const sizes = await client.query<{ table: string; indexes: string }>(
      `SELECT pg_table_size('incident.records') AS table, pg_indexes_size('incident.records') AS indexes`,
    );
    const mib = (bytes: string | undefined) => Math.round(Number(bytes) / 2 ** 20);
    const round1 = (value: number) => Math.round(value * 10) / 10;
    return {
      incidents: count,
      journalEntries,
      seconds: {
        journal: round1(journal),
        records: round1(records),
        indexes: round1(indexesTotal),
        vacuumAnalyze: round1(vacuumAnalyze),
      },
      totalSeconds: round1((performance.now() - started) / 1000),
      indexSeconds,
      tableMiB: mib(sizes.rows[0]?.table),
      indexesMiB: mib(sizes.rows[0]?.indexes),
    };
  } finally {
    client.release();
  }
}
