import fc from 'fast-check';
import { decodeCursor, encodeCursor, mergePages, type ServicePage } from './merged-pages';

interface Item {
  id: string;
  at: string;
}
const at = (second: number) => new Date(Date.UTC(2026, 11, 4, 0, 0, second)).toISOString();
const item = (id: number, second: number): Item => ({ id: String(id), at: at(second) });

describe('merging every service’s page', () => {
  it('takes the oldest head each time, naming each item’s service', () => {
    const merged = mergePages<Item>(
      [
        { service: 'incident', items: [item(1, 1), item(2, 5)], next: null },
        { service: 'problem', items: [item(1, 2), item(7, 3)], next: null },
      ],
      10,
      (one) => one.at,
    );
    expect(merged.items.map((one) => `${one.service}:${one.id}`)).toEqual([
      'incident:1',
      'problem:1',
      'problem:7',
      'incident:2',
    ]);
    expect(merged.next).toBeNull();
  });

  it('ends a page where each service’s list was left, keeping where the others were', () => {
    const merged = mergePages<Item>(
      [
        { service: 'incident', items: [item(1, 1), item(2, 5)], next: null },
        { service: 'problem', items: [item(1, 2)], next: '1' },
        { service: 'slm', items: [], next: null },
      ],
      2,
      (one) => one.at,
      { slm: '40' },
    );
    expect(merged.items.map((one) => `${one.service}:${one.id}`)).toEqual([
      'incident:1',
      'problem:1',
    ]);
    expect(merged.next).toEqual({ incident: '1', problem: '1', slm: '40' });
  });

  it('pages through every item of every service exactly once, in each service’s order', () => {
    const services = ['gateway', 'incident', 'problem'];
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 12 }), {
          minLength: 3,
          maxLength: 3,
        }),
        fc.integer({ min: 1, max: 5 }),
        (seconds, limit) => {
          // Each service's list: ids ascending, instants as they come (not necessarily sorted).
          const lists = seconds.map((list) => list.map((second, index) => item(index + 1, second)));
          const pageOf = (service: number, after: string | undefined, size: number) => {
            const all = lists[service] ?? [];
            const rest = all.filter((one) => after === undefined || Number(one.id) > Number(after));
            return {
              items: rest.slice(0, size),
              next: rest.length > size ? (rest[size - 1]?.id ?? null) : null,
            };
          };
          const seen: string[] = [];
          let cursor: Record<string, string> = {};
          for (let round = 0; round < 100; round += 1) {
            const pages: ServicePage<Item>[] = services.map((service, index) => ({
              service,
              ...pageOf(index, cursor[service], limit),
            }));
            const merged = mergePages(pages, limit, (one) => one.at, cursor);
            seen.push(...merged.items.map((one) => `${one.service}:${one.id}`));
            if (!merged.next) break;
            cursor = { ...merged.next };
          }
          const expected = services.flatMap((service, index) =>
            (lists[index] ?? []).map((one) => `${service}:${one.id}`),
          );
          expect([...seen].sort()).toEqual([...expected].sort());
          for (const service of services) {
            const own = seen.filter((one) => one.startsWith(`${service}:`));
            expect(own).toEqual(expected.filter((one) => one.startsWith(`${service}:`)));
          }
        },
      ),
    );
  });
});

describe('the cursor of the merged list', () => {
  const services = ['gateway', 'incident'];

  it('reads back what it wrote', () => {
    const cursor = { incident: '42', gateway: '7' };
    expect(decodeCursor(encodeCursor(cursor), services)).toEqual(cursor);
  });

  it.each([
    ['not base64url', '!!'],
    ['not JSON', Buffer.from('{').toString('base64url')],
    ['an array', Buffer.from('[]').toString('base64url')],
    ['an unknown service', encodeCursor({ nowhere: '1' })],
    ['a position that is no id', Buffer.from('{"incident":"1; drop"}').toString('base64url')],
    ['a number', Buffer.from('{"incident":1}').toString('base64url')],
  ])('refuses %s', (_what, text) => {
    expect(decodeCursor(text, services)).toBeUndefined();
  });
});
