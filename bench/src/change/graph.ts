import { type PoolClient } from 'pg';
import { dependencyDraws, itemFor, seededRandom, type GraphItem } from '../ci-graph';
import { uuidSql } from '../incident/dataset';
import { round } from '../stats';

/**
 * The CMDB benchmark's graph (bench/src/ci-graph.ts: the same class mix, the same draws of
 * three `depends_on` relationships per CI) written straight into the cmdb tables with SQL,
 * as an import one request of `batch` CIs at a time would write it: `cis` (with the
 * identifiers, provenance and sources an import by source `bench` records, the `hostname`
 * the cmdb derives from an FQDN), `ci_identifiers` (the name, each identifier, each IP
 * address), `relationships` and their `ci_dependencies` edges. Not written: each CI's
 * `created` history entry and the outbox events (nothing the impact analysis reads), and
 * the draws that repeat a relationship a CI already has (the import answers those as
 * existing, it does not create them twice). CI `i` has the id `nameUuid('ci-' + i)`.
 *
 * The secondary indexes and primary keys of the four tables are dropped for the load and
 * made again from their own definitions afterwards, as a bulk load is done.
 */

export interface GraphSize {
  cis: number;
  relationshipsPerCi: number;
  /** CIs per (simulated) import request: relationships point into the CIs known by then. */
  batch: number;
  seed: number;
}

export interface GraphLoad {
  cis: number;
  relationships: number;
  identifiers: number;
  businessServices: number;
  seconds: { cis: number; relationships: number; derived: number; indexes: number };
}

const TABLES = ['cis', 'ci_identifiers', 'relationships', 'ci_dependencies'];
const ROWS_PER_STATEMENT = 20_000;
const EDGES_PER_STATEMENT = 60_000;

/** The SQL id of CI `index` (an integer expression). */
export const ciIdSql = (index: string): string => uuidSql(`'ci-' || ${index}`);

/** The identifiers an import stores for an item: what it was given, and the hostname of its FQDN. */
function storedIdentifiers(item: GraphItem): Record<string, string | string[]> {
  const identifiers = { ...(item.identifiers ?? {}) };
  const fqdn = identifiers.fqdn;
  if (typeof fqdn === 'string') identifiers.hostname = fqdn.split('.')[0] ?? fqdn;
  return identifiers;
}

/** Which source set each field: an import by `bench` sets every field it gives. */
function provenance(item: GraphItem, identifiers: Record<string, unknown>): Record<string, string> {
  const fields: Record<string, string> = { name: 'bench' };
  if (item.criticality !== undefined) fields.criticality = 'bench';
  for (const key of Object.keys(item.attributes ?? {})) fields[`attributes.${key}`] = 'bench';
  for (const key of Object.keys(identifiers)) fields[`identifiers.${key}`] = 'bench';
  return fields;
}

async function seconds(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return round((performance.now() - started) / 1000, 1) ?? 0;
}

/** Drops the tables' indexes and primary keys, runs `load`, then makes them again. */
async function withoutIndexes(
  client: PoolClient,
  load: () => Promise<void>,
): Promise<{ indexSeconds: number }> {
  const { rows: constraints } = await client.query<{ table: string; name: string; def: string }>(
    `SELECT rel.relname AS table, con.conname AS name, pg_get_constraintdef(con.oid) AS def
       FROM pg_constraint con JOIN pg_class rel ON rel.oid = con.conrelid
       JOIN pg_namespace ns ON ns.oid = rel.relnamespace
      WHERE ns.nspname = 'cmdb' AND rel.relname = ANY($1) AND con.contype = 'p'`,
    [TABLES],
  );
  const { rows: indexes } = await client.query<{ name: string; def: string }>(
    `SELECT indexname AS name, indexdef AS def FROM pg_indexes
      WHERE schemaname = 'cmdb' AND tablename = ANY($1)
        AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')`,
    [TABLES],
  );
  for (const index of indexes) await client.query(`DROP INDEX "cmdb"."${index.name}"`);
  for (const constraint of constraints)
    await client.query(
      `ALTER TABLE "cmdb"."${constraint.table}" DROP CONSTRAINT "${constraint.name}"`,
    );
  await load();
  const started = performance.now();
  await client.query(`SET maintenance_work_mem = '256MB'`);
  for (const constraint of constraints)
    await client.query(
      `ALTER TABLE "cmdb"."${constraint.table}" ADD CONSTRAINT "${constraint.name}" ${constraint.def}`,
    );
  for (const index of indexes) await client.query(index.def);
  return { indexSeconds: round((performance.now() - started) / 1000, 1) ?? 0 };
}

