import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, MoreThan, type EntityManager } from 'typeorm';
import { type Caller } from '@itsm/auth';
import {
  EventTypes,
  Topics,
  type DirectoryGroup,
  type DirectoryUser,
  type GroupChangedV1,
  type UserChangedV1,
} from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import { pageOf, type Page } from '@itsm/platform';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config/gateway.config';
import { SEEDED_GROUPS, SEEDED_USERS } from '../domain/seed';
import {
  DirectoryGroupEntity,
  DirectoryUserEntity,
  GroupMemberEntity,
} from '../persistence/directory.entities';

const sorted = (values: readonly string[]) => [...new Set(values)].sort();
const sameList = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/**
 * Users and assignment groups. Local mode seeds them; with an identity provider a user is
 * recorded, or brought up to date, the first time a token shows them or shows them
 * changed. Every change is published on `itsm.directory.events.v1` through the outbox.
 */
@Injectable()
export class DirectoryService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DirectoryService.name);
  /** What this process last recorded per user, so an unchanged caller costs no write. */
  private readonly recorded = new Map<string, string>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.AUTH_MODE !== 'local') return;
    for (const group of SEEDED_GROUPS)
      await this.dataSource.transaction((manager) =>
        this.ensureGroup(manager, group.name, group.description),
      );
    for (const user of SEEDED_USERS) await this.record({ ...user, source: 'seed' });
    this.logger.log(
      `local directory seeded: ${SEEDED_USERS.length} users, ${SEEDED_GROUPS.length} groups`,
    );
  }

  /** Records the caller of a request as the identity provider describes them now. */
  async recordSighting(caller: Caller): Promise<void> {
    if (caller.kind !== 'user') return;
    const fingerprint = JSON.stringify([sorted(caller.roles), sorted(caller.groups)]);
    if (this.recorded.get(caller.username) === fingerprint) return;
    await this.record({
      username: caller.username,
      roles: caller.roles,
      groups: caller.groups,
      source: 'token',
    });
    this.recorded.set(caller.username, fingerprint);
  }

  async listUsers(limit: number, after?: string): Promise<Page<DirectoryUser>> {
    const users = await this.dataSource.getRepository(DirectoryUserEntity).find({
      where: after ? { username: MoreThan(after) } : {},
      order: { username: 'ASC' },
      take: limit + 1,
    });
    const memberships = await this.membershipsOf(users.map((user) => user.username));
    return pageOf(
      users,
      limit,
      (user) => ({
        username: user.username,
        roles: user.roles,
        groups: memberships.get(user.username) ?? [],
        source: user.source,
      }),
      (user) => ({ after: user.username }),
    );
  }

  async listGroups(limit: number, after?: string): Promise<Page<DirectoryGroup>> {
    const groups = await this.dataSource.getRepository(DirectoryGroupEntity).find({
      where: after ? { name: MoreThan(after) } : {},
      order: { name: 'ASC' },
      take: limit + 1,
    });
    const members = await this.dataSource
      .getRepository(GroupMemberEntity)
      .find({ where: { groupName: In(groups.map((group) => group.name)) } });
    return pageOf(
      groups,
      limit,
      (group) => ({
        name: group.name,
        description: group.description,
        members: sorted(
          members
            .filter((member) => member.groupName === group.name)
            .map((member) => member.username),
        ),
      }),
      (group) => ({ after: group.name }),
    );
  }

  private async record(user: DirectoryUser): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const now = new Date();
      const users = manager.getRepository(DirectoryUserEntity);
      const inserted = await users
        .createQueryBuilder()
        .insert()
        .values({
          username: user.username,
          roles: sorted(user.roles),
          source: user.source,
          createdAt: now,
          updatedAt: now,
        })
        .orIgnore()
        .returning('username')
        .execute();
      const isNew = (inserted.raw as unknown[]).length > 0;
      const current = await users.findOneOrFail({
        where: { username: user.username },
        lock: { mode: 'pessimistic_write' },
      });
      const groupsBefore =
        (await this.membershipsOf([user.username], manager)).get(user.username) ?? [];

      const changedFields: string[] = [];
      if (isNew) changedFields.push('username', 'roles', 'groups', 'source');
      else {
        if (!sameList(current.roles, user.roles)) changedFields.push('roles');
        if (!sameList(groupsBefore, user.groups)) changedFields.push('groups');
      }
      if (changedFields.length === 0) return;

      if (!isNew && changedFields.includes('roles'))
        await users.update(
          { username: user.username },
          { roles: sorted(user.roles), updatedAt: now },
        );
      await this.syncMemberships(manager, user.username, groupsBefore, sorted(user.groups));
      await this.outbox.append<UserChangedV1>(manager, {
        topic: Topics.directoryEvents,
        type: isNew ? EventTypes.directory.userCreated : EventTypes.directory.userUpdated,
        subject: user.username,
        data: {
          user: {
            username: user.username,
            roles: sorted(user.roles),
            groups: sorted(user.groups),
            source: current.source,
          },
          changedFields,
        },
      });
    });
  }

  private async syncMemberships(
    manager: EntityManager,
    username: string,
    before: string[],
    after: string[],
  ): Promise<void> {
    const members = manager.getRepository(GroupMemberEntity);
    const added = after.filter((group) => !before.includes(group));
    const removed = before.filter((group) => !after.includes(group));
    for (const group of added) {
      await this.ensureGroup(manager, group, '');
      await members.insert({ groupName: group, username });
    }
    if (removed.length > 0) await members.delete({ username, groupName: In(removed) });
    for (const group of [...added, ...removed])
      await this.publishGroup(manager, group, EventTypes.directory.groupUpdated, ['members']);
  }

  /** Creates the group when it does not exist yet, publishing it. */
  private async ensureGroup(
    manager: EntityManager,
    name: string,
    description: string,
  ): Promise<void> {
    const now = new Date();
    const inserted = await manager
      .getRepository(DirectoryGroupEntity)
      .createQueryBuilder()
      .insert()
      .values({ name, description, createdAt: now, updatedAt: now })
      .orIgnore()
      .returning('name')
      .execute();
    if ((inserted.raw as unknown[]).length > 0)
      await this.publishGroup(manager, name, EventTypes.directory.groupCreated, [
        'name',
        'description',
        'members',
      ]);
  }

  private async publishGroup(
    manager: EntityManager,
    name: string,
    type: string,
    changedFields: string[],
  ): Promise<void> {
    const group = await manager.getRepository(DirectoryGroupEntity).findOneByOrFail({ name });
    const members = await manager.getRepository(GroupMemberEntity).findBy({ groupName: name });
    await this.outbox.append<GroupChangedV1>(manager, {
      topic: Topics.directoryEvents,
      type,
      subject: name,
      data: {
        group: {
          name,
          description: group.description,
          members: sorted(members.map((member) => member.username)),
        },
        changedFields,
      },
    });
  }

  private async membershipsOf(
    usernames: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, string[]>> {
    const rows =
      usernames.length === 0
        ? []
        : await manager.getRepository(GroupMemberEntity).findBy({ username: In(usernames) });
    const byUser = new Map<string, string[]>();
    for (const row of rows)
      byUser.set(row.username, sorted([...(byUser.get(row.username) ?? []), row.groupName]));
    return byUser;
  }
}
