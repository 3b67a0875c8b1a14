import { type PoolClient } from 'pg';
import { uuidSql } from '../incident/dataset';
import { round } from '../stats';
import { ciIdSql } from './graph';

/**
 * Two years of change management in the change service's tables, set-based in PostgreSQL
 * (generate_series, no row goes through Node), in the shape the service writes them
 * (services/change/src/migrations, changes/domain): the creates are not what this
 * benchmark measures (the pipeline benchmark measures creates).
 *
 * - Change `k` (1..N) is opened at an even step over the 730 days before the run, so that
 *   numbers grow with time (`CHG` and seven digits; the number sequence is set past N).
 * - Model: 50 % standard (from one of ten published templates, 30 % of them raised by a
 *   pipeline with an `externalRef`), 42 % normal, 8 % emergency. Lead time from opening
 *   to the planned start: standard 2 h to 3 days, normal 2 to 21 days, emergency under
 *   4 h; planned windows on quarter hours, standard 30 min to 2 h, normal 1 to 8 h (5 %
 *   1 to 3 days), emergency 1 to 4 h. So the planned starts cover the two years and the
 *   three weeks after the run, thinning out as a real schedule does.
 * - State from the planned window against the run's clock: long past, 90 % closed, 9 %
 *   cancelled, 1 % left in review; the last week, closed, in review or implementation;
 *   under way, implementing; future, scheduled (standard), new to scheduled (normal, by how
 *   near), authorize or scheduled (emergency). Approval, authorisation, actual times,
 *   close codes (90 % successful), review notes where closing needs them, closing times and
 *   versions follow the state; 3 % of completed changes caused an incident.
 * - CIs: `1 + k % 10` of them (so a tenth of the changes have exactly 10), 30 % of the
 *   draws from the first 1 % of the CIs (the ones changed often), the rest from all; 20 %
 *   also name a business service. Forty assignment groups (skewed), ten implementers each.
 *
 * Not written: journal entries, field history, approval rounds and tasks (nothing the
 * measured reads touch).
 */

export interface ChangeSeedSize {
  changes: number;
  cis: number;
}

export interface ChangeSeed {
  changes: number;
  templates: number;
  byState: Record<string, number>;
  byModel: Record<string, number>;
  tenCiChanges: number;
  openTenCiChanges: number;
  plannedFrom: string;
  plannedTo: string;
  seconds: { templates: number; changes: number; vacuumAnalyze: number };
}

const TEMPLATES = [
  ['Rolling restart of an application tier', 'software'],
  ['TLS certificate rotation', 'security'],
  ['Operating system patch (monthly)', 'software'],
  ['Database minor version upgrade', 'database'],
  ['Firewall rule addition (pre-approved ports)', 'network'],
  ['Virtual machine resize', 'hardware'],
  ['Storage volume extension', 'hardware'],
  ['Load balancer pool member change', 'network'],
  ['Application configuration toggle', 'software'],
  ['Scheduled failover test', 'database'],
] as const;

const VERBS = ['Upgrade', 'Migrate', 'Replace', 'Reconfigure', 'Patch', 'Decommission', 'Deploy'];
const THINGS = [
  'payment gateway',
  'core switch stack',
  'customer portal',
  'ERP database cluster',
  'VPN concentrator',
  'identity provider',
  'message broker',
  'SAN controller firmware',
  'HR application',
  'monitoring agents',
  'DNS resolvers',
  'backup appliance',
];
const CATEGORIES = ['software', 'hardware', 'network', 'database', 'security', 'other'];
const GROUPS = 40;

const templateIdSql = (n: string) => uuidSql(`'bench-template-' || ${n}`);
const DAY_S = 86_400;

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return round((performance.now() - started) / 1000, 1) ?? 0;
}

