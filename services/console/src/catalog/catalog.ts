/** A service catalogue item as `GET /api/v1/catalog-items` answers it (docs/incidents.md). */
export interface CatalogItem {
  key: string;
  name: string;
  description: string;
  category: string;
  fulfilmentGroup: string | null;
  active: boolean;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
  version: number;
}

/** Items by category, categories and items in the order the API lists them (category, then name). */
export function byCategory(
  items: readonly CatalogItem[],
): { category: string; items: CatalogItem[] }[] {
  const groups = new Map<string, CatalogItem[]>();
  for (const item of items) {
    const group = groups.get(item.category);
    if (group) group.push(item);
    else groups.set(item.category, [item]);
  }
  return [...groups].map(([category, grouped]) => ({ category, items: grouped }));
}

/** What the API takes as a key: a lower-case slug. */
export const KEY_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** A key suggested from a name: `Standard laptop` → `standard-laptop`. */
export function suggestedKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
}

export interface ItemForm {
  key: string;
  name: string;
  description: string;
  category: string;
  fulfilmentGroup: string;
  active: boolean;
}

/** The body of a POST from the form: trimmed, an empty group left out. */
export function createBody(form: ItemForm): Record<string, unknown> {
  return {
    key: form.key.trim(),
    name: form.name.trim(),
    description: form.description.trim(),
    category: form.category.trim(),
    ...(form.fulfilmentGroup.trim() ? { fulfilmentGroup: form.fulfilmentGroup.trim() } : {}),
    active: form.active,
  };
}

/** The body of a PATCH: only what differs from the item (an emptied group is null). */
export function changesOf(item: CatalogItem, form: ItemForm): Record<string, unknown> {
  const next = {
    name: form.name.trim(),
    description: form.description.trim(),
    category: form.category.trim(),
    fulfilmentGroup: form.fulfilmentGroup.trim() || null,
    active: form.active,
  };
  return Object.fromEntries(
    Object.entries(next).filter(([field, value]) => item[field as keyof typeof next] !== value),
  );
}

/** Whether the form can be sent: the fields the API requires, a key it accepts. */
export function isComplete(form: ItemForm): boolean {
  return KEY_PATTERN.test(form.key.trim()) && !!form.name.trim() && !!form.category.trim();
}

export function formOf(item: CatalogItem): ItemForm {
  return {
    key: item.key,
    name: item.name,
    description: item.description,
    category: item.category,
    fulfilmentGroup: item.fulfilmentGroup ?? '',
    active: item.active,
  };
}

export const EMPTY_FORM: ItemForm = {
  key: '',
  name: '',
  description: '',
  category: '',
  fulfilmentGroup: '',
  active: true,
};
