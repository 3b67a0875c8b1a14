import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One field of one record changed: who, when, from what, to what; one table per service schema. Never updated, never deleted. */
@Entity({ name: 'record_history' })
@Index('IX_record_history_record', ['recordId', 'id'])
export class HistoryEntryEntity {
  @PrimaryGeneratedColumn('identity', {
    type: 'bigint',
    generatedIdentity: 'ALWAYS',
    primaryKeyConstraintName: 'PK_record_history',
  })
  id!: string;

  @Column({ name: 'record_id', type: 'uuid' })
  recordId!: string;

  @Column({ type: 'text' })
  field!: string;

  @Column({ name: 'old_value', type: 'jsonb', nullable: true })
  oldValue!: unknown;

  @Column({ name: 'new_value', type: 'jsonb', nullable: true })
  newValue!: unknown;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
