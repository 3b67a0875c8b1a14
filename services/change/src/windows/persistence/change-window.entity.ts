import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type ChangeWindowKind } from '@itsm/contracts';

/**
 * Change windows: maintenance windows, blackouts and freezes, each with its first
 * occurrence, recurrence and scope. `last_ends_at` (null while a recurrence never ends)
 * lets a range query skip the windows that are over without expanding them.
 */
@Entity({ name: 'change_windows' })
@Index('IX_change_windows_start', ['start', 'id'])
@Index('IX_change_windows_kind_start', ['kind', 'start', 'id'])
export class ChangeWindowEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_change_windows' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  kind!: ChangeWindowKind;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  start!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  end!: Date;

  @Column({ type: 'text', nullable: true })
  recurrence!: string | null;

  @Column({ name: 'time_zone', type: 'text', nullable: true })
  timeZone!: string | null;

  @Column({ name: 'last_ends_at', type: 'timestamptz', nullable: true })
  lastEnd!: Date | null;

  @Column({ name: 'ci_ids', type: 'uuid', array: true, default: () => "'{}'" })
  ciIds!: string[];

  @Column({ name: 'business_service_ids', type: 'uuid', array: true, default: () => "'{}'" })
  businessServiceIds!: string[];

  @Column({ name: 'ci_classes', type: 'text', array: true, default: () => "'{}'" })
  ciClasses!: string[];

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ name: 'in_force', type: 'boolean', default: false })
  inForce!: boolean;

  @Column({ name: 'enforced_at', type: 'timestamptz', nullable: true })
  enforcedAt!: Date | null;

  @Column({ name: 'enforced_by', type: 'text', nullable: true })
  enforcedBy!: string | null;

  @Column({ name: 'lifted_at', type: 'timestamptz', nullable: true })
  liftedAt!: Date | null;

  @Column({ name: 'lifted_by', type: 'text', nullable: true })
  liftedBy!: string | null;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'retired_by', type: 'text', nullable: true })
  retiredBy!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;
}
