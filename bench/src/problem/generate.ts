import { type Pool, type PoolClient } from 'pg';
import { uuidSql } from '../incident/dataset';
import { round } from '../stats';
import {
  BUSINESS_SERVICES,
  CATEGORIES,
  CI_CLASSES,
  COMPONENTS,
  CONFIGURATION_ITEMS,
  GENERIC_CODES,
  GROUPS,
  HOT_CIS,
  HOT_SHARE,
  HTTP_CODES,
  ORA_CODES,
  ROOT_CAUSES,
  SOLUTIONS,
  SYMPTOMS,
  VENDORS,
  WINDOWS_CODES,
  WORKAROUNDS,
} from './dataset';

/**
 * Fills the problem service's tables with a year of problem management, set-based in
 * PostgreSQL (generate_series, no row goes through Node): problems with a journal note
 * each other one, the incident copy (what the service keeps of incident events), the links
 * between them, and known errors. The secondary indexes are dropped during the load and
 * created again from their own definitions (`pg_indexes.indexdef`), as a bulk load is
 * done; the tables end with exactly the indexes the migration made, then VACUUM ANALYZE.
 *
 * - Problem `k` (1..P) and incident `g` (1..N) are opened at even steps over the last 365
 *   days, so numbers grow with time; their states follow their age (recent ones open,
 *   older ones mostly closed).
 * - CIs: 20 % of references go to the first 1,000 ("hot") CIs, the rest spread over all
 *   20,000; business services and categories: 50 x 20.
 * - L of the N incidents, spread evenly over the year, are linked: each to a problem
 *   opened within 30 days after it, 40 % of them to the next "magnet" problem (every 20th)
 *   and 10 % to the next big one (every 500th), so a few problems have hundreds of
 *   incidents, some dozens, and most none to three. A linked
 *   incident names its problem's CIs, service and category. Each problem's
 *   `incident_count` is its number of links.
 * - Known errors: symptom, root cause, workaround and solution from a vocabulary, an error
 *   code of the family of their CI's class (ORA- for databases, HTTP- for web tiers,
 *   Windows codes for workstations, E#### otherwise), 1 to 3 CIs, 10 % expired.
 * - Search documents are computed in the INSERT with the services' own expressions
 *   (checked afterwards against the service's refresh where it can be called).
 */

export interface ProblemDatasetSize {
  problems: number;
  incidents: number;
  linked: number;
  knownErrors: number;
}

export interface GenerationResult extends ProblemDatasetSize {
  journalEntries: number;
  openProblems: number;
  autoProblems: number;
  /** Links per problem: how skewed they are. */
  incidentCount: { max: number; mean: number; withNone: number };
  /** Incident copies opened in the last 24 h (what the candidate rules look back over). */
  incidentsLast24h: number;
  seconds: {
    journal: number;
    problems: number;
    links: number;
    incidents: number;
    counts: number;
    knownErrors: number;
    indexes: number;
    vacuumAnalyze: number;
  };
  totalSeconds: number;
  indexSeconds: Record<string, number>;
  tableMiB: Record<string, number>;
}

const SCHEMA = 'problem';
const PROBLEMS = '"problem"."problems"';
const LINKS = '"problem"."problem_incidents"';
const COPIES = '"problem"."incident_copies"';
const KNOWN_ERRORS = '"problem"."known_errors"';
const JOURNAL = '"problem"."journal_entries"';
const LOADED_TABLES = ['problems', 'problem_incidents', 'incident_copies', 'known_errors'];
const BATCH = 100_000;
const YEAR_S = 365 * 86_400;

const problemId = (k: string) => uuidSql(`'bench-problem-' || ${k}`);
const incidentIdSql = (g: string) => uuidSql(`'bench-incident-' || ${g}`);
const ciSql = (index: string) => uuidSql(`'ci-' || ${index}`);
/** A CI index: a fifth of the draws among the hot CIs. */
const ciIndex = `(CASE WHEN random() < ${HOT_SHARE} THEN floor(random() * ${HOT_CIS})
  ELSE floor(random() * ${CONFIGURATION_ITEMS}) END)::int`;
