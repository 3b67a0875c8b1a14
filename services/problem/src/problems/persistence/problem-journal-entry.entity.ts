import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type JournalKind = 'work_note' | 'comment';

/** Work notes and comments on a problem (or on one of its tasks, which share its journal). */
@Entity({ name: 'journal_entries' })
@Index('IX_journal_entries_record', ['recordId', 'at', 'id'])
export class ProblemJournalEntryEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_journal_entries' })
  id!: string;

  @Column({ name: 'record_id', type: 'uuid' })
  recordId!: string;

  @Column({ type: 'text' })
  kind!: JournalKind;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'text' })
  author!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
