import { rowRef } from './row-reference';

/** One service's page of a list, oldest first, and whether it has more after it. */
export interface ServicePage<T> {
  service: string;
  items: readonly T[];
  /** The service's own cursor for its next page; null on its last. */
  next: string | null;
}

/** Where each service's list was left: the id of the last item already shown. */
export type MergedCursor = Readonly<Record<string, string>>;

export interface MergedPage<T> {
  items: (T & { service: string; ref: string })[];
  /** Where to go on from, or null when no service has more. */
  next: MergedCursor | null;
}

/**
 * Every service's page merged into one, oldest first, at most `limit` items: the oldest
 * head of the services' lists is taken each time, so each service's items are shown in
 * its own order and a page ends where each service's list was left (keyset, per service).
 * `order` gives the instant an item is ordered by; ties go by service name.
 */
export function mergePages<T extends { id: string }>(
  pages: readonly ServicePage<T>[],
  limit: number,
  order: (item: T) => string,
  previous: MergedCursor = {},
): MergedPage<T> {
  const taken = pages.map(() => 0);
  const items: (T & { service: string; ref: string })[] = [];
  while (items.length < limit) {
    let best = -1;
    pages.forEach((page, index) => {
      const head = page.items[taken[index] ?? 0];
      if (head === undefined) return;
      const current = best < 0 ? undefined : pages[best]?.items[taken[best] ?? 0];
      if (
        current === undefined ||
        order(head) < order(current) ||
        (order(head) === order(current) && page.service < (pages[best]?.service ?? ''))
      )
        best = index;
    });
    const page = pages[best];
    if (!page) break;
    const index = taken[best] ?? 0;
    const item = page.items[index];
    if (item === undefined) break;
    items.push({ ...item, service: page.service, ref: rowRef(page.service, item.id) });
    taken[best] = index + 1;
  }
  const cursor: Record<string, string> = { ...previous };
  let more = false;
  pages.forEach((page, index) => {
    const count = taken[index] ?? 0;
    const last = page.items[count - 1];
    if (last) cursor[page.service] = last.id;
    if (count < page.items.length || page.next !== null) more = true;
  });
  return { items, next: more ? cursor : null };
}

const ROW_ID = /^[1-9][0-9]{0,18}$/;

/** The cursor as the API hands it out: opaque, URL-safe. */
export function encodeCursor(cursor: MergedCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/**
 * A cursor handed out by {@link encodeCursor}, checked: every service it names is one of
 * `services` and every position an id. Undefined for anything else.
 */
export function decodeCursor(text: string, services: readonly string[]): MergedCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed as Record<string, unknown>);
  const valid = entries.every(
    ([service, id]) => services.includes(service) && typeof id === 'string' && ROW_ID.test(id),
  );
  return valid ? Object.fromEntries(entries as [string, string][]) : undefined;
}