/** Item `i` (1-based) of `count` opened at an even step over the year before `$1`. */
const openedAt = (i: string, count: string) =>
  `date_trunc('milliseconds', $1::timestamptz - interval '365 days' + (${i} - 1) * (${YEAR_S}::float8 / ${count}) * interval '1 second')`;
/** One element of a text[] parameter, drawn with a power law: exponent 1 is uniform, larger favours the first. */
const pick = (array: string, exponent = 1) =>
  `(${array})[1 + floor(cardinality(${array}) * power(random(), ${exponent}))::int]`;
/** The text with its first letter in upper case (initcap would capitalise every word). */
const capital = (text: string) => `(upper(left(${text}, 1)) || substr(${text}, 2))`;
const serviceSql = `${uuidSql(`'business-service-' || floor(random() * ${BUSINESS_SERVICES})::int`)}`;

const say = (message: string) => console.error(`[bench problem] ${message}`);

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return round((performance.now() - started) / 1000, 1) ?? 0;
}

/** One work note on every other problem, a day after it opened: the search document reads the journal. */
async function insertJournal(client: PoolClient, now: Date, problems: number): Promise<number> {
  const result = await client.query(
    `INSERT INTO ${JOURNAL} (id, record_id, kind, text, author, at)
     SELECT gen_random_uuid(), ${problemId('k')}, 'work_note',
            'Analysis: ' || ${pick('$3::text[]')} || '. Next: ' || ${pick('$4::text[]')} || '.',
            'tech-' || lpad((k % 200)::text, 3, '0'),
            least($1::timestamptz, ${openedAt('k', '$2')} + interval '1 day')
     FROM generate_series(1, $2::int) AS k
     WHERE k % 2 = 0`,
    [now, problems, ROOT_CAUSES, WORKAROUNDS],
  );
  return result.rowCount ?? 0;
}

/**
 * Problems `from`..`to`: draws, then the fields derived from them, then the row with its
 * lifecycle and its search document (ProblemsRepository.refreshSearchDocument's expression).
 */
