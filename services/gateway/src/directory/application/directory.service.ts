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
  type GroupDeletedV1,
  type UserChangedV1,
} from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  ProblemException,
  pageOf,
  type Page,
} from '@itsm/platform';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config/gateway.config';
import {
  apiRemoval,
  groupsChangedBy,
  groupsOf,
  planTokenGroups,
  type Membership,
} from '../domain/memberships';
import { SEEDED_GROUPS, SEEDED_USERS } from '../domain/seed';
import {
  DirectoryGroupEntity,
  DirectoryUserEntity,
  GroupMemberEntity,
} from '../persistence/directory.entities';

const sorted = (values: readonly string[]) => [...new Set(values)].sort();
const sameList = (a: readonly string[], b: readonly string[]) =>
  JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/** How long the groups the API added a user to are used before they are read again. */
const API_GROUPS_FRESH_MS = 10_000;
/** How long a request waits for them before the last ones read serve (or it answers 503). */
const API_GROUPS_READ_TIMEOUT_MS = 2_000;

/** The work's result, or an ETIMEDOUT error (a 503 `database-unavailable`) once the deadline passes. */
async function withinDeadline<T>(work: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`the directory did not answer within ${milliseconds} ms`), {
            code: 'ETIMEDOUT',
          }),
        ),
      milliseconds,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A group as the directory API answers it. */
export interface DirectoryGroupView extends DirectoryGroup {
  /** The members the directory API added (the others come from their tokens); sorted. */
  apiMembers: string[];
  /** Goes up with every change of the group: its `ETag`. */
  version: number;
}

/**
 * Users and assignment groups. Local mode seeds them; with an identity provider a user is
 * recorded, or brought up to date, the first time a token shows them or shows them
 * changed. Admins create groups and add members through the API (`directory:write`),
 * people who never signed in included; a sign-in changes only the memberships its token
 * grants (domain/memberships.ts). Every change is published on `itsm.directory.events.v1`
 * through the outbox.
 */