/** Ten standard change templates, each with one published version, as the template lifecycle leaves them. */
async function insertTemplates(client: PoolClient, now: Date): Promise<void> {
  const names = TEMPLATES.map(([name]) => name);
  const categories = TEMPLATES.map(([, category]) => category);
  const created = new Date(now.getTime() - 800 * DAY_S * 1000);
  await client.query(
    `INSERT INTO change.change_templates (id, name, description, state, published_version,
       draft_version, latest_version, created_by, created_at, updated_at, revision)
     SELECT ${templateIdSql('t.n - 1')}, t.name, 'Pre-authorised: ' || lower(t.name) || '.',
            'published', 1, NULL, 1, 'change_manager', $2, $2, 4
       FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n)`,
    [names, created],
  );
  await client.query(
    `INSERT INTO change.change_template_versions (template_id, version, state, name, description,
       change_title, change_description, category, implementation_plan, backout_plan, test_plan,
       impact, risk, assignment_group, tasks, authors, proposed_by, proposed_at, approved_by,
       approved_at, published_by, published_at, updated_at)
     SELECT ${templateIdSql('t.n - 1')}, 1, 'published', t.name,
            'Pre-authorised: ' || lower(t.name) || '.', t.name,
            'Standard change: ' || lower(t.name) || ', as documented in the runbook.',
            c.category, 'Follow the runbook step by step.', 'Roll back as the runbook says.',
            'Smoke tests of the runbook.', 3, CASE WHEN t.n % 4 = 0 THEN 'moderate' ELSE 'low' END,
            'change-team-' || lpad(((t.n - 1) % ${GROUPS})::text, 2, '0'),
            jsonb_build_array(jsonb_build_object('type', 'implementation', 'title', 'Carry out the runbook', 'description', 'As the runbook says.')),
            '{change_manager}', 'change_manager', $3, 'cab_member', $3, 'change_manager', $3, $3
       FROM unnest($1::text[]) WITH ORDINALITY AS t(name, n)
       JOIN unnest($2::text[]) WITH ORDINALITY AS c(category, n) USING (n)`,
    [names, categories, created],
  );
}