/** Loads the graph into the (empty, migrated) cmdb tables. */
export async function loadGraph(
  client: PoolClient,
  size: GraphSize,
  say: (message: string) => void,
): Promise<GraphLoad> {
  const now = new Date();
  let relationships = 0;
  const timings = { cis: 0, relationships: 0, derived: 0, indexes: 0 };
  const { indexSeconds } = await withoutIndexes(client, async () => {
    timings.cis = await seconds(async () => {
      for (let from = 0; from < size.cis; from += ROWS_PER_STATEMENT) {
        const to = Math.min(from + ROWS_PER_STATEMENT, size.cis);
        const columns = {
          index: [] as number[],
          class: [] as string[],
          name: [] as string[],
          criticality: [] as (number | null)[],
          identifiers: [] as string[],
          attributes: [] as string[],
          provenance: [] as string[],
        };
        for (let index = from; index < to; index += 1) {
          const item = itemFor(index);
          const identifiers = storedIdentifiers(item);
          columns.index.push(index);
          columns.class.push(item.class);
          columns.name.push(item.name);
          columns.criticality.push(item.criticality ?? null);
          columns.identifiers.push(JSON.stringify(identifiers));
          columns.attributes.push(JSON.stringify(item.attributes ?? {}));
          columns.provenance.push(JSON.stringify(provenance(item, identifiers)));
        }
        await client.query(
          `INSERT INTO cmdb.cis (id, class, name, status, environment, owner_group, criticality,
                                 identifiers, attributes, sources, provenance, last_discovered_at,
                                 created_at, updated_at, version, restricted)
           SELECT ${ciIdSql('r.i')}, r.c, r.n, 'operational', NULL, NULL, r.cr, r.idf::jsonb,
                  r.att::jsonb, '{bench}', r.prov::jsonb, $8, $8, $8, 1, false
             FROM unnest($1::int[], $2::text[], $3::text[], $4::smallint[], $5::text[], $6::text[], $7::text[])
                  AS r(i, c, n, cr, idf, att, prov)`,
          [
            columns.index,
            columns.class,
            columns.name,
            columns.criticality,
            columns.identifiers,
            columns.attributes,
            columns.provenance,
            now,
          ],
        );
      }
    });
    say(`graph: ${size.cis} CIs in ${timings.cis} s`);
    timings.relationships = await seconds(async () => {
      const random = seededRandom(size.seed);
      let sources: number[] = [];
      let targets: number[] = [];
      const flush = async () => {
        if (sources.length === 0) return;
        await client.query(
          `INSERT INTO cmdb.relationships (id, type, source_id, target_id, created_at, created_by, source)
           SELECT gen_random_uuid(), 'depends_on', ${ciIdSql('r.s')}, ${ciIdSql('r.t')}, $3,
                  'configuration_manager', 'bench'
             FROM unnest($1::int[], $2::int[]) AS r(s, t)`,
          [sources, targets, now],
        );
        relationships += sources.length;
        sources = [];
        targets = [];
      };
      for (let from = 0; from < size.cis; from += size.batch) {
        const to = Math.min(from + size.batch, size.cis);
        for (let index = from; index < to; index += 1) {
          const seen = new Set<number>();
          for (const draw of dependencyDraws(
            random,
            index,
            from,
            from,
            to,
            size.relationshipsPerCi,
          )) {
            const target = 'known' in draw ? draw.known : draw.inRequest;
            if (seen.has(target)) continue;
            seen.add(target);
            sources.push(index);
            targets.push(target);
          }
        }
        if (sources.length >= EDGES_PER_STATEMENT) await flush();
      }
      await flush();
    });
    say(`graph: ${relationships} relationships in ${timings.relationships} s`);
    timings.derived = await seconds(async () => {
      await client.query(
        `INSERT INTO cmdb.ci_dependencies (dependent_id, dependency_id, relationship_id)
         SELECT source_id, target_id, id FROM cmdb.relationships WHERE type = 'depends_on'`,
      );
      await client.query(
        `INSERT INTO cmdb.ci_identifiers (value, kind, ci_id)
         SELECT name, 'name', id FROM cmdb.cis
         UNION ALL
         SELECT e.value #>> '{}', e.key, c.id
           FROM cmdb.cis c, jsonb_each(c.identifiers) e WHERE jsonb_typeof(e.value) = 'string'
         UNION ALL
         SELECT a #>> '{}', e.key, c.id
           FROM cmdb.cis c, jsonb_each(c.identifiers) e, jsonb_array_elements(e.value) a
          WHERE jsonb_typeof(e.value) = 'array'`,
      );
    });
    say(`graph: dependency edges and identifiers in ${timings.derived} s`);
  });
  timings.indexes = indexSeconds;
  say(`graph: indexes and keys in ${indexSeconds} s`);
  const counts = await client.query<{ identifiers: string; services: string }>(
    `SELECT (SELECT count(*) FROM cmdb.ci_identifiers) AS identifiers,
            (SELECT count(*) FROM cmdb.cis WHERE class = 'business_service') AS services`,
  );
  return {
    cis: size.cis,
    relationships,
    identifiers: Number(counts.rows[0]?.identifiers ?? 0),
    businessServices: Number(counts.rows[0]?.services ?? 0),
    seconds: timings,
  };
}
