import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a rebuild stands (see docs/reporting.md, "Read models"). */
export interface RebuildProgress {
  startedAt: string;
  /** The archive sequence the replay runs to (then the catch-up moves it on). */
  targetSequence: string | null;
  processedSequence: string;
  processed: number;
  total: number | null;
  finishedAt: string | null;
  error: string | null;
}

/** One row per projection: its code version, its table, and how far it has got. */
@Entity({ name: 'projection_state' })
export class ProjectionStateEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_projection_state' })
  name!: string;

  /** The code version the table was built with; lower than the code's: a rebuild is due. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'table_name', type: 'text' })
  tableName!: string;

  /** `{"topic:partition": "offset"}` of the last events applied live. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  positions!: Record<string, string>;

  /** The archive sequence up to which the table is known complete after a rebuild. */
  @Column({ name: 'archive_sequence', type: 'bigint', default: 0 })
  archiveSequence!: string;

  @Column({ name: 'events_applied', type: 'bigint', default: 0 })
  eventsApplied!: string;

  /** Events of the projection's families in a schema version no reader knows (kept in the archive). */
  @Column({ name: 'events_skipped', type: 'bigint', default: 0 })
  eventsSkipped!: string;

  @Column({ type: 'text', default: 'live' })
  status!: 'live' | 'rebuilding';

  @Column({ type: 'jsonb', nullable: true })
  rebuild!: RebuildProgress | null;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
