import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { type CiStatus } from '@itsm/contracts';
import { configurationItemCondition, type Caller } from '@itsm/auth';
import { type IdentifierKind } from '../../ci-classes/domain/ci-class';
import { tableOf } from '../../shared/sql';
import { identifierEntries, type Ci } from '../domain/ci';
import { CiEntity } from './ci.entity';
import { CiIdentifierEntity } from './ci-identifier.entity';

export interface CiListFilter {
  /** Only these CIs. */
  ids?: string[];
  classes?: string[];
  status?: CiStatus;
  environment?: string;
  ownerGroup?: string;
  restricted?: boolean;
  /** Only the CIs this caller may see. */
  visibleTo: Caller;
  /** Case-insensitive prefix of the name. */
  namePrefix?: string;
  /** Any identifier value (serial number, host name, FQDN, IP address, cloud id). */
  identifier?: string;
  /** Only CIs a discovery last saw before this time. */
  notDiscoveredSince?: Date;
  afterId?: string;
  limit: number;
}

export interface IdentifierMatch {
  kind: IdentifierKind;
  value: string;
  ciId: string;
  class: string;
  fqdn: string | null;
}

const CI_COLUMNS = `id uuid, class text, name text, status text, environment text, owner_group text,
  restricted boolean, criticality smallint, identifiers jsonb, attributes jsonb, sources text[], provenance jsonb,
  last_discovered_at timestamptz, created_at timestamptz, updated_at timestamptz, version int`;

function asRecord(ci: Ci): Record<string, unknown> {
  return {
    id: ci.id,
    class: ci.class,
    name: ci.name,
    status: ci.status,
    environment: ci.environment,
    owner_group: ci.ownerGroup,
    restricted: ci.restricted,
    criticality: ci.criticality,
    identifiers: ci.identifiers,
    attributes: ci.attributes,
    sources: ci.sources,
    provenance: ci.provenance,
    last_discovered_at: ci.lastDiscoveredAt,
    created_at: ci.createdAt,
    updated_at: ci.updatedAt,
    version: ci.version,
  };
}

