import { RuleViolation, sameValue, type FieldChange } from '@itsm/domain';

/**
 * An item of the service catalogue (ISO/IEC 20000-1 8.6.2): what a requester may ask for.
 * Its `key` is what a service request's `catalogItem` holds, so it never changes and an
 * item is never deleted: it is retired (`active: false`) and takes no new request.
 */
export interface CatalogItem {
  key: string;
  name: string;
  description: string;
  category: string;
  fulfilmentGroup: string | null;
  active: boolean;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
  version: number;
}

export interface NewCatalogItem {
  key: string;
  name: string;
  description?: string;
  category: string;
  fulfilmentGroup?: string | null;
  active?: boolean;
}

/** A PATCH: absent fields keep their value; `fulfilmentGroup: null` clears it. */
export interface CatalogItemChanges {
  name?: string;
  description?: string;
  category?: string;
  fulfilmentGroup?: string | null;
  active?: boolean;
}

/** Lower-case letters and digits in words joined by single hyphens: `laptop-standard`. */
export const CATALOG_KEY = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MAX_KEY_LENGTH = 100;

/** The fields a change compares, in the order events and answers list them. */
const COMPARED = ['name', 'description', 'category', 'fulfilmentGroup', 'active'] as const;

/** The item as first defined: version 1, active unless said otherwise; names trimmed. */
export function defineCatalogItem(input: NewCatalogItem, actor: string, now: Date): CatalogItem {
  if (!CATALOG_KEY.test(input.key) || input.key.length > MAX_KEY_LENGTH) {
    throw new RuleViolation(
      'key',
      `must be a lower-case slug of at most ${MAX_KEY_LENGTH} characters (letters, digits, single hyphens), such as laptop-standard`,
    );
  }
  return {
    key: input.key,
    ...checked({
      name: input.name,
      description: input.description ?? '',
      category: input.category,
      fulfilmentGroup: input.fulfilmentGroup ?? null,
      active: input.active ?? true,
    }),
    createdBy: actor,
    createdAt: now,
    updatedBy: actor,
    updatedAt: now,
    version: 1,
  };
}

/** The item with `changes` applied (merge semantics); who and when are the writer's. */
export function applyCatalogItemChanges(
  item: CatalogItem,
  changes: CatalogItemChanges,
): CatalogItem {
  const next = { ...item };
  for (const field of COMPARED) {
    if (changes[field] !== undefined) Object.assign(next, { [field]: changes[field] });
  }
  return { ...next, ...checked(next) };
}

/** The fields that differ between two versions of an item, in a stable order. */
export function diffCatalogItems(before: CatalogItem, after: CatalogItem): FieldChange[] {
  return COMPARED.filter((field) => !sameValue(before[field], after[field])).map((field) => ({
    field,
    oldValue: before[field],
    newValue: after[field],
  }));
}

/** Every field a new item sets, from nothing, as its `created` event lists them. */
export function fieldsSetOnDefine(item: CatalogItem): FieldChange[] {
  return (['key', ...COMPARED] as const).map((field) => ({
    field,
    oldValue: null,
    newValue: item[field],
  }));
}

/**
 * What a request for `key` makes of its assignment group: a key the catalogue does not
 * hold is free text (requests named their item before the catalogue existed) and changes
 * nothing; a retired item is refused; an active one gives its fulfilment group to a
 * request that names none.
 */
export function assignmentForRequest(
  item: CatalogItem | null,
  requestedGroup: string | null | undefined,
): string | null | undefined {
  if (!item) return requestedGroup;
  if (!item.active) {
    throw new CatalogItemRetired(item.key);
  }
  return requestedGroup || item.fulfilmentGroup || requestedGroup;
}

/** A request named an item the catalogue has retired. */
export class CatalogItemRetired extends Error {
  constructor(readonly key: string) {
    super(`${key} is retired from the service catalogue and takes no new request`);
    this.name = 'CatalogItemRetired';
  }
}

function checked<T extends { name: string; category: string; description: string }>(fields: T): T {
  const name = fields.name.trim();
  const category = fields.category.trim();
  if (!name) throw new RuleViolation('name', 'must not be blank');
  if (!category) throw new RuleViolation('category', 'must not be blank');
  return { ...fields, name, category };
}
