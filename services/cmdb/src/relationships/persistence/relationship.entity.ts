import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type RelationshipType } from '../domain/relationship-rules';

/**
 * Relationships are never updated, only deleted (`deleted_at` set): the rows are also
 * their history, which as-of reads and CI history use.
 */
@Entity({ name: 'relationships' })
@Index('UQ_relationships_active', ['sourceId', 'targetId', 'type'], {
  unique: true,
  where: 'deleted_at IS NULL',
})
@Index('IDX_relationships_source_id', ['sourceId'])
@Index('IDX_relationships_target_id', ['targetId'])
export class RelationshipEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_relationships' })
  id!: string;

  @Column({ type: 'text' })
  type!: RelationshipType;

  @Column({ name: 'source_id', type: 'uuid' })
  sourceId!: string;

  @Column({ name: 'target_id', type: 'uuid' })
  targetId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  /** The discovery source of the import that created it; null when created through the API. */
  @Column({ type: 'text', nullable: true })
  source!: string | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Column({ name: 'deleted_by', type: 'text', nullable: true })
  deletedBy!: string | null;
}