/** Named queries on CIs and their identifiers; every write takes the caller's transaction, in bulk. */
@Injectable()
export class CisRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insertMany(manager: EntityManager, cis: readonly Ci[]): Promise<void> {
    if (cis.length === 0) return;
    await manager.query(
      `INSERT INTO ${tableOf(manager, CiEntity)} (id, class, name, status, environment, owner_group,
         restricted, criticality, identifiers, attributes, sources, provenance, last_discovered_at, created_at,
         updated_at, version)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS row(${CI_COLUMNS})`,
      [JSON.stringify(cis.map(asRecord))],
    );
    await this.insertIdentifiers(manager, cis);
  }

  /** Writes the CIs' current state (the caller has them locked) and re-indexes their identifiers. */
  async updateMany(manager: EntityManager, cis: readonly Ci[]): Promise<void> {
    if (cis.length === 0) return;
    await manager.query(
      `UPDATE ${tableOf(manager, CiEntity)} AS ci
          SET class = row.class, name = row.name, status = row.status,
              environment = row.environment, owner_group = row.owner_group,
              restricted = row.restricted,
              criticality = row.criticality, identifiers = row.identifiers,
              attributes = row.attributes, sources = row.sources, provenance = row.provenance,
              last_discovered_at = row.last_discovered_at, updated_at = row.updated_at,
              version = row.version
         FROM jsonb_to_recordset($1::jsonb) AS row(${CI_COLUMNS})
        WHERE ci.id = row.id`,
      [JSON.stringify(cis.map(asRecord))],
    );
    await manager.query(
      `DELETE FROM ${tableOf(manager, CiIdentifierEntity)} WHERE ci_id = ANY($1)`,
      [cis.map((ci) => ci.id)],
    );
    await this.insertIdentifiers(manager, cis);
  }

  /** Records that a discovery saw these CIs, without making it a change of theirs. */
  async markDiscovered(manager: EntityManager, ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await manager.query(
      `UPDATE ${tableOf(manager, CiEntity)} SET last_discovered_at = $2 WHERE id = ANY($1)`,
      [ids, at],
    );
  }

  private async insertIdentifiers(manager: EntityManager, cis: readonly Ci[]): Promise<void> {
    const entries = cis.flatMap((ci) =>
      identifierEntries(ci.name, ci.identifiers).map((entry) => ({ ...entry, ciId: ci.id })),
    );
    await manager.query(
      `INSERT INTO ${tableOf(manager, CiIdentifierEntity)} (value, kind, ci_id)
       SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[]) ON CONFLICT DO NOTHING`,
      [
        entries.map((entry) => entry.value),
        entries.map((entry) => entry.kind),
        entries.map((entry) => entry.ciId),
      ],
    );
  }

  /**
   * Serializes identification with the writes that follow it until the caller's
   * transaction ends: two imports (or creates) that both see a CI as new cannot both create
   * it.
   */
  async lockIdentification(manager: EntityManager): Promise<void> {
    await manager.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('itsm.cmdb.identification', 0))`,
    );
  }

  /** The CIs that carry any of these identifier values, with what identification needs of them. */
  async findByIdentifierValues(
    manager: EntityManager,
    values: readonly string[],
  ): Promise<IdentifierMatch[]> {
    if (values.length === 0) return [];
    return manager.query<IdentifierMatch[]>(
      `SELECT identifier.kind, identifier.value, identifier.ci_id AS "ciId", ci.class,
              ci.identifiers->>'fqdn' AS fqdn
         FROM ${tableOf(manager, CiIdentifierEntity)} AS identifier
         JOIN ${tableOf(manager, CiEntity)} AS ci ON ci.id = identifier.ci_id
        WHERE identifier.value = ANY($1)`,
      [[...new Set(values)]],
    );
  }

  /** Locks the rows for the rest of the caller's transaction, in id order (no deadlock between two importers). */
  async findManyForUpdate(manager: EntityManager, ids: readonly string[]): Promise<Ci[]> {
    if (ids.length === 0) return [];
    return manager
      .getRepository(CiEntity)
      .createQueryBuilder('ci')
      .where('ci.id = ANY(:ids)', { ids: [...new Set(ids)].sort() })
      .orderBy('ci.id')
      .setLock('pessimistic_write')
      .getMany();
  }

  async findForUpdate(manager: EntityManager, id: string): Promise<Ci | null> {
    const [ci] = await this.findManyForUpdate(manager, [id]);
    return ci ?? null;
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Ci | null> {
    return manager.getRepository(CiEntity).findOneBy({ id });
  }

  async findByIds(
    ids: readonly string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Ci[]> {
    if (ids.length === 0) return [];
    return manager.getRepository(CiEntity).findBy({ id: In([...ids]) });
  }

  /** Which of these ids are CIs, with their class. */
  async classesOf(manager: EntityManager, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await manager.query<{ id: string; class: string }[]>(
      `SELECT id, class FROM ${tableOf(manager, CiEntity)} WHERE id = ANY($1)`,
      [[...new Set(ids)]],
    );
    return new Map(rows.map((row) => [row.id, row.class]));
  }

  /** One page in id order (keyset), `limit + 1` rows so the caller knows whether more follow. */
  async list(filter: CiListFilter): Promise<Ci[]> {
    const visible = configurationItemCondition(filter.visibleTo, {
      restricted: 'ci.restricted',
      ownerGroup: 'ci.owner_group',
    });
    const query = this.dataSource
      .getRepository(CiEntity)
      .createQueryBuilder('ci')
      .where(visible.sql, visible.parameters);
    if (filter.ids) query.andWhere('ci.id = ANY(:ids)', { ids: filter.ids });
    if (filter.classes) query.andWhere('ci.class = ANY(:classes)', { classes: filter.classes });
    if (filter.status) query.andWhere('ci.status = :status', { status: filter.status });
    if (filter.environment)
      query.andWhere('ci.environment = :environment', { environment: filter.environment });
    if (filter.ownerGroup)
      query.andWhere('ci.owner_group = :ownerGroup', { ownerGroup: filter.ownerGroup });
    if (filter.restricted !== undefined)
      query.andWhere('ci.restricted = :restricted', { restricted: filter.restricted });
    if (filter.namePrefix)
      query.andWhere(`lower(ci.name) LIKE :prefix ESCAPE '\\'`, {
        prefix: `${filter.namePrefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    if (filter.identifier) {
      const value = filter.identifier.trim();
      query.andWhere(
        `ci.id IN (SELECT identifier.ci_id FROM ${tableOf(this.dataSource.manager, CiIdentifierEntity)} AS identifier
                    WHERE identifier.value = ANY(:values) AND identifier.kind <> 'name')`,
        { values: [...new Set([value, value.toLowerCase(), value.toUpperCase()])] },
      );
    }
    if (filter.notDiscoveredSince)
      query.andWhere('ci.last_discovered_at < :since', { since: filter.notDiscoveredSince });
    if (filter.afterId) query.andWhere('ci.id > :afterId', { afterId: filter.afterId });
    return query
      .orderBy('ci.id', 'ASC')
      .limit(filter.limit + 1)
      .getMany();
  }
}
