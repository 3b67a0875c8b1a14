import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type CiSnapshot } from '@itsm/contracts';
import { type Caller } from '@itsm/auth';
import { referencedCiVisible } from '../../shared/ci-visibility';
import { tableOf } from '../../shared/sql';
import { RelationshipEntity } from '../../relationships/persistence/relationship.entity';
import { CiHistoryEntity, type CiHistoryKind, type FieldChange } from './ci-history.entity';

export interface NewHistoryEntry {
  ciId: string;
  at: Date;
  kind: CiHistoryKind;
  actor: string;
  source: string | null;
  changes: FieldChange[];
  changeNumber?: string | null;
  snapshot: CiSnapshot | null;
}

/** One row of a CI's history: a change of the CI, or a relationship of it created or deleted. */
export interface HistoryRow {
  /** Orders rows that share a time: `c<id>` for CI changes, `r<relationship id><c|d>`. */
  key: string;
  at: Date;
  kind: CiHistoryKind | 'relationship_created' | 'relationship_deleted';
  actor: string;
  source: string | null;
  changes: FieldChange[];
  changeNumber: string | null;
  version: number | null;
  relationship: { id: string; type: string; sourceId: string; targetId: string } | null;
}

@Injectable()
export class CiHistoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async appendMany(manager: EntityManager, entries: readonly NewHistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await manager.query(
      `INSERT INTO ${tableOf(manager, CiHistoryEntity)} (ci_id, at, kind, actor, source, changes, change_number, snapshot)
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS row(ci_id uuid, at timestamptz, kind text,
         actor text, source text, changes jsonb, change_number text, snapshot jsonb)`,
      [
        JSON.stringify(
          entries.map((entry) => ({
            ci_id: entry.ciId,
            at: entry.at,
            kind: entry.kind,
            actor: entry.actor,
            source: entry.source,
            changes: entry.changes,
            change_number: entry.changeNumber ?? null,
            snapshot: entry.snapshot,
          })),
        ),
      ],
    );
  }

  /** The CI as its last change before `at` left it; null when it did not exist yet. */
  async snapshotAt(ciId: string, at: Date): Promise<CiSnapshot | null> {
    const rows = await this.dataSource.query<{ snapshot: CiSnapshot }[]>(
      `SELECT snapshot FROM ${tableOf(this.dataSource.manager, CiHistoryEntity)}
        WHERE ci_id = $1 AND at <= $2 AND snapshot IS NOT NULL
        ORDER BY at DESC, id DESC LIMIT 1`,
      [ciId, at],
    );
    return rows[0]?.snapshot ?? null;
  }

  /**
   * The CI's changes and its relationships' creations and deletions, oldest first, after
   * the (at, key) position; `limit + 1` rows so the caller knows whether more follow. A
   * relationship to a CI the caller may not see is left out, as that CI is.
   */
  async page(
    ciId: string,
    caller: Caller,
    after: { at: Date; key: string } | undefined,
    limit: number,
  ): Promise<HistoryRow[]> {
    const manager = this.dataSource.manager;
    const history = tableOf(manager, CiHistoryEntity);
    const relationships = tableOf(manager, RelationshipEntity);
    const otherEnd = referencedCiVisible(
      manager,
      caller,
      'CASE WHEN source_id = :ciId THEN target_id ELSE source_id END',
      'other_end',
    );
    const [sql, parameters] = this.dataSource.driver.escapeQueryWithParameters(
      `WITH relationships AS (
         SELECT * FROM ${relationships} WHERE (source_id = :ciId OR target_id = :ciId) AND ${otherEnd.sql}),
       entries AS (
         SELECT 'c' || lpad(id::text, 20, '0') AS key, at, kind, actor, source, changes,
                change_number, (snapshot->>'version')::int AS version, NULL::jsonb AS relationship
           FROM ${history} WHERE ci_id = :ciId
         UNION ALL
         SELECT 'r' || id || 'c', created_at, 'relationship_created', created_by, source, '[]'::jsonb,
                NULL, NULL, jsonb_build_object('id', id, 'type', type, 'sourceId', source_id, 'targetId', target_id)
           FROM relationships
         UNION ALL
         SELECT 'r' || id || 'd', deleted_at, 'relationship_deleted', deleted_by, NULL, '[]'::jsonb,
                NULL, NULL, jsonb_build_object('id', id, 'type', type, 'sourceId', source_id, 'targetId', target_id)
           FROM relationships WHERE deleted_at IS NOT NULL)
       SELECT key, at, kind, actor, source, changes, change_number AS "changeNumber", version, relationship
         FROM entries
        WHERE CAST(:afterAt AS timestamptz) IS NULL OR (at, key) > (CAST(:afterAt AS timestamptz), CAST(:afterKey AS text))
        ORDER BY at, key
        LIMIT :rows`,
      {
        ...otherEnd.parameters,
        ciId,
        afterAt: after?.at ?? null,
        afterKey: after?.key ?? '',
        rows: limit + 1,
      },
      {},
    );
    return this.dataSource.query<HistoryRow[]>(sql, parameters);
  }
}
