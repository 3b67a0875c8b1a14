import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last row of the hash-chained archive (ADR 0014): the row every append locks, so that
 * appends from any number of replicas form one line, and the head a verification ends at,
 * so that rows removed from the end are noticed too. One row, named by its chain.
 */
@Entity({ name: 'event_archive_chain_head' })
export class ArchiveChainHeadEntity {
  @PrimaryColumn({
    type: 'text',
    primaryKeyConstraintName: 'PK_event_archive_chain_head',
  })
  chain!: string;

  /** The sequence of the last row; null while the archive is empty. */
  @Column({ type: 'bigint', nullable: true })
  sequence!: string | null;

  @Column({ type: 'text' })
  hash!: string;
}
