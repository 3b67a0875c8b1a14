import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type SavedQueueList, type SavedQueueParameters } from '../domain/saved-queue';

/**
 * A queue a user saved: a name, the record list it is over and that list's query
 * parameters. A user's queues are numbered 0.. by `position`, at most one is the default.
 * The unique indexes on the owner and the name in lower case, and on the owner of the
 * default, are expression and partial indexes: created by the migration.
 */
@Entity({ name: 'saved_queues' })
@Check('CHK_saved_queues_list', `"list" IN ('incidents', 'requests')`)
@Index('IDX_saved_queues_owner_position', ['owner', 'position'])
@Index('UQ_saved_queues_owner_name', { synchronize: false })
@Index('UQ_saved_queues_owner_default', { synchronize: false })
export class SavedQueueEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_saved_queues' })
  id!: string;

  /** The username of the caller who saved it. */
  @Column({ type: 'text' })
  owner!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  list!: SavedQueueList;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  parameters!: SavedQueueParameters;

  @Column({ type: 'integer' })
  position!: number;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault!: boolean;

  /** Goes up with every change of the queue, its position included: its `ETag`. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
