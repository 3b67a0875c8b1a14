import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { projectionNamed } from '../domain/projection-catalog';
import { type ProjectionDefinition } from '../domain/projection';
import { REBUILD_LOCK_CLASS, type AppliedCounts } from './projection-writer';
import { ProjectionStateEntity, type RebuildProgress } from './projection-state.entity';

const STATE = '"reporting"."projection_state"';

/** A projection's state, with whether a rebuild of it runs anywhere right now. */
export interface ProjectionStatus extends ProjectionStateEntity {
  rebuildRunning: boolean;
}

@Injectable()
export class ProjectionStateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Counts and Kafka position of one event applied live, in its inbox transaction. */
  async recordLive(
    manager: EntityManager,
    projection: ProjectionDefinition,
    counts: AppliedCounts,
    origin: { topic: string; partition: number; offset: string },
  ): Promise<void> {
    const position = `${origin.topic}:${origin.partition}`;
    await manager.query(
      `UPDATE ${STATE}
          SET events_applied = events_applied + $2, events_skipped = events_skipped + $3,
              positions = positions || jsonb_build_object($4::text,
                GREATEST(COALESCE((positions->>$4::text)::bigint, -1), $5::bigint)::text),
              updated_at = now()
        WHERE name = $1`,
      [projection.name, counts.applied, counts.skipped, position, origin.offset],
    );
  }

  async rebuildProgressed(
    manager: EntityManager,
    name: string,
    progress: Partial<RebuildProgress>,
    status?: 'live' | 'rebuilding',
  ): Promise<void> {
    await manager.query(
      `UPDATE ${STATE}
          SET rebuild = COALESCE(rebuild, '{}'::jsonb) || $2::jsonb,
              status = COALESCE($3, status), updated_at = now()
        WHERE name = $1`,
      [name, JSON.stringify(progress), status ?? null],
    );
  }

  /** The swap's bookkeeping: the new table is complete up to `archiveSequence`. */
  async swapped(
    manager: EntityManager,
    projection: ProjectionDefinition,
    archiveSequence: string,
    counts: AppliedCounts,
    progress: Partial<RebuildProgress>,
  ): Promise<void> {
    await manager.query(
      `UPDATE ${STATE}
          SET version = $2, archive_sequence = $3, events_applied = $4, events_skipped = $5,
              status = 'live', rebuild = COALESCE(rebuild, '{}'::jsonb) || $6::jsonb,
              updated_at = now()
        WHERE name = $1`,
      [
        projection.name,
        projection.version,
        archiveSequence,
        counts.applied,
        counts.skipped,
        JSON.stringify(progress),
      ],
    );
  }

  async findAll(): Promise<ProjectionStatus[]> {
    return this.find();
  }

  async findOne(name: string): Promise<ProjectionStatus | undefined> {
    return (await this.find(name))[0];
  }

  private async find(name?: string): Promise<ProjectionStatus[]> {
    const rows = await this.dataSource.getRepository(ProjectionStateEntity).find({
      where: name === undefined ? {} : { name },
      order: { name: 'ASC' },
    });
    // A rebuild holds its session lock while it runs: a crashed one has released it.
    const running = await this.dataSource.query<{ lock_id: number }[]>(
      `SELECT objid::int AS lock_id FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND classid = $1 AND objsubid = 2
          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [REBUILD_LOCK_CLASS],
    );
    const runningIds = new Set(running.map((row) => row.lock_id));
    return rows.map((row) => ({
      ...row,
      rebuildRunning: runningIds.has(projectionNamed(row.name)?.lockId ?? -1),
    }));
  }
}
