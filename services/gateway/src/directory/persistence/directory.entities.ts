import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'users' })
export class DirectoryUserEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_users' })
  username!: string;

  @Column({ type: 'text', array: true })
  roles!: string[];

  @Column({ type: 'text' })
  source!: 'seed' | 'token';

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

@Entity({ name: 'groups' })
export class DirectoryGroupEntity {
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_groups' })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** Who is in which assignment group. */
@Entity({ name: 'group_members' })
export class GroupMemberEntity {
  @PrimaryColumn({ name: 'group_name', type: 'text', primaryKeyConstraintName: 'PK_group_members' })
  groupName!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_group_members' })
  username!: string;
}

export const DIRECTORY_ENTITIES = [DirectoryUserEntity, DirectoryGroupEntity, GroupMemberEntity];
