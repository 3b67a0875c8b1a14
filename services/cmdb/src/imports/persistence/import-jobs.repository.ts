import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { tableOf } from '../../shared/sql';
import { type ImportReport, type ImportRequest } from '../domain/import-request';
import { ImportJobEntity } from './import-job.entity';

interface ClaimedRow {
  id: string;
  request: ImportRequest;
  requested_by: string;
}

@Injectable()
export class ImportJobsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(job: ImportJobEntity): Promise<void> {
    await this.dataSource.getRepository(ImportJobEntity).save(job);
  }

  async findById(id: string): Promise<ImportJobEntity | null> {
    return this.dataSource.getRepository(ImportJobEntity).findOneBy({ id });
  }

  /**
   * Takes the oldest job waiting, or one whose worker stopped beating (a crash, a restart):
   * at most one worker holds a job, and a job left behind is run again from the start,
   * which changes nothing that was already applied.
   */
  async claimNext(
    staleAfterMs: number,
  ): Promise<{ id: string; request: ImportRequest; requestedBy: string } | null> {
    // An UPDATE answers [rows, affected row count] through TypeORM.
    const [updated] = await this.dataSource.query<[ClaimedRow[], number]>(
      `UPDATE ${tableOf(this.dataSource.manager, ImportJobEntity)} AS job
          SET state = 'running', heartbeat_at = now(), processed_items = 0, processed_relationships = 0
        WHERE job.id = (
          SELECT id FROM ${tableOf(this.dataSource.manager, ImportJobEntity)}
           WHERE state = 'queued'
              OR (state = 'running' AND heartbeat_at < now() - make_interval(secs => $1 / 1000.0))
           ORDER BY created_at
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING job.id, job.request, job.requested_by`,
      [staleAfterMs],
    );
    const claimed = updated[0];
    return claimed
      ? { id: claimed.id, request: claimed.request, requestedBy: claimed.requested_by }
      : null;
  }

  async recordProgress(
    id: string,
    processedItems: number,
    processedRelationships: number,
  ): Promise<void> {
    await this.dataSource
      .getRepository(ImportJobEntity)
      .update({ id }, { processedItems, processedRelationships, heartbeatAt: new Date() });
  }

  async complete(id: string, report: ImportReport): Promise<void> {
    await this.dataSource
      .getRepository(ImportJobEntity)
      .update({ id }, { state: 'completed', report, request: null, finishedAt: new Date() });
  }

  async fail(id: string, error: string): Promise<void> {
    await this.dataSource
      .getRepository(ImportJobEntity)
      .update({ id }, { state: 'failed', error, request: null, finishedAt: new Date() });
  }
}
