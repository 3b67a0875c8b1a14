import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Caller } from '@itsm/auth';
import {
  PreconditionFailedProblem,
  ProblemException,
  answeringDomainErrors,
  decodeCursor,
  pageOf,
  type Page,
} from '@itsm/platform';
import { RuleViolation } from '@itsm/domain';
import { DataSource, type EntityManager } from 'typeorm';
import { AssignmentDirectory } from '../../directory/application/assignment-directory';
import {
  CatalogItemRetired,
  applyCatalogItemChanges,
  assignmentForRequest,
  defineCatalogItem,
  type CatalogItemChanges,
  type NewCatalogItem,
} from '../domain/catalog-item';
import {
  CatalogItemsRepository,
  type CatalogItemFilter,
} from '../persistence/catalog-items.repository';
import { CatalogItemWriter } from './catalog-item-writer';
import { toSnapshot, type CatalogItemView } from './catalog-item-view';

export interface CatalogListRequest extends CatalogItemFilter {
  cursor?: string;
  limit: number;
}

/** The 404 of a key the catalogue does not hold. */
export class CatalogItemNotFound extends ProblemException {
  constructor(key: string) {
    super(
      404,
      'not-found',
      'Catalogue item not found',
      `The service catalogue has no item with key ${key}.`,
    );
  }
}

/** The use cases on the service catalogue: add, read, list (search, category, active), change and retire. */
@Injectable()
export class CatalogItemsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly items: CatalogItemsRepository,
    private readonly writer: CatalogItemWriter,
    private readonly directory: AssignmentDirectory,
  ) {}

  async create(input: NewCatalogItem, caller: Caller): Promise<CatalogItemView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const item = defineCatalogItem(input, caller.username, new Date());
        await this.checkGroup(manager, item.fulfilmentGroup);
        if (!(await this.writer.create(manager, item))) {
          throw new ProblemException(
            409,
            'catalog-item-exists',
            'Catalogue item exists',
            `The service catalogue has an item with key ${item.key} already; change it with PATCH.`,
          );
        }
        return toSnapshot(item);
      }),
    );
  }

  async get(key: string): Promise<CatalogItemView> {
    const item = await this.items.findByKey(key);
    if (!item) throw new CatalogItemNotFound(key);
    return toSnapshot(item);
  }

  /** Changes fields of an item read at `expectedVersion`; 412 when it has moved on since. */
  async change(
    key: string,
    changes: CatalogItemChanges,
    expectedVersion: number,
    caller: Caller,
  ): Promise<CatalogItemView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const current = await this.items.findForUpdate(manager, key);
        if (!current) throw new CatalogItemNotFound(key);
        if (current.version !== expectedVersion)
          throw new PreconditionFailedProblem(current.version);
        const next = applyCatalogItemChanges(current, changes);
        if (next.fulfilmentGroup !== current.fulfilmentGroup)
          await this.checkGroup(manager, next.fulfilmentGroup);
        return toSnapshot(
          await this.writer.commit(manager, current, next, caller.username, new Date()),
        );
      }),
    );
  }

  async list(request: CatalogListRequest): Promise<Page<CatalogItemView>> {
    const after = request.cursor
      ? decodeCursor(request.cursor, { category: 'text', name: 'text', key: 'text' })
      : undefined;
    const rows = await this.items.list(request, after, request.limit + 1);
    return pageOf(rows, request.limit, toSnapshot, (item) => ({
      category: item.category,
      name: item.name,
      key: item.key,
    }));
  }

  /**
   * The assignment group a new request for `catalogItem` gets (docs/incidents.md, Service
   * catalogue): a key the catalogue does not hold is free text and changes nothing; a
   * retired item is a 422 naming `catalogItem`; an active one gives its fulfilment group
   * to a request that names none.
   */
  async assignmentForRequest(
    manager: EntityManager,
    catalogItem: string,
    assignmentGroup: string | null | undefined,
  ): Promise<string | null | undefined> {
    const item = await this.items.findByKey(catalogItem, manager);
    try {
      return assignmentForRequest(item, assignmentGroup);
    } catch (error) {
      if (error instanceof CatalogItemRetired) {
        throw new ProblemException(
          422,
          'catalog-item-retired',
          'Catalogue item retired',
          error.message,
          {
            errors: [{ field: 'catalogItem', message: 'is retired from the service catalogue' }],
          },
        );
      }
      throw error;
    }
  }

  /** A fulfilment group must be a group of the directory, as an assignment must. */
  private async checkGroup(manager: EntityManager, group: string | null): Promise<void> {
    try {
      await this.directory.check(manager, group, null);
    } catch (error) {
      if (error instanceof RuleViolation) throw new RuleViolation('fulfilmentGroup', error.reason);
      throw error;
    }
  }
}