/** Changes `from`..`to` of `total`. */
async function insertChanges(
  client: PoolClient,
  now: Date,
  size: ChangeSeedSize,
  from: number,
  to: number,
): Promise<void> {
  const hot = Math.max(100, Math.floor(size.cis / 100));
  const ciIndex = `(CASE WHEN random() < 0.3 THEN floor(random() * ${hot})
    ELSE floor(random() * ${size.cis}) END)::int`;
  const services = Math.max(1, Math.floor(size.cis / 100));
  const quarter = (expression: string) =>
    `to_timestamp(ceil(extract(epoch FROM ${expression}) / 900) * 900)`;
  await client.query(
    `INSERT INTO change.changes (id, number, title, description, justification, model, template_id,
       template_version, category, impact, risk, risk_source, risk_reasons, risk_assessed_at,
       state, approval, on_hold, hold_reason, planned_start, planned_end, actual_start,
       actual_end, implementation_plan, backout_plan, test_plan, ci_ids, business_service_ids,
       assignment_group, assignee, requested_by, problem_ids, incident_ids, caused_incident_ids,
       close_code, close_notes, review_notes, unauthorized, blackout_override_reason,
       external_ref, opened_at, authorized_at, closed_at, closed_by, updated_at, version,
       risk_answers, held_by_window_id)
     SELECT d.id, d.number, d.title, d.description, d.justification, d.model,
       d.template_id, CASE WHEN d.template_id IS NOT NULL THEN 1 END, d.category, d.impact,
       d.risk, d.risk_source, d.risk_reasons, d.opened_at, d.state, d.approval, false, NULL,
       d.planned_start, d.planned_end, d.actual_start, d.actual_end,
       CASE WHEN d.state <> 'new' OR d.model = 'standard' THEN 'Steps: prepare, ' || lower(d.title) || ', verify.' END,
       CASE WHEN d.state <> 'new' OR d.model = 'standard' THEN 'Restore the previous version from the backup taken first.' END,
       CASE WHEN d.state <> 'new' OR d.model = 'standard' THEN 'Smoke tests and monitoring dashboards green.' END,
       d.ci_ids, d.business_service_ids, d.assignment_group, d.assignee, d.requested_by,
       '{}', '{}', d.caused_incident_ids, d.close_code,
       CASE WHEN d.close_code IS NOT NULL THEN 'Implemented; outcome ' || d.close_code || '.' END,
       CASE WHEN d.state = 'closed' AND (d.model = 'emergency' OR d.close_code IN ('unsuccessful', 'backed_out'))
            THEN 'Post-implementation review held; actions recorded.' END,
       false, NULL, d.external_ref, d.opened_at, d.authorized_at, d.closed_at,
       CASE WHEN d.closed_at IS NOT NULL THEN coalesce(d.assignee, 'change_manager') END,
       least($1::timestamptz, greatest(d.opened_at, d.authorized_at, d.actual_start, d.actual_end, d.closed_at)),
       CASE d.state WHEN 'new' THEN 1 WHEN 'assess' THEN 2 WHEN 'authorize' THEN 3
         WHEN 'scheduled' THEN 4 WHEN 'implement' THEN 5 WHEN 'review' THEN 6
         WHEN 'closed' THEN 7 ELSE 3 END,
       '{}', NULL
     FROM (
       SELECT g.*,
         CASE WHEN g.model = 'standard' THEN 'not_required'
           WHEN g.state IN ('new', 'assess') THEN 'not_requested'
           WHEN g.state = 'authorize' THEN 'requested'
           WHEN g.state = 'cancelled' THEN 'not_requested'
           ELSE 'approved' END AS approval,
         CASE WHEN g.model <> 'standard' AND g.state IN ('scheduled', 'implement', 'review', 'closed')
           THEN least($1::timestamptz, g.opened_at + (g.planned_start - g.opened_at) / 2) END AS authorized_at,
         CASE WHEN g.state IN ('implement', 'review', 'closed') THEN g.planned_start END AS actual_start,
         CASE WHEN g.state IN ('review', 'closed') THEN g.planned_end END AS actual_end,
         CASE WHEN g.state IN ('review', 'closed') THEN
           CASE WHEN g.r_close < 0.90 THEN 'successful' WHEN g.r_close < 0.95 THEN 'successful_with_issues'
             WHEN g.r_close < 0.98 THEN 'unsuccessful' ELSE 'backed_out' END END AS close_code,
         CASE WHEN g.state = 'closed' THEN least($1::timestamptz, g.planned_end + (1 + 2 * g.r_close) * interval '1 day')
           WHEN g.state = 'cancelled' THEN least($1::timestamptz, g.opened_at + (g.planned_start - g.opened_at) / 2) END AS closed_at,
         CASE WHEN g.state IN ('review', 'closed') AND g.r_incident < 0.03
           THEN ARRAY[${uuidSql(`'bench-caused-incident-' || g.k`)}] ELSE '{}'::uuid[] END AS caused_incident_ids,
         CASE WHEN g.state <> 'new' THEN 'impl-' || lpad(g.group_n::text, 2, '0') || '-' || floor(g.r_assignee * 10)::int END AS assignee
       FROM (
         SELECT f.*,
           CASE
             WHEN f.planned_end < $1::timestamptz - interval '7 days' THEN
               CASE WHEN f.r_state < 0.90 THEN 'closed' WHEN f.r_state < 0.99 THEN 'cancelled' ELSE 'review' END
             WHEN f.planned_end <= $1::timestamptz THEN
               CASE WHEN f.r_state < 0.55 THEN 'closed' WHEN f.r_state < 0.60 THEN 'cancelled'
                 WHEN f.r_state < 0.95 THEN 'review' ELSE 'implement' END
             WHEN f.planned_start <= $1::timestamptz THEN
               CASE WHEN f.r_state < 0.9 THEN 'implement' ELSE 'scheduled' END
             WHEN f.model = 'standard' THEN CASE WHEN f.r_state < 0.97 THEN 'scheduled' ELSE 'cancelled' END
             WHEN f.model = 'emergency' THEN CASE WHEN f.r_state < 0.6 THEN 'scheduled' ELSE 'authorize' END
             WHEN f.planned_start < $1::timestamptz + interval '2 days' THEN
               CASE WHEN f.r_state < 0.85 THEN 'scheduled' WHEN f.r_state < 0.95 THEN 'authorize' ELSE 'cancelled' END
             ELSE CASE WHEN f.r_state < 0.2 THEN 'new' WHEN f.r_state < 0.5 THEN 'assess'
               WHEN f.r_state < 0.75 THEN 'authorize' WHEN f.r_state < 0.95 THEN 'scheduled' ELSE 'cancelled' END
           END AS state
         FROM (
           SELECT e.*, e.planned_start + e.duration AS planned_end,
             CASE e.model
               WHEN 'standard' THEN (SELECT v.change_title FROM change.change_template_versions v WHERE v.template_id = e.template_id)
               ELSE e.verb || ' ' || e.thing END AS title,
             CASE e.model WHEN 'standard' THEN 'Standard change from its template.'
               ELSE e.verb || ' the ' || e.thing || ' for the ' || e.assignment_group || ' team; see the implementation plan.' END AS description,
             CASE WHEN e.model <> 'standard' THEN 'Keeps the ' || e.thing || ' supported and secure.' END AS justification,
             CASE
               WHEN e.model = 'standard' THEN CASE WHEN e.r_risk < 0.8 THEN 'low' ELSE 'moderate' END
               WHEN e.model = 'emergency' THEN 'high'
               WHEN e.r_risk < 0.4 THEN 'low' WHEN e.r_risk < 0.8 THEN 'moderate'
               WHEN e.r_risk < 0.97 THEN 'high' ELSE 'very_high' END AS risk,
             CASE
               WHEN e.model = 'standard' THEN 'template'
               WHEN e.model = 'emergency' THEN 'condition'
               WHEN e.r_risk < 0.4 THEN NULL
               WHEN e.r_risk < 0.6 THEN 'questionnaire' ELSE 'blast_radius' END AS risk_source,
             CASE
               WHEN e.model = 'standard' THEN ARRAY['The template was assessed at this risk.']
               WHEN e.model = 'emergency' THEN ARRAY['Condition "Emergency change": it is an emergency change; high risk.']
               WHEN e.r_risk < 0.4 THEN '{}'::text[]
               WHEN e.r_risk < 0.6 THEN ARRAY['Questionnaire "Normal change" scores 6, 6 or more.']
               ELSE ARRAY['The change''s CIs reach business services upstream.'] END AS risk_reasons
           FROM (
             SELECT c.*,
               ${quarter(`c.opened_at + c.lead`)} AS planned_start,
               CASE c.model
                 WHEN 'standard' THEN (2 + floor(c.r_duration * 6)) * interval '15 minutes'
                 WHEN 'emergency' THEN (4 + floor(c.r_duration * 12)) * interval '15 minutes'
                 ELSE CASE WHEN c.r_long < 0.05 THEN (96 + floor(c.r_duration * 192)) * interval '15 minutes'
                   ELSE (4 + floor(c.r_duration * 28)) * interval '15 minutes' END END AS duration,
               CASE WHEN c.model = 'standard' THEN ${templateIdSql('c.k % 10')} END AS template_id,
               CASE WHEN c.model = 'standard' AND c.r_pipeline < 0.3 THEN jsonb_build_object(
                 'provider', 'github-actions', 'pipeline', 'org/app-' || (c.k % 50), 'run', c.k::text,
                 'environment', 'production', 'commit', md5(c.k::text)) END AS external_ref
             FROM (
               SELECT b.*,
                 CASE b.model
                   WHEN 'standard' THEN interval '2 hours' + b.r_lead * interval '70 hours'
                   WHEN 'normal' THEN interval '2 days' + b.r_lead * interval '19 days'
                   ELSE b.r_lead * interval '4 hours' END AS lead
               FROM (
                 SELECT k,
                   ${uuidSql(`'bench-change-' || k`)} AS id,
                   'CHG' || lpad(k::text, 7, '0') AS number,
                   date_trunc('milliseconds', $1::timestamptz - interval '730 days'
                     + (k - 1) * (${730 * DAY_S}::float8 / $2) * interval '1 second') AS opened_at,
                   CASE WHEN r_model < 0.50 THEN 'standard' WHEN r_model < 0.92 THEN 'normal' ELSE 'emergency' END AS model,
                   random() AS r_lead, random() AS r_duration, random() AS r_long, random() AS r_state,
                   random() AS r_close, random() AS r_incident, random() AS r_risk, random() AS r_pipeline,
                   random() AS r_assignee,
                   ($5::text[])[1 + floor(random() * ${VERBS.length})::int] AS verb,
                   ($6::text[])[1 + floor(random() * ${THINGS.length})::int] AS thing,
                   ($7::text[])[1 + floor(random() * ${CATEGORIES.length})::int] AS category,
                   1 + floor(random() * 3)::int AS impact,
                   a.group_n,
                   'change-team-' || lpad(a.group_n::text, 2, '0') AS assignment_group,
                   CASE WHEN random() < 0.3 THEN 'change_manager'
                     ELSE 'requester-' || lpad(floor(random() * 500)::text, 3, '0') END AS requested_by,
                   ARRAY(SELECT DISTINCT ${ciIdSql(ciIndex)} FROM generate_series(1, 1 + k % 10)) AS ci_ids,
                   CASE WHEN random() < 0.2 THEN ARRAY[${ciIdSql(`(100 * floor(random() * ${services}))::int`)}]
                     ELSE '{}'::uuid[] END AS business_service_ids
                 FROM (SELECT k, random() AS r_model, floor(${GROUPS} * power(random(), 1.5))::int AS group_n
                         FROM generate_series($3::int, $4::int) AS k) AS a
               ) b
             ) c
           ) e
         ) f
       ) g
     ) d`,
    [now, size.changes, from, to, VERBS, THINGS, CATEGORIES],
  );
}

