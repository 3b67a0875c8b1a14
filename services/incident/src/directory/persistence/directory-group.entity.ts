import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The incident service's copy of the directory's groups, kept from the gateway's
 * `itsm.group.*` events: assignment is checked against it without calling the gateway.
 */
@Entity({ name: 'directory_groups' })
export class DirectoryGroupEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_directory_groups' })
  name!: string;

  @Column({ type: 'text', array: true })
  members!: string[];

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
