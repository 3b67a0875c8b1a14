import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { qualifiedTable } from '@itsm/persistence';
import { type CatalogItem } from '../domain/catalog-item';
import { CatalogItemEntity } from './catalog-item.entity';

export interface CatalogItemFilter {
  /** Words found (case-insensitive, as typed) in the key, name, description or category. */
  text?: string;
  category?: string;
  active?: boolean;
}

/** The position of a page's last item: the list is ordered by category, name, then key. */
export interface CatalogPosition {
  category: string;
  name: string;
  key: string;
}

/** A LIKE pattern that matches `text` literally anywhere. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Named queries on the catalogue; writes take the caller's transaction. */
@Injectable()
export class CatalogItemsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** False when an item of that key exists already (nothing is written then). */
  async insert(manager: EntityManager, item: CatalogItem): Promise<boolean> {
    const rows = await manager.query<unknown[]>(
      `INSERT INTO ${this.table()} ("key", "name", "description", "category", "fulfilment_group", "active", "created_by", "created_at", "updated_by", "updated_at", "version")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT ("key") DO NOTHING RETURNING "key"`,
      [
        item.key,
        item.name,
        item.description,
        item.category,
        item.fulfilmentGroup,
        item.active,
        item.createdBy,
        item.createdAt,
        item.updatedBy,
        item.updatedAt,
        item.version,
      ],
    );
    return rows.length > 0;
  }

  async save(manager: EntityManager, item: CatalogItem): Promise<void> {
    await manager.update(CatalogItemEntity, { key: item.key }, item);
  }

  async findByKey(key: string, manager?: EntityManager): Promise<CatalogItem | null> {
    return (manager ?? this.dataSource.manager).getRepository(CatalogItemEntity).findOneBy({ key });
  }

  /** Locks the row for the rest of the caller's transaction, so that concurrent changes queue. */
  async findForUpdate(manager: EntityManager, key: string): Promise<CatalogItem | null> {
    return manager
      .getRepository(CatalogItemEntity)
      .findOne({ where: { key }, lock: { mode: 'pessimistic_write' } });
  }

  /** Up to `limit` items after `after`, by category, name, then key. */
  async list(
    filter: CatalogItemFilter,
    after: CatalogPosition | undefined,
    limit: number,
  ): Promise<CatalogItem[]> {
    const query = this.dataSource.getRepository(CatalogItemEntity).createQueryBuilder('c');
    query.where('TRUE');
    if (filter.category !== undefined)
      query.andWhere('c.category = :category', { category: filter.category });
    if (filter.active !== undefined)
      query.andWhere('c.active = :active', { active: filter.active });
    for (const [index, word] of (filter.text ?? '').split(/\s+/).filter(Boolean).entries()) {
      query.andWhere(
        `(c.key ILIKE :word${index} OR c.name ILIKE :word${index} OR c.description ILIKE :word${index} OR c.category ILIKE :word${index})`,
        { [`word${index}`]: containing(word) },
      );
    }
    if (after)
      query.andWhere('(c.category, c.name, c.key) > (:afterCategory, :afterName, :afterKey)', {
        afterCategory: after.category,
        afterName: after.name,
        afterKey: after.key,
      });
    return query
      .orderBy('c.category')
      .addOrderBy('c.name')
      .addOrderBy('c.key')
      .limit(limit)
      .getMany();
  }

  private table(): string {
    return qualifiedTable(this.dataSource.getMetadata(CatalogItemEntity));
  }
}