export async function seedChanges(
  client: PoolClient,
  size: ChangeSeedSize,
  say: (message: string) => void,
): Promise<ChangeSeed> {
  const now = new Date();
  const seconds = { templates: 0, changes: 0, vacuumAnalyze: 0 };
  // The generating statement is large enough for the JIT to spend seconds compiling it, per batch.
  await client.query('SET jit = off');
  seconds.templates = await timed(() => insertTemplates(client, now));
  seconds.changes = await timed(async () => {
    const step = 50_000;
    for (let from = 1; from <= size.changes; from += step) {
      const to = Math.min(from + step - 1, size.changes);
      await insertChanges(client, now, size, from, to);
      say(`changes: ${to} of ${size.changes}`);
    }
  });
  await client.query(`SELECT setval('change.change_number_seq', $1::bigint)`, [size.changes]);
  seconds.vacuumAnalyze = await timed(() => client.query('VACUUM (ANALYZE) change.changes'));
  await client.query('ANALYZE change.change_templates');
  await client.query('ANALYZE change.change_template_versions');
  const groupBy = async (column: string) =>
    Object.fromEntries(
      (
        await client.query<{ key: string; count: string }>(
          `SELECT ${column} AS key, count(*) FROM change.changes GROUP BY 1 ORDER BY 2 DESC`,
        )
      ).rows.map((row) => [row.key, Number(row.count)]),
    );
  const { rows } = await client.query<{
    ten: string;
    open_ten: string;
    planned_from: Date;
    planned_to: Date;
  }>(
    `SELECT count(*) FILTER (WHERE cardinality(ci_ids) = 10) AS ten,
            count(*) FILTER (WHERE cardinality(ci_ids) = 10
                             AND state NOT IN ('closed', 'cancelled')) AS open_ten,
            min(planned_start) AS planned_from, max(planned_end) AS planned_to
       FROM change.changes`,
  );
  const row = rows[0];
  return {
    changes: size.changes,
    templates: TEMPLATES.length,
    byState: await groupBy('state'),
    byModel: await groupBy('model'),
    tenCiChanges: Number(row?.ten ?? 0),
    openTenCiChanges: Number(row?.open_ten ?? 0),
    plannedFrom: row?.planned_from.toISOString() ?? '',
    plannedTo: row?.planned_to.toISOString() ?? '',
    seconds,
  };
}