async function insertProblems(
  client: PoolClient,
  now: Date,
  problems: number,
  from: number,
  to: number,
  language: string,
): Promise<void> {
  const journalText = `coalesce((SELECT string_agg(j.text, ' ' ORDER BY j.at) FROM ${JOURNAL} j WHERE j.record_id = d.id), '')`;
  const reached = (states: string) => `d.state IN (${states})`;
  await client.query(
    `INSERT INTO ${PROBLEMS} (id, number, title, description, category, business_service_id,
       ci_ids, impact, urgency, priority, state, source, candidate_reason, candidate_key,
       assignment_group, assignee, opened_by, cause_notes, fix_notes, workaround,
       resolution_code, resolution_notes, opened_at, confirmed_at, confirmed_by,
       root_cause_identified_at, root_cause_identified_by, resolved_at, resolved_by,
       closed_at, closed_by, reanalysis_count, updated_at, version, search_document)
     SELECT d.id, d.number, d.title, d.description, d.category, d.business_service_id,
       d.ci_ids, d.impact, d.urgency, 'P' || (d.impact + d.urgency - 1), d.state, d.source,
       d.candidate_reason, d.candidate_key, d.assignment_group,
       CASE WHEN d.state <> 'new' THEN d.assignee END, d.opened_by,
       d.cause_notes, d.fix_notes, d.workaround, d.resolution_code,
       CASE WHEN d.resolution_code IS NOT NULL THEN 'Resolved: ' || d.solution END,
       d.opened_at,
       CASE WHEN ${reached(`'root_cause_analysis', 'fix_in_progress', 'resolved', 'closed'`)} THEN d.opened_at + interval '2 days' END,
       CASE WHEN ${reached(`'root_cause_analysis', 'fix_in_progress', 'resolved', 'closed'`)} THEN d.assignee END,
       CASE WHEN d.cause_notes IS NOT NULL THEN d.opened_at + interval '9 days' END,
       CASE WHEN d.cause_notes IS NOT NULL THEN d.assignee END,
       CASE WHEN ${reached(`'resolved', 'closed'`)} THEN d.opened_at + interval '20 days' END,
       CASE WHEN ${reached(`'resolved', 'closed'`)} THEN d.assignee END,
       CASE WHEN ${reached(`'closed', 'cancelled'`)} THEN d.opened_at + interval '30 days' END,
       CASE WHEN ${reached(`'closed', 'cancelled'`)} THEN 'problem_manager' END,
       CASE WHEN d.r_reanalysis < 0.03 THEN 1 ELSE 0 END,
       least($1::timestamptz, d.opened_at + CASE d.state WHEN 'new' THEN interval '0'
         WHEN 'assess' THEN interval '1 day' WHEN 'root_cause_analysis' THEN interval '3 days'
         WHEN 'fix_in_progress' THEN interval '10 days' WHEN 'resolved' THEN interval '20 days'
         ELSE interval '30 days' END),
       CASE d.state WHEN 'new' THEN 1 WHEN 'assess' THEN 2 WHEN 'root_cause_analysis' THEN 3
         WHEN 'fix_in_progress' THEN 5 WHEN 'resolved' THEN 7 ELSE 8 END,
       setweight(to_tsvector($3::regconfig, d.number || ' ' || d.title), 'A') ||
         setweight(to_tsvector($3::regconfig, d.description), 'B') ||
         setweight(to_tsvector($3::regconfig, concat_ws(' ', d.cause_notes, d.fix_notes, d.workaround)), 'B') ||
         setweight(to_tsvector($3::regconfig, ${journalText}), 'C')
     FROM (
       SELECT g.*,
         'PRB' || lpad(g.k::text, 7, '0') AS number,
         CASE g.source WHEN 'auto' THEN 'Recurring incidents: ' ELSE '' END
           || initcap(g.component) || ': ' || g.symptom AS title,
         'Several incidents report that ' || g.component || ' ' || g.symptom
           || '. Affected users are spread over the sites; see the linked incidents.' AS description,
         CASE WHEN g.source = 'auto' THEN 'same_ci:' || g.ci_ids[1]
           WHEN g.source = 'major_incident' THEN 'major_incident:' || ${uuidSql(`'bench-major-' || g.k`)} END AS candidate_key,
         CASE WHEN g.source = 'auto' THEN 'Rule same_ci: 3 incidents on configuration item '
           || g.ci_ids[1] || ' within 24 h with no open problem covering them.' END AS candidate_reason,
         CASE WHEN g.source = 'auto' THEN 'system' ELSE 'problem_manager' END AS opened_by,
         CASE WHEN g.state IN ('fix_in_progress', 'resolved', 'closed') THEN ${capital('g.cause')} || '.' END AS cause_notes,
         CASE WHEN g.state IN ('resolved', 'closed') THEN ${capital('g.solution')} || '.' END AS fix_notes,
         CASE WHEN g.state NOT IN ('new', 'assess') AND g.r_workaround < 0.6 THEN ${capital('g.work')} || '.' END AS workaround,
         CASE WHEN g.state IN ('resolved', 'closed') THEN
           CASE WHEN g.r_workaround < 0.9 THEN 'fix_applied' ELSE 'risk_accepted' END
           WHEN g.state = 'cancelled' THEN 'cancelled' END AS resolution_code
       FROM (
         SELECT f.*,
           CASE
             WHEN f.age_days < 30 THEN CASE WHEN f.r_state < 0.25 THEN 'new'
               WHEN f.r_state < 0.45 THEN 'assess' WHEN f.r_state < 0.75 THEN 'root_cause_analysis'
               WHEN f.r_state < 0.90 THEN 'fix_in_progress' ELSE 'resolved' END
             WHEN f.age_days < 90 THEN CASE WHEN f.r_state < 0.15 THEN 'root_cause_analysis'
               WHEN f.r_state < 0.30 THEN 'fix_in_progress' WHEN f.r_state < 0.50 THEN 'resolved'
               WHEN f.r_state < 0.97 THEN 'closed' ELSE 'cancelled' END
             ELSE CASE WHEN f.r_state < 0.01 THEN 'root_cause_analysis'
               WHEN f.r_state < 0.02 THEN 'fix_in_progress' WHEN f.r_state < 0.95 THEN 'closed'
               ELSE 'cancelled' END
           END AS state,
           ARRAY(SELECT DISTINCT ${ciSql(ciIndex)} FROM generate_series(1,
             CASE WHEN f.source = 'auto' THEN greatest(f.ci_count, 1) ELSE f.ci_count END)) AS ci_ids
         FROM (
           SELECT k, ${problemId('k')} AS id, ${openedAt('k', '$2')} AS opened_at,
             extract(epoch FROM $1::timestamptz - (${openedAt('k', '$2')})) / 86400 AS age_days,
             random() AS r_state, random() AS r_workaround, random() AS r_reanalysis,
             CASE WHEN random() < 0.2 THEN 'auto' WHEN random() < 0.3 THEN 'incident'
               WHEN random() < 0.07 THEN 'major_incident' ELSE 'manual' END AS source,
             (ARRAY[1, 1, 1, 1, 1, 1, 1, 1, 2, 0])[1 + floor(random() * 10)::int] AS ci_count,
             CASE WHEN random() < 0.2 THEN 1 WHEN random() < 0.5 THEN 2 ELSE 3 END AS impact,
             CASE WHEN random() < 0.2 THEN 1 WHEN random() < 0.5 THEN 2 ELSE 3 END AS urgency,
             ${pick('$4::text[]', 1.5)} AS category,
             ${serviceSql} AS business_service_id,
             ${pick('$5::text[]', 1.3)} AS assignment_group,
             'tech-' || lpad(floor(random() * 200)::text, 3, '0') AS assignee,
             ${pick('$6::text[]', 2)} AS component,
             ${pick('$7::text[]')} AS symptom,
             ${pick('$8::text[]')} AS cause,
             ${pick('$9::text[]')} AS work,
             ${pick('$10::text[]')} AS solution
           FROM generate_series($11::int, $12::int) AS k
         ) f
       ) g
     ) d`,
    [
      now,
      problems,
      language,
      CATEGORIES,
      GROUPS,
      COMPONENTS,
      SYMPTOMS,
      ROOT_CAUSES,
      WORKAROUNDS,
      SOLUTIONS,
      from,
      to,
    ],
  );
}

