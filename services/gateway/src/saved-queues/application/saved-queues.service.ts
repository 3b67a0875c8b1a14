import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  ProblemException,
  ValidationProblem,
} from '@itsm/platform';
import {
  MAX_SAVED_QUEUES_PER_USER,
  normalisedParameters,
  parameterErrors,
  reordered,
  sameName,
  type SavedQueueList,
  type SavedQueueParameters,
} from '../domain/saved-queue';
import { SavedQueueEntity } from '../persistence/saved-queue.entity';

export interface SavedQueueView {
  id: string;
  name: string;
  list: SavedQueueList;
  parameters: SavedQueueParameters;
  position: number;
  isDefault: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface NewSavedQueue {
  name: string;
  list: SavedQueueList;
  parameters: Record<string, string | undefined>;
  isDefault: boolean;
}

export interface SavedQueueChanges {
  name?: string;
  list?: SavedQueueList;
  parameters?: Record<string, string | undefined>;
  position?: number;
  isDefault?: boolean;
}

function viewOf(entity: SavedQueueEntity): SavedQueueView {
  return {
    id: entity.id,
    name: entity.name,
    list: entity.list,
    parameters: normalisedParameters(entity.parameters),
    position: entity.position,
    isDefault: entity.isDefault,
    version: entity.version,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

function nameTaken(name: string): ProblemException {
  return new ProblemException(
    409,
    'saved-queue-exists',
    'You have a saved queue of that name',
    `You have a saved queue named ${name} already.`,
    { errors: [{ field: 'name', message: 'is the name of another of your saved queues' }] },
  );
}

function checkParameters(list: SavedQueueList, parameters: SavedQueueParameters): void {
  const errors = parameterErrors(list, parameters);
  if (errors.length > 0) throw new ValidationProblem(errors);
}

const NOT_FOUND = (id: string) => new NotFoundProblem('Saved queue', id);

/**
 * Each user's saved queues. Every change of a user's queues takes a transaction-scoped
 * advisory lock on the user, so that the cap, the unique names, the one default and the
 * positions 0..n-1 hold under concurrent requests of the same user.
 */
@Injectable()
export class SavedQueuesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repository(manager: EntityManager) {
    return manager.getRepository(SavedQueueEntity);
  }

  private async lockOwner(manager: EntityManager, owner: string): Promise<SavedQueueEntity[]> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `saved-queues:${owner}`,
    ]);
    return this.repository(manager).find({ where: { owner }, order: { position: 'ASC' } });
  }

  async list(owner: string): Promise<SavedQueueView[]> {
    const queues = await this.dataSource
      .getRepository(SavedQueueEntity)
      .find({ where: { owner }, order: { position: 'ASC', createdAt: 'ASC' } });
    return queues.map(viewOf);
  }

  async get(owner: string, id: string): Promise<SavedQueueView> {
    const queue = await this.dataSource.getRepository(SavedQueueEntity).findOneBy({ id, owner });
    if (!queue) throw NOT_FOUND(id);
    return viewOf(queue);
  }

  async create(owner: string, input: NewSavedQueue): Promise<SavedQueueView> {
    const parameters = normalisedParameters(input.parameters);
    checkParameters(input.list, parameters);
    return this.dataSource.transaction(async (manager) => {
      const queues = await this.lockOwner(manager, owner);
      if (queues.length >= MAX_SAVED_QUEUES_PER_USER)
        throw new ProblemException(
          422,
          'too-many-saved-queues',
          'Too many saved queues',
          `You have ${queues.length} saved queues, the most one user may keep: delete one first.`,
          { limit: MAX_SAVED_QUEUES_PER_USER },
        );
      if (queues.some((queue) => sameName(queue.name, input.name))) throw nameTaken(input.name);
      const now = new Date();
      if (input.isDefault) await this.clearDefault(manager, queues, undefined, now);
      const id = randomUUID();
      await this.repository(manager).insert({
        id,
        owner,
        name: input.name,
        list: input.list,
        parameters,
        position: queues.length,
        isDefault: input.isDefault,
        version: 1,
        createdAt: now,
        updatedAt: now,
      });
      return viewOf(await this.repository(manager).findOneByOrFail({ id }));
    });
  }

  async update(
    owner: string,
    id: string,
    expectedVersion: number,
    changes: SavedQueueChanges,
  ): Promise<SavedQueueView> {
    return this.dataSource.transaction(async (manager) => {
      const queues = await this.lockOwner(manager, owner);
      const queue = queues.find((each) => each.id === id);
      if (!queue) throw NOT_FOUND(id);
      if (queue.version !== expectedVersion) throw new PreconditionFailedProblem(queue.version);
      const list = changes.list ?? queue.list;
      const parameters =
        changes.parameters === undefined
          ? normalisedParameters(queue.parameters)
          : normalisedParameters(changes.parameters);
      checkParameters(list, parameters);
      const name = changes.name ?? queue.name;
      if (queues.some((each) => each.id !== id && sameName(each.name, name))) throw nameTaken(name);
      const now = new Date();

      const ownChanged =
        name !== queue.name ||
        list !== queue.list ||
        JSON.stringify(parameters) !== JSON.stringify(normalisedParameters(queue.parameters)) ||
        (changes.isDefault !== undefined && changes.isDefault !== queue.isDefault);
      if (changes.isDefault === true && !queue.isDefault)
        await this.clearDefault(manager, queues, id, now);
      if (ownChanged)
        await this.repository(manager).update(
          { id },
          {
            name,
            list,
            parameters,
            isDefault: changes.isDefault ?? queue.isDefault,
            version: () => '"version" + 1',
            updatedAt: now,
          },
        );
      if (changes.position !== undefined) {
        const order = reordered(
          queues.map((each) => each.id),
          id,
          changes.position,
        );
        await this.renumber(manager, queues, order, now);
      }
      return viewOf(await this.repository(manager).findOneByOrFail({ id }));
    });
  }

  async remove(owner: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const queues = await this.lockOwner(manager, owner);
      if (!queues.some((each) => each.id === id)) throw NOT_FOUND(id);
      await this.repository(manager).delete({ id, owner });
      const rest = queues.filter((each) => each.id !== id);
      await this.renumber(
        manager,
        rest,
        rest.map((each) => each.id),
        new Date(),
      );
    });
  }

  /** Unsets the default among `queues` other than `except`. */
  private async clearDefault(
    manager: EntityManager,
    queues: SavedQueueEntity[],
    except: string | undefined,
    now: Date,
  ): Promise<void> {
    const ids = queues.filter((each) => each.isDefault && each.id !== except).map((q) => q.id);
    if (ids.length === 0) return;
    await this.repository(manager).update(
      { id: In(ids) },
      { isDefault: false, version: () => '"version" + 1', updatedAt: now },
    );
  }

  /** Gives each queue its index in `order` as its position; those that move get a new version. */
  private async renumber(
    manager: EntityManager,
    queues: SavedQueueEntity[],
    order: string[],
    now: Date,
  ): Promise<void> {
    for (const [position, id] of order.entries()) {
      const queue = queues.find((each) => each.id === id);
      if (!queue || queue.position === position) continue;
      await this.repository(manager).update(
        { id },
        { position, version: () => '"version" + 1', updatedAt: now },
      );
    }
  }
}
