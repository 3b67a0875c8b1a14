import { type CatalogItemSnapshot } from '@itsm/contracts';
import { type CatalogItem } from '../domain/catalog-item';

/** A catalogue item as the API answers it: exactly as its events carry it. */
export type CatalogItemView = CatalogItemSnapshot;

export function toSnapshot(item: CatalogItem): CatalogItemSnapshot {
  return {
    key: item.key,
    name: item.name,
    description: item.description,
    category: item.category,
    fulfilmentGroup: item.fulfilmentGroup,
    active: item.active,
    createdBy: item.createdBy,
    createdAt: item.createdAt.toISOString(),
    updatedBy: item.updatedBy,
    updatedAt: item.updatedAt.toISOString(),
    version: item.version,
  };
}