/**
 * The links: `linked` incidents spread evenly over the `incidents` (the same positions the
 * incident copy reads), each to a problem opened within 30 days after it, or to the next
 * magnet (every 20th) or big (every 500th) problem.
 */
async function insertLinks(
  client: PoolClient,
  now: Date,
  size: ProblemDatasetSize,
): Promise<number> {
  const result = await client.query(
    `INSERT INTO ${LINKS} (incident_id, problem_id, linked_by, linked_at)
     SELECT ${incidentIdSql('l.g')}, ${problemId('l.k')},
            CASE WHEN random() < 0.3 THEN 'system' ELSE 'problem_manager' END,
            least($1::timestamptz, ${openedAt('l.k', '$3')} + random() * interval '7 days')
     FROM (
       SELECT d.g, CASE
           WHEN d.r < 0.1 AND (d.k / 500 + 1) * 500 <= $3::int THEN (d.k / 500 + 1) * 500
           WHEN d.r < 0.5 AND (d.k / 20 + 1) * 20 <= $3::int THEN (d.k / 20 + 1) * 20
           ELSE d.k END AS k
       FROM (
         -- OFFSET 0 keeps the draws in this subquery: each is made once per row, not once
         -- per reference (a flattened random() would be drawn anew in each CASE branch).
         SELECT a.g, a.k0 + floor(random() * least(greatest(1, $3::int * 30 / 365),
                                                   $3::int - a.k0 + 1))::int AS k,
                random() AS r
         FROM (SELECT g, ceil($3::int::float8 * g / $2::int)::int AS k0
               FROM generate_series(1, $2::int) AS g
               WHERE g::bigint * $4::int / $2::int > (g - 1)::bigint * $4::int / $2::int) a
         OFFSET 0
       ) d
     ) l`,
    [now, size.incidents, size.problems, size.linked],
  );
  return result.rowCount ?? 0;
}

