import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type CiIdentifiers, type CiStatus } from '../domain/ci';

@Entity({ name: 'cis' })
@Index('IDX_cis_class_id', ['class', 'id'])
@Index('IDX_cis_last_discovered_at', ['lastDiscoveredAt'])
// Name prefix search on lower(name), created by the migration (an expression index).
@Index('IDX_cis_lower_name', { synchronize: false })
// The restricted CIs (a partial index), created by the migration.
@Index('IDX_cis_restricted', { synchronize: false })
export class CiEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_cis' })
  id!: string;

  @Column({ type: 'text' })
  class!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  status!: CiStatus;

  @Column({ type: 'text', nullable: true })
  environment!: string | null;

  @Column({ name: 'owner_group', type: 'text', nullable: true })
  ownerGroup!: string | null;

  @Column({ type: 'boolean', default: false })
  restricted!: boolean;

  @Column({ type: 'smallint', nullable: true })
  criticality!: number | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  identifiers!: CiIdentifiers;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  attributes!: Record<string, unknown>;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  sources!: string[];

  @Column({ type: 'jsonb', default: () => "'{}'" })
  provenance!: Record<string, string>;

  @Column({ name: 'last_discovered_at', type: 'timestamptz', nullable: true })
  lastDiscoveredAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;
}
