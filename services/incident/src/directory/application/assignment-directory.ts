import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { RuleViolation } from '@itsm/domain';
import { DirectoryGroupEntity } from '../persistence/directory-group.entity';

/** Checks assignments against the groups the directory has published. */
@Injectable()
export class AssignmentDirectory {
  /**
   * The group must exist in the directory, and an assignee must be one of its members;
   * otherwise a {@link RuleViolation} naming the field.
   */
  async check(
    manager: EntityManager,
    group: string | null,
    assignee: string | null,
  ): Promise<void> {
    if (!group) return;
    const known = await manager.getRepository(DirectoryGroupEntity).findOneBy({ name: group });
    if (!known)
      throw new RuleViolation('assignmentGroup', `"${group}" is not a group in the directory`);
    if (assignee && !known.members.includes(assignee)) {
      throw new RuleViolation('assignee', `"${assignee}" is not a member of ${group}`);
    }
  }

  /** Keeps the copy of a group as its latest event describes it. */
  async record(
    manager: EntityManager,
    group: { name: string; members: string[] },
    at: Date,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(DirectoryGroupEntity)
      .values({ name: group.name, members: group.members, updatedAt: at })
      .orUpdate(['members', 'updated_at'], ['name'])
      .execute();
  }

  /** Drops the copy of a group the directory deleted. */
  async forget(manager: EntityManager, name: string): Promise<void> {
    await manager.getRepository(DirectoryGroupEntity).delete({ name });
  }
}