/**
 * Incident copies `from`..`to`: a linked one takes its problem's CIs, service and
 * category; the others draw theirs. States follow the age, as the incident service's
 * would, and the version how often it changed.
 */
async function insertIncidents(
  client: PoolClient,
  now: Date,
  incidents: number,
  from: number,
  to: number,
): Promise<void> {
  await client.query(
    `INSERT INTO ${COPIES} (id, number, title, description, state, requester,
       assignment_group, assignee, category, subcategory, business_service_id, ci_ids, impact,
       urgency, major, opened_at, version)
     SELECT d.id, d.number, initcap(d.component) || ': ' || d.symptom,
       'User reports that ' || d.component || ' ' || d.symptom || '.',
       d.state, 'user-' || lpad(d.requester::text, 5, '0'), d.assignment_group,
       CASE WHEN d.state <> 'new' THEN 'tech-' || lpad(d.member::text, 3, '0') END,
       coalesce(p.category, d.category), NULL,
       CASE WHEN p.id IS NOT NULL THEN p.business_service_id ELSE d.business_service_id END,
       CASE WHEN p.id IS NOT NULL THEN p.ci_ids ELSE d.ci_ids END,
       d.impact, d.urgency, d.impact = 1 AND d.urgency = 1 AND d.r_major < 0.02, d.opened_at,
       CASE WHEN d.state = 'new' THEN 1 ELSE 3 + floor(d.r_major * 4)::int END
     FROM (
       SELECT f.*,
         CASE
           WHEN f.age_days < 2 THEN CASE WHEN f.r_state < 0.25 THEN 'new'
             WHEN f.r_state < 0.70 THEN 'in_progress' WHEN f.r_state < 0.80 THEN 'on_hold'
             ELSE 'resolved' END
           WHEN f.age_days < 14 THEN CASE WHEN f.r_state < 0.03 THEN 'new'
             WHEN f.r_state < 0.15 THEN 'in_progress' WHEN f.r_state < 0.20 THEN 'on_hold'
             WHEN f.r_state < 0.50 THEN 'resolved' WHEN f.r_state < 0.98 THEN 'closed'
             ELSE 'cancelled' END
           ELSE CASE WHEN f.r_state < 0.003 THEN 'in_progress'
             WHEN f.r_state < 0.005 THEN 'on_hold' WHEN f.r_state < 0.035 THEN 'cancelled'
             ELSE 'closed' END
         END AS state,
         ARRAY(SELECT DISTINCT ${ciSql(ciIndex)} FROM generate_series(1, f.ci_count)) AS ci_ids
       FROM (
         SELECT g, ${incidentIdSql('g')} AS id, 'INC' || lpad((1000 + g)::text, 7, '0') AS number,
           ${openedAt('g', '$2')} AS opened_at,
           extract(epoch FROM $1::timestamptz - (${openedAt('g', '$2')})) / 86400 AS age_days,
           random() AS r_state, random() AS r_major,
           floor(10000 * power(random(), 2))::int AS requester,
           ${pick('$3::text[]', 1.5)} AS assignment_group,
           floor(random() * 200)::int AS member,
           ${pick('$4::text[]', 1.5)} AS category,
           ${serviceSql} AS business_service_id,
           (ARRAY[1, 1, 1, 1, 1, 1, 1, 1, 2, 0])[1 + floor(random() * 10)::int] AS ci_count,
           CASE WHEN random() < 0.1 THEN 1 WHEN random() < 0.33 THEN 2 ELSE 3 END AS impact,
           CASE WHEN random() < 0.1 THEN 1 WHEN random() < 0.4 THEN 2 ELSE 3 END AS urgency,
           ${pick('$5::text[]', 2)} AS component,
           ${pick('$6::text[]')} AS symptom
         FROM generate_series($7::int, $8::int) AS g
       ) f
     ) d
     LEFT JOIN ${LINKS} l ON l.incident_id = d.id
     LEFT JOIN ${PROBLEMS} p ON p.id = l.problem_id`,
    [now, incidents, GROUPS, CATEGORIES, COMPONENTS, SYMPTOMS, from, to],
  );
}

