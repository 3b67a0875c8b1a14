import { z } from 'zod';
import { type ServiceClient } from '@itsm/platform';
import { type CmdbRead } from './cmdb-impact.client';

/** The classes of some CIs, as windows scoped by class read them. */
export interface CiClassLineages {
  /**
   * Each CI's class followed by its ancestors, nearest first
   * (`['virtual_server', 'server', 'configuration_item']`), by CI id in lower case.
   */
  classesById: Record<string, string[]>;
  /** CIs given that the CMDB does not show the change service (unknown, or restricted): no class known. */
  unseenCiIds: string[];
}

/** The most ids the cmdb service's list takes in one `ids` filter (docs/cmdb.md). */
export const MAX_IDS_PER_LIST = 100;
const CIS_PATH = '/api/v1/cis';
const CLASSES_PATH = '/api/v1/ci-classes';

const ciPage = z.object({ items: z.array(z.object({ id: z.string(), class: z.string() })) });
const classList = z.object({
  items: z.array(z.object({ name: z.string(), parent: z.string().nullable() })),
});

function parser<T>(schema: z.ZodType<T>, what: string): (body: unknown) => T {
  return (body) => {
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      throw new Error(`not ${what}: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
    return parsed.data;
  };
}

const parseCis = parser(ciPage, 'a page of CIs');
const parseClasses = parser(classList, 'the class hierarchy');

/**
 * Reads the classes of a change's CIs from the cmdb service, as the change service (ADR 12):
 * one `GET /api/v1/cis?ids=…` per hundred CIs, and the class hierarchy (for the ancestors:
 * a window on `server` covers a `virtual_server`), read once and again only when a CI has a
 * class it does not know yet (classes are added, never moved or removed). One deadline for
 * every request of a read; when the CMDB is down, slow or failing the read is degraded,
 * never an exception. Restricted CIs are not shown to the change service: they come back in
 * `unseenCiIds`, as unknown ids do.
 */
export class CmdbClassesClient {
  /** Class name to its parent (null for the root), as last read. */
  private parents = new Map<string, string | null>();

  constructor(
    private readonly cmdb: Pick<ServiceClient, 'get'>,
    private readonly timeoutMs: number,
  ) {}

  async classesOf(ciIds: readonly string[]): Promise<CmdbRead<CiClassLineages>> {
    const ids = [...new Set(ciIds.map((id) => id.toLowerCase()))];
    if (ids.length === 0) return { degraded: false, value: { classesById: {}, unseenCiIds: [] } };
    const signal = AbortSignal.timeout(this.timeoutMs);
    const batches: string[][] = [];
    for (let index = 0; index < ids.length; index += MAX_IDS_PER_LIST)
      batches.push(ids.slice(index, index + MAX_IDS_PER_LIST));
    const pages = await Promise.all(
      batches.map((batch) =>
        this.cmdb.get(`${CIS_PATH}?ids=${batch.join(',')}&limit=${batch.length}`, {
          parse: parseCis,
          signal,
        }),
      ),
    );
    const asked = new Set(ids);
    const classOf = new Map<string, string>();
    for (const page of pages) {
      if (page.degraded) return page;
      for (const ci of page.value.items)
        if (asked.has(ci.id.toLowerCase())) classOf.set(ci.id.toLowerCase(), ci.class);
    }
    if ([...classOf.values()].some((name) => !this.parents.has(name))) {
      const hierarchy = await this.cmdb.get(CLASSES_PATH, { parse: parseClasses, signal });
      if (hierarchy.degraded) return hierarchy;
      this.parents = new Map(hierarchy.value.items.map((item) => [item.name, item.parent]));
    }
    const classesById: Record<string, string[]> = {};
    for (const [id, name] of classOf) classesById[id] = this.lineage(name);
    return {
      degraded: false,
      value: { classesById, unseenCiIds: ids.filter((id) => !classOf.has(id)) },
    };
  }

  /** The class and its ancestors, nearest first; a cycle (which the CMDB never has) stops the walk. */
  private lineage(name: string): string[] {
    const lineage = [name];
    for (let parent = this.parents.get(name); parent && !lineage.includes(parent);) {
      lineage.push(parent);
      parent = this.parents.get(parent);
    }
    return lineage;
  }
}
