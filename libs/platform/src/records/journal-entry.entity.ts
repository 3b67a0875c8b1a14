import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type JournalKind = 'work_note' | 'comment';

/** Work notes (internal) and comments (the requester sees them) on a record; one table per service schema. */
@Entity({ name: 'journal_entries' })
@Index('IX_journal_entries_record', ['recordId', 'at', 'id'])
export class JournalEntryEntity {
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