@Injectable()
export class DirectoryService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DirectoryService.name);
  /** What this process last recorded per user, so an unchanged caller costs no write. */
  private readonly recorded = new Map<string, string>();
  /** The groups the directory API added each user to, as last read, and when. */
  private readonly apiGroups = new Map<string, { groups: string[]; readAt: number }>();

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

  /**
   * The caller of a request as the platform treats it: a person is recorded as their
   * token describes them now, and is in the groups their token names and in those the
   * directory API added them to. API keys and services are as they are.
   */
  async admit(caller: Caller): Promise<Caller> {
    if (caller.kind !== 'user') return caller;
    await this.recordSighting(caller);
    const added = await this.apiGroupsOf(caller.username);
    if (added.length === 0) return caller;
    return { ...caller, groups: sorted([...caller.groups, ...added]) };
  }

  /**
   * Read once per user every few seconds, not per request: a change made through this
   * replica applies at once (it forgets the user), one made through another within
   * API_GROUPS_FRESH_MS. A database that is slow or down does not hold requests: the
   * groups last read serve until it answers again, and a user never read gets a 503.
   */
  private async apiGroupsOf(username: string): Promise<string[]> {
    const known = this.apiGroups.get(username);
    if (known && Date.now() - known.readAt < API_GROUPS_FRESH_MS) return known.groups;
    try {
      const rows = await withinDeadline(
        this.dataSource
          .getRepository(GroupMemberEntity)
          .find({ select: { groupName: true }, where: { username, fromApi: true } }),
        API_GROUPS_READ_TIMEOUT_MS,
      );
      const groups = rows.map((row) => row.groupName);
      this.apiGroups.set(username, { groups, readAt: Date.now() });
      return groups;
    } catch (error) {
      if (!known) throw error;
      // Not asked again for a while: each attempt would hold a request and a connection.
      this.apiGroups.set(username, { groups: known.groups, readAt: Date.now() });
      return known.groups;
    }
  }

  /** Records the caller of a request as the identity provider describes them now. */
  private async recordSighting(caller: Caller): Promise<void> {
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
        groups: groupsOf(memberships.get(user.username) ?? []),
        source: user.source,
      }),
      (user) => ({ after: user.username }),
    );
  }

  async listGroups(limit: number, after?: string): Promise<Page<DirectoryGroupView>> {
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
      (group) =>
        groupView(
          group,
          members.filter((member) => member.groupName === group.name),
        ),
      (group) => ({ after: group.name }),
    );
  }

  async getGroup(name: string): Promise<DirectoryGroupView> {
    const group = await this.dataSource.getRepository(DirectoryGroupEntity).findOneBy({ name });
    if (!group) throw new NotFoundProblem('Group', name);
    return this.viewOf(this.dataSource.manager, group);
  }

  /** Creates a group, with no members; 409 `group-exists` when the name is taken. */
  async createGroup(name: string, description: string): Promise<DirectoryGroupView> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.ensureGroup(manager, name, description)))
        throw new ProblemException(
          409,
          'group-exists',
          'The group exists',
          `There is a group named ${name} already.`,
          { name },
        );
      return this.viewOf(manager, await this.lockGroup(manager, name));
    });
  }

  /** Changes a group's description; the name is what records are assigned to, and stays. */
  async updateGroup(
    name: string,
    description: string,
    expectedVersion: number,
  ): Promise<DirectoryGroupView> {
    return this.dataSource.transaction(async (manager) => {
      const group = await this.lockGroup(manager, name);
      if (group.version !== expectedVersion) throw new PreconditionFailedProblem(group.version);
      if (group.description !== description) {
        await manager
          .getRepository(DirectoryGroupEntity)
          .update({ name }, { description, version: group.version + 1, updatedAt: new Date() });
        await this.publishGroup(manager, name, EventTypes.directory.groupUpdated, ['description']);
      }
      return this.viewOf(manager, await this.lockGroup(manager, name));
    });
  }

  /**
   * Deletes a group that has no members (409 `group-has-members` otherwise). Records
   * assigned to it keep its name; the services stop accepting it for new assignments.
   */
  async deleteGroup(name: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const group = await this.lockGroup(manager, name);
      const members = await manager.getRepository(GroupMemberEntity).countBy({ groupName: name });
      if (members > 0)
        throw new ProblemException(
          409,
          'group-has-members',
          'The group has members',
          `${name} has ${members} member(s): remove them first (at the identity provider for those their token puts in it).`,
          { members },
        );
      await manager.getRepository(DirectoryGroupEntity).delete({ name });
      await this.outbox.append<GroupDeletedV1>(manager, {
        topic: Topics.directoryEvents,
        type: EventTypes.directory.groupDeleted,
        subject: name,
        data: { group: { name, description: group.description, members: [] } },
      });
    });
  }

  /**
   * Adds a person to a group, whether or not they have signed in yet: the group lists them
   * at once, work can be assigned to them in it, and their requests carry the group from
   * their first sign-in on. 409 `member-exists` when they are in it already.
   */
  async addMember(name: string, username: string): Promise<DirectoryGroupView> {
    const view = await this.dataSource.transaction(async (manager) => {
      const group = await this.lockGroup(manager, name);
      const members = manager.getRepository(GroupMemberEntity);
      if (await members.existsBy({ groupName: name, username }))
        throw new ProblemException(
          409,
          'member-exists',
          'The member exists',
          `${username} is a member of ${name} already.`,
          { name, username },
        );
      await members.insert({ groupName: name, username, fromToken: false, fromApi: true });
      await this.membersChanged(manager, group, username);
      return this.viewOf(manager, await this.lockGroup(manager, name));
    });
    // After the commit: a read before it would cache the old groups again.
    this.apiGroups.delete(username);
    return view;
  }

  /**
   * Takes back what the API granted: the person leaves the group unless their token also
   * puts them in it. 404 when they are not in it; 409 `membership-from-identity-provider`
   * when only their token does (change it at the identity provider).
   */
  async removeMember(name: string, username: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const group = await this.lockGroup(manager, name);
      const members = manager.getRepository(GroupMemberEntity);
      const row = await members.findOneBy({ groupName: name, username });
      const removal = apiRemoval(
        row ? { group: name, fromToken: row.fromToken, fromApi: row.fromApi } : undefined,
      );
      switch (removal) {
        case 'not-a-member':
          throw new ProblemException(
            404,
            'not-found',
            'Member not found',
            `${username} is not a member of ${name}.`,
          );
        case 'granted-by-token-only':
          throw new ProblemException(
            409,
            'membership-from-identity-provider',
            'The identity provider grants this membership',
            `${username} is in ${name} because their token's groups claim says so: remove them from the group at the identity provider.`,
            { name, username },
          );
        case 'keeps-token-grant':
          await members.update({ groupName: name, username }, { fromApi: false });
          await manager
            .getRepository(DirectoryGroupEntity)
            .update({ name }, { version: group.version + 1, updatedAt: new Date() });
          return;
        case 'leaves':
          await members.delete({ groupName: name, username });
          await this.membersChanged(manager, group, username);
      }
    });
    this.apiGroups.delete(username);
  }

  /** Publishes a change of a group's members made through the API, and of the user's groups. */
  private async membersChanged(
    manager: EntityManager,
    group: DirectoryGroupEntity,
    username: string,
  ): Promise<void> {
    await manager
      .getRepository(DirectoryGroupEntity)
      .update({ name: group.name }, { version: group.version + 1, updatedAt: new Date() });
    await this.publishGroup(manager, group.name, EventTypes.directory.groupUpdated, ['members']);
    const user = await manager.getRepository(DirectoryUserEntity).findOneBy({ username });
    // Someone who has not signed in yet is a name in the group; they become a user on sign-in.
    if (!user) return;
    const memberships = (await this.membershipsOf([username], manager)).get(username) ?? [];
    await this.outbox.append<UserChangedV1>(manager, {
      topic: Topics.directoryEvents,
      type: EventTypes.directory.userUpdated,
      subject: username,
      data: {
        user: {
          username,
          roles: sorted(user.roles),
          groups: groupsOf(memberships),
          source: user.source,
        },
        changedFields: ['groups'],
      },
    });
  }

  private async lockGroup(manager: EntityManager, name: string): Promise<DirectoryGroupEntity> {
    const group = await manager.getRepository(DirectoryGroupEntity).findOne({
      where: { name },
      lock: { mode: 'pessimistic_write' },
    });
    if (!group) throw new NotFoundProblem('Group', name);
    return group;
  }

  private async viewOf(
    manager: EntityManager,
    group: DirectoryGroupEntity,
  ): Promise<DirectoryGroupView> {
    const members = await manager
      .getRepository(GroupMemberEntity)
      .findBy({ groupName: group.name });
    return groupView(group, members);
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
      const before = (await this.membershipsOf([user.username], manager)).get(user.username) ?? [];
      const plan = planTokenGroups(before, user.groups);
      await this.applyTokenGroups(manager, user.username, plan);
      const after = (await this.membershipsOf([user.username], manager)).get(user.username) ?? [];

      const changedFields: string[] = [];
      if (isNew) changedFields.push('username', 'roles', 'groups', 'source');
      else {
        if (!sameList(current.roles, user.roles)) changedFields.push('roles');
        if (!sameList(groupsOf(before), groupsOf(after))) changedFields.push('groups');
      }
      if (changedFields.length === 0) return;

      if (!isNew && changedFields.includes('roles'))
        await users.update(
          { username: user.username },
          { roles: sorted(user.roles), updatedAt: now },
        );
      await this.outbox.append<UserChangedV1>(manager, {
        topic: Topics.directoryEvents,
        type: isNew ? EventTypes.directory.userCreated : EventTypes.directory.userUpdated,
        subject: user.username,
        data: {
          user: {
            username: user.username,
            roles: sorted(user.roles),
            groups: groupsOf(after),
            source: current.source,
          },
          changedFields,
        },
      });
    });
  }

  /** Brings what the token grants up to date, leaving what the API granted as it is. */
  private async applyTokenGroups(
    manager: EntityManager,
    username: string,
    plan: ReturnType<typeof planTokenGroups>,
  ): Promise<void> {
    const members = manager.getRepository(GroupMemberEntity);
    // The groups first, in name order, as the API locks a group before its members: a
    // sign-in and an admin changing the same membership wait for each other, never deadlock.
    const touched = sorted([
      ...plan.insert,
      ...plan.grantByToken,
      ...plan.revokeByToken,
      ...plan.remove,
    ]);
    const locked = await manager.getRepository(DirectoryGroupEntity).find({
      select: { name: true },
      where: { name: In(touched) },
      order: { name: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const group of plan.insert) {
      if (!locked.some((row) => row.name === group)) await this.ensureGroup(manager, group, '');
      await members.insert({ groupName: group, username, fromToken: true, fromApi: false });
    }
    if (plan.grantByToken.length > 0)
      await members.update({ username, groupName: In(plan.grantByToken) }, { fromToken: true });
    if (plan.revokeByToken.length > 0)
      await members.update({ username, groupName: In(plan.revokeByToken) }, { fromToken: false });
    if (plan.remove.length > 0) await members.delete({ username, groupName: In(plan.remove) });
    for (const group of groupsChangedBy(plan)) {
      await manager.getRepository(DirectoryGroupEntity).increment({ name: group }, 'version', 1);
      await this.publishGroup(manager, group, EventTypes.directory.groupUpdated, ['members']);
    }
  }

  /** Creates the group when it does not exist yet, publishing it; whether it did. */
  private async ensureGroup(
    manager: EntityManager,
    name: string,
    description: string,
  ): Promise<boolean> {
    const now = new Date();
    const inserted = await manager
      .getRepository(DirectoryGroupEntity)
      .createQueryBuilder()
      .insert()
      .values({ name, description, version: 1, createdAt: now, updatedAt: now })
      .orIgnore()
      .returning('name')
      .execute();
    if ((inserted.raw as unknown[]).length === 0) return false;
    await this.publishGroup(manager, name, EventTypes.directory.groupCreated, [
      'name',
      'description',
      'members',
    ]);
    return true;
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
  ): Promise<Map<string, Membership[]>> {
    const rows =
      usernames.length === 0
        ? []
        : await manager.getRepository(GroupMemberEntity).findBy({ username: In(usernames) });
    const byUser = new Map<string, Membership[]>();
    for (const row of rows)
      byUser.set(row.username, [
        ...(byUser.get(row.username) ?? []),
        { group: row.groupName, fromToken: row.fromToken, fromApi: row.fromApi },
      ]);
    return byUser;
  }
}

function groupView(
  group: DirectoryGroupEntity,
  members: readonly GroupMemberEntity[],
): DirectoryGroupView {
  return {
    name: group.name,
    description: group.description,
    members: sorted(members.map((member) => member.username)),
    apiMembers: sorted(members.filter((member) => member.fromApi).map((m) => m.username)),
    version: group.version,
  };
}