/**
 * Known errors: created at even steps over two years, each with its CI's class and an
 * error code of that class's family; the search document is the known-error repository's
 * expression (title, symptom, error code A; workaround, root cause B; solution C).
 */
async function insertKnownErrors(
  client: PoolClient,
  now: Date,
  size: ProblemDatasetSize,
  language: string,
): Promise<void> {
  await client.query(
    `INSERT INTO ${KNOWN_ERRORS} (id, number, title, symptom, root_cause, workaround, solution,
       error_code, category, ci_ids, ci_class, vendor, model, version, problem_id, valid_until,
       created_by, created_at, updated_at, revision, search_document)
     SELECT d.id, d.number, d.title, d.symptom, d.root_cause, d.workaround, d.solution,
       d.error_code, d.category, d.ci_ids, d.ci_class, d.vendor, d.model, d.version,
       d.problem_id, d.valid_until, 'problem_manager', d.created_at,
       least($1::timestamptz, d.created_at + d.r_update * interval '60 days'),
       1 + floor(d.r_update * 4)::int,
       setweight(to_tsvector($2::regconfig, d.title), 'A') ||
         setweight(to_tsvector($2::regconfig, d.symptom), 'A') ||
         setweight(to_tsvector($2::regconfig, coalesce(d.error_code, '')), 'A') ||
         setweight(to_tsvector($2::regconfig, coalesce(d.workaround, '')), 'B') ||
         setweight(to_tsvector($2::regconfig, coalesce(d.root_cause, '')), 'B') ||
         setweight(to_tsvector($2::regconfig, coalesce(d.solution, '')), 'C')
     FROM (
       SELECT c.*,
         ${capital('c.cause')} || '.' AS root_cause,
         ${capital('c.work')} || '.' AS workaround,
         ${capital('c.fix')} || '.' AS solution,
         initcap(c.component) || ': ' || c.phrase || coalesce(' (' || c.error_code || ')', '') AS title,
         'On ' || c.component || ', ' || c.phrase
           || coalesce('; the log shows ' || c.error_code, '') || '. Seen on ' || c.ci_class
           || ' CIs running ' || c.vendor || ' ' || c.version || '.' AS symptom
       FROM (
         SELECT b.*,
           CASE WHEN b.r_code < 0.15 THEN NULL
             WHEN b.ci_class = 'database' THEN ${pick('$9::text[]', 1.5)}
             WHEN b.ci_class IN ('application', 'load_balancer') THEN ${pick('$10::text[]', 1.5)}
             WHEN b.ci_class = 'workstation' THEN ${pick('$11::text[]', 1.5)}
             ELSE 'E' || lpad(floor(random() * ${GENERIC_CODES})::text, 4, '0') END AS error_code,
           ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[${ciSql('b.first_ci')}] ||
             ARRAY(SELECT ${ciSql(ciIndex)} FROM generate_series(1, b.extra_cis))) AS x) AS ci_ids
         FROM (
           SELECT a.k, ${uuidSql(`'bench-known-error-' || a.k`)} AS id,
             'KE' || lpad(a.k::text, 7, '0') AS number,
             date_trunc('milliseconds', $1::timestamptz - interval '730 days'
               + (a.k - 1) * (${2 * YEAR_S}::float8 / $3) * interval '1 second') AS created_at,
             random() AS r_code, random() AS r_update, a.first_ci,
             ($4::text[])[1 + a.first_ci % ${CI_CLASSES.length}] AS ci_class,
             (ARRAY[0, 0, 0, 0, 1, 1, 2])[1 + floor(random() * 7)::int] AS extra_cis,
             ${pick('$5::text[]', 1.5)} AS component,
             ${pick('$6::text[]')} AS phrase,
             CASE WHEN random() < 0.85 THEN ${pick('$7::text[]')} END AS cause,
             CASE WHEN random() < 0.8 THEN ${pick('$8::text[]')} END AS work,
             CASE WHEN random() < 0.5 THEN ${pick('$12::text[]')} END AS fix,
             ${pick('$13::text[]', 1.5)} AS category,
             ${pick('$14::text[]')} AS vendor,
             'model-' || (1 + floor(random() * 40)::int) AS model,
             (1 + floor(random() * 12)::int) || '.' || floor(random() * 7)::int AS version,
             CASE WHEN random() < 0.6 THEN ${problemId(`(1 + floor(random() * $15))::int`)} END AS problem_id,
             CASE WHEN random() < 0.1 THEN $1::timestamptz - random() * interval '200 days'
               WHEN random() < 0.1 THEN $1::timestamptz + random() * interval '200 days' END AS valid_until
           FROM (SELECT k, ${ciIndex} AS first_ci FROM generate_series(1, $3::int) AS k) a
         ) b
       ) c
     ) d`,
    [
      now,
      language,
      size.knownErrors,
      CI_CLASSES,
      COMPONENTS,
      SYMPTOMS,
      ROOT_CAUSES,
      WORKAROUNDS,
      ORA_CODES,
      HTTP_CODES,
      WINDOWS_CODES,
      SOLUTIONS,
      CATEGORIES,
      VENDORS,
      size.problems,
    ],
  );
}

