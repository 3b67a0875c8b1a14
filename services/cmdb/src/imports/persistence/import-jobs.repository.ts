import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { tableOf } from '../../shared/sql';
import { type ImportReport, type ImportRequest } from '../domain/import-request';
import { ImportJobEntity } from './import-job.entity';

interface ClaimedRow {
  id: string;
  lease: string;
  request: ImportRequest;
  requested_by: string;
}

/** A job as one worker holds it: the lease it was claimed with fences everything it writes. */
export interface JobLease {
  id: string;
  lease: string;
}

export interface ClaimedJob extends JobLease {
  request: ImportRequest;
  requestedBy: string;
}

/** The job was taken over by another worker (this one stopped renewing in time): it must write nothing more. */
export class ImportLeaseLost extends Error {
  constructor(readonly jobId: string) {
    super(`import job ${jobId} is no longer held by this worker: another has taken it over`);
    this.name = 'ImportLeaseLost';
  }
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
   * Takes the oldest job waiting, or one whose worker stopped renewing its lease (a crash,
   * a restart), under a new lease: at most one worker holds a job, and a job left behind
   * is run again from the start, which changes nothing that was already applied. A job
   * whose worker is writing a batch (its row locked, see {@link inLease}) is never taken.
   */
  async claimNext(leaseMs: number): Promise<ClaimedJob | null> {
    // An UPDATE answers [rows, affected row count] through TypeORM.
    const [updated] = await this.dataSource.query<[ClaimedRow[], number]>(
      `UPDATE ${this.table} AS job
          SET state = 'running', lease = gen_random_uuid(), heartbeat_at = now(),
              processed_items = 0, processed_relationships = 0
        WHERE job.id = (
          SELECT id FROM ${this.table}
           WHERE state = 'queued'
              OR (state = 'running' AND heartbeat_at < now() - make_interval(secs => $1 / 1000.0))
           ORDER BY created_at
           LIMIT 1
           FOR UPDATE SKIP LOCKED)
        RETURNING job.id, job.lease, job.request, job.requested_by`,
      [leaseMs],
    );
    const claimed = updated[0];
    return claimed
      ? {
          id: claimed.id,
          lease: claimed.lease,
          request: claimed.request,
          requestedBy: claimed.requested_by,
        }
      : null;
  }

  /** Renews the lease's heartbeat; false when the job is no longer this lease's (taken over, or ended). */
  async renew(job: JobLease): Promise<boolean> {
    const [, renewed] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE ${this.table} SET heartbeat_at = now()
        WHERE id = $1 AND lease = $2 AND state = 'running'`,
      [job.id, job.lease],
    );
    return renewed === 1;
  }

  /**
   * Runs `work` in a transaction that commits only if the job is still this lease's: the
   * row is key-share locked first, which a takeover's claim (`FOR UPDATE SKIP LOCKED`)
   * cannot get past until the commit, while the heartbeat's update still can. The progress
   * is recorded in the same transaction.
   */
  async inLease(
    job: JobLease,
    progress: { processedItems: number; processedRelationships: number },
    work: (manager: EntityManager) => Promise<void>,
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const held = await manager.query<unknown[]>(
        `SELECT 1 FROM ${this.table} WHERE id = $1 AND lease = $2 AND state = 'running' FOR KEY SHARE`,
        [job.id, job.lease],
      );
      if (held.length === 0) throw new ImportLeaseLost(job.id);
      await work(manager);
      await manager.query(
        `UPDATE ${this.table} SET processed_items = $3, processed_relationships = $4
          WHERE id = $1 AND lease = $2`,
        [job.id, job.lease, progress.processedItems, progress.processedRelationships],
      );
    });
  }

  /** Ends the job as completed, if it is still this lease's. */
  async complete(job: JobLease, report: ImportReport): Promise<boolean> {
    return this.finish(job, { state: 'completed', report, error: null });
  }

  /** Ends the job as failed, if it is still this lease's. */
  async fail(job: JobLease, error: string): Promise<boolean> {
    return this.finish(job, { state: 'failed', report: null, error });
  }

  private async finish(
    job: JobLease,
    outcome: { state: 'completed' | 'failed'; report: ImportReport | null; error: string | null },
  ): Promise<boolean> {
    const [, finished] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE ${this.table}
          SET state = $3, report = $4::jsonb, error = $5, request = NULL, finished_at = now()
        WHERE id = $1 AND lease = $2 AND state = 'running'`,
      [
        job.id,
        job.lease,
        outcome.state,
        outcome.report === null ? null : JSON.stringify(outcome.report),
        outcome.error,
      ],
    );
    return finished === 1;
  }

  private get table(): string {
    return tableOf(this.dataSource.manager, ImportJobEntity);
  }
}
