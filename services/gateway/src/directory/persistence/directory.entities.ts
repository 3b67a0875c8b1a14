import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

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

  /** Goes up with every change of the group (description or members): its `ETag`. */
  @Column({ type: 'integer', default: 1 })
  version!: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * Who is in which assignment group, and on whose word: the identity provider's token
 * (`fromToken`, brought up to date at each sign-in that shows the user's groups changed)
 * and the directory API (`fromApi`, changed only through it). A row has at least one.
 */
@Entity({ name: 'group_members' })
@Check('CHK_group_members_source', '"from_token" OR "from_api"')
@Index('IDX_group_members_username', ['username'])
export class GroupMemberEntity {
  @PrimaryColumn({ name: 'group_name', type: 'text', primaryKeyConstraintName: 'PK_group_members' })
  groupName!: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_group_members' })
  username!: string;

  @Column({ name: 'from_token', type: 'boolean', default: true })
  fromToken!: boolean;

  @Column({ name: 'from_api', type: 'boolean', default: false })
  fromApi!: boolean;
}

export const DIRECTORY_ENTITIES = [DirectoryUserEntity, DirectoryGroupEntity, GroupMemberEntity];