async function secondaryIndexes(
  client: PoolClient,
): Promise<{ name: string; table: string; definition: string }[]> {
  const { rows } = await client.query<{ name: string; table: string; definition: string }>(
    `SELECT i.indexname AS name, i.tablename AS table, i.indexdef AS definition
     FROM pg_indexes i
     WHERE i.schemaname = $1 AND i.tablename = ANY($2)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                       WHERE c.conname = i.indexname AND c.connamespace = $1::regnamespace)
     ORDER BY i.tablename, i.indexname`,
    [SCHEMA, LOADED_TABLES],
  );
  return rows;
}

/** Generates the dataset into the empty tables of a freshly migrated database; see the file comment. */
export async function generateProblemDataset(
  pool: Pool,
  size: ProblemDatasetSize,
  language: string,
): Promise<GenerationResult> {
  if (size.linked > size.incidents)
    throw new Error('BENCH_PROBLEM_LINKED must not exceed BENCH_PROBLEM_INCIDENTS');
  const client = await pool.connect();
  const started = performance.now();
  try {
    const { rows } = await client.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM ${PROBLEMS}) + (SELECT count(*) FROM ${COPIES})
            + (SELECT count(*) FROM ${KNOWN_ERRORS}) AS n`,
    );
    if (Number(rows[0]?.n) > 0)
      throw new Error('the problem tables are not empty: generate into a fresh database');
    await client.query(`SET maintenance_work_mem = '512MB'`);
    await client.query('SELECT setseed(0.16)');
    const now = new Date();

    let journalEntries = 0;
    const journal = await timed(async () => {
      journalEntries = await insertJournal(client, now, size.problems);
    });
    say(`${journalEntries} journal entries in ${journal} s`);

    const indexes = await secondaryIndexes(client);
    for (const index of indexes) await client.query(`DROP INDEX "${SCHEMA}"."${index.name}"`);

    const problems = await timed(async () => {
      for (let from = 1; from <= size.problems; from += BATCH) {
        const to = Math.min(size.problems, from + BATCH - 1);
        await insertProblems(client, now, size.problems, from, to, language);
      }
    });
    say(`${size.problems} problems in ${problems} s`);
    let linkedRows = 0;
    const links = await timed(async () => {
      linkedRows = await insertLinks(client, now, size);
    });
    say(`${linkedRows} links in ${links} s`);
    const incidents = await timed(async () => {
      for (let from = 1; from <= size.incidents; from += BATCH) {
        const to = Math.min(size.incidents, from + BATCH - 1);
        await insertIncidents(client, now, size.incidents, from, to);
        say(
          `incident copies ${from}..${to} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
        );
      }
    });
    const counts = await timed(() =>
      client.query(
        `UPDATE ${PROBLEMS} p SET incident_count = c.n
         FROM (SELECT problem_id, count(*)::int AS n FROM ${LINKS} GROUP BY problem_id) c
         WHERE p.id = c.problem_id`,
      ),
    );
    const knownErrors = await timed(() => insertKnownErrors(client, now, size, language));
    say(`${size.knownErrors} known errors in ${knownErrors} s`);
    // API creates continue the numbering after the generated records.
    await client.query(`SELECT setval('"problem"."problem_number_seq"', $1)`, [size.problems]);
    await client.query(`SELECT setval('"problem"."known_error_number_seq"', $1)`, [
      size.knownErrors,
    ]);

    const indexSeconds: Record<string, number> = {};
    const indexesTotal = await timed(async () => {
      for (const index of indexes) {
        indexSeconds[index.name] = await timed(() => client.query(index.definition));
      }
    });
    say(`${indexes.length} indexes in ${indexesTotal} s`);
    // The visibility map (index-only scans) and the planner's statistics, as autovacuum
    // would have them on tables that grew over a year.
    const vacuumAnalyze = await timed(async () => {
      for (const table of [...LOADED_TABLES, 'journal_entries'])
        await client.query(`VACUUM (ANALYZE) "${SCHEMA}"."${table}"`);
    });

    const { rows: facts } = await client.query<{
      open: string;
      auto: string;
      max: string;
      mean: string;
      none: string;
      recent: string;
    }>(
      `SELECT count(*) FILTER (WHERE state = ANY($1)) AS open,
              count(*) FILTER (WHERE source = 'auto') AS auto,
              max(incident_count) AS max, avg(incident_count) AS mean,
              count(*) FILTER (WHERE incident_count = 0) AS none,
              (SELECT count(*) FROM ${COPIES} WHERE opened_at > now() - interval '24 hours') AS recent
       FROM ${PROBLEMS}`,
      [['new', 'assess', 'root_cause_analysis', 'fix_in_progress']],
    );
    const { rows: sizes } = await client.query<{ table: string; bytes: string }>(
      `SELECT c.relname AS table, pg_total_relation_size(c.oid) AS bytes
       FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relname = ANY($2)`,
      [SCHEMA, LOADED_TABLES],
    );
    const fact = facts[0];
    return {
      ...size,
      journalEntries,
      openProblems: Number(fact?.open),
      autoProblems: Number(fact?.auto),
      incidentCount: {
        max: Number(fact?.max),
        mean: round(Number(fact?.mean), 2) ?? 0,
        withNone: Number(fact?.none),
      },
      incidentsLast24h: Number(fact?.recent),
      seconds: {
        journal,
        problems,
        links,
        incidents,
        counts,
        knownErrors,
        indexes: indexesTotal,
        vacuumAnalyze,
      },
      totalSeconds: round((performance.now() - started) / 1000, 1) ?? 0,
      indexSeconds,
      tableMiB: Object.fromEntries(
        sizes.map((row) => [row.table, Math.round(Number(row.bytes) / 2 ** 20)]),
      ),
    };
  } finally {
    client.release();
  }
}
