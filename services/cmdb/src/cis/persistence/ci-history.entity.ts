import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { type CiSnapshot } from '@itsm/contracts';

export const CI_HISTORY_KINDS = ['created', 'updated', 'retired', 'changed_by_change'] as const;
export type CiHistoryKind = (typeof CI_HISTORY_KINDS)[number];

export interface FieldChange {
  field: string;
  oldValue: unknown;
  newValue: unknown;
}

/** One change of a CI: what changed, who or which source changed it, and the CI after it (for as-of reads). */
@Entity({ name: 'ci_history' })
@Index('IDX_ci_history_ci_id_at', ['ciId', 'at', 'id'])
export class CiHistoryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_ci_history' })
  id!: string;

  @Column({ name: 'ci_id', type: 'uuid' })
  ciId!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'text' })
  kind!: CiHistoryKind;

  @Column({ type: 'text' })
  actor!: string;

  /** The discovery source of an import; null for a change through the API. */
  @Column({ type: 'text', nullable: true })
  source!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  changes!: FieldChange[];

  /** The change (CHG…) that touched the CI, for `changed_by_change`. */
  @Column({ name: 'change_number', type: 'text', nullable: true })
  changeNumber!: string | null;

  /** The CI as it was after this change; null when the CI itself did not change. */
  @Column({ type: 'jsonb', nullable: true })
  snapshot!: CiSnapshot | null;
}
