import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type ImportReport, type ImportRequest } from '../domain/import-request';

export const IMPORT_JOB_STATES = ['queued', 'running', 'completed', 'failed'] as const;
export type ImportJobState = (typeof IMPORT_JOB_STATES)[number];

/** A discovery import run in the background, with its request (to resume after a restart) and its progress. */
@Entity({ name: 'import_jobs' })
@Index('IDX_import_jobs_state_created_at', ['state', 'createdAt'])
export class ImportJobEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_import_jobs' })
  id!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text' })
  state!: ImportJobState;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy!: string;

  /** The import request as accepted; kept until the job ends. */
  @Column({ type: 'jsonb', nullable: true })
  request!: ImportRequest | null;

  @Column({ name: 'total_items', type: 'integer' })
  totalItems!: number;

  @Column({ name: 'processed_items', type: 'integer', default: 0 })
  processedItems!: number;

  @Column({ name: 'total_relationships', type: 'integer' })
  totalRelationships!: number;

  @Column({ name: 'processed_relationships', type: 'integer', default: 0 })
  processedRelationships!: number;

  @Column({ type: 'jsonb', nullable: true })
  report!: ImportReport | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The claim of the worker running the job, new at every claim: only its holder may write the job's batches. */
  @Column({ type: 'uuid', nullable: true })
  lease!: string | null;

  /** Renewed on a timer while a worker runs the job; a job whose heartbeat stops is taken over. */
  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
