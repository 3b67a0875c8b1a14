import { recordScope, type RecordAccessPolicy } from '@itsm/auth';
import { decodeCursor, encodeCursor, parseSort } from '@itsm/platform';
import { type Pool } from 'pg';
import { assigneeName, businessServiceId, ciId, errorCode, requesterName } from './dataset';
import { LIST_SORT_FIELDS, type ListFilter, type ListRequest } from './list-sql';

/**
 * Who asks: the incident manager sees every record; the agent only theirs, their
 * groups' and the unassigned queue (under {@link BENCH_RECORD_POLICY}); the requester only
 * the records they requested, and searches them without the work notes.
 */
export type Viewer = 'incident_manager' | 'agent' | 'requester';

/** One list request a desk sends, as query parameters of GET /api/v1/incidents. */
export interface QueryShape {
  name: string;
  viewer: Viewer;
  params: Record<string, string>;
}

/** The groups of the seeded users as the gateway's directory has them. */
const GROUPS_OF: Record<Exclude<Viewer, 'incident_manager'>, string[]> = {
  agent: ['service-desk'],
  requester: [],
};
/**
 * The services run restricted to groups (`AGENT_RECORD_SCOPE=groups`): under the default
 * an agent's list is the manager's, so only this measures the plan of a restricted one.
 */
export const BENCH_RECORD_POLICY: RecordAccessPolicy = { agentScope: 'groups' };
const DAY_MS = 86_400_000;
const PAGE_SIZE = 50;

/**
 * The query shapes measured. Values are picked from the generated population (dataset.ts)
 * at typical selectivities: a person or a CI with hundreds of records, a group or a
 * category with a hundred thousand. The deep page starts at the record halfway down the
 * default order, its cursor built as the API builds it.
 */
export async function queryShapes(
  pool: Pool,
  incidents: number,
  now = Date.now(),
): Promise<QueryShape[]> {
  const { rows } = await pool.query<{ opened_at: Date; id: string }>(
    `SELECT opened_at, id FROM "incident"."records" WHERE type = 'incident'
     ORDER BY opened_at DESC, id DESC OFFSET $1 LIMIT 1`,
    [Math.floor(incidents / 2)],
  );
  const middle = rows[0];
  const day = (daysAgo: number) => new Date(now - daysAgo * DAY_MS).toISOString();
  const manager = (name: string, params: Record<string, string>): QueryShape => ({
    name,
    viewer: 'incident_manager',
    params,
  });
  return [
    manager('default list (first page)', {}),
    ...(middle
      ? [
          manager('deep page (cursor at the middle)', {
            cursor: encodeCursor({ openedAt: middle.opened_at.toISOString(), id: middle.id }),
          }),
        ]
      : []),
    manager('state+priority (open P1/P2)', { state: 'new,in_progress,on_hold', priority: 'P1,P2' }),
    manager('assignmentGroup', { assignmentGroup: 'network' }),
    manager('assignee', { assignee: assigneeName(1, 2) }),
    manager('requester', { requester: requesterName(123) }),
    manager('businessServiceId', { businessServiceId: businessServiceId(7) }),
    manager('ciId', { ciId: ciId(500) }),
    manager('category', { category: 'hardware' }),
    manager('category+subcategory', { category: 'hardware', subcategory: 'printer' }),
    manager('tag', { tag: 'outage' }),
    manager('openedFrom/To (one week, a year ago)', { openedFrom: day(365), openedTo: day(358) }),
    manager('updatedFrom (last 24 h)', { updatedFrom: day(1) }),
    manager('group+state (a queue)', { assignmentGroup: 'database', state: 'new,in_progress' }),
    manager('category+tag+opened range', {
      category: 'network',
      tag: 'vip',
      openedFrom: day(180),
      openedTo: day(0),
    }),
    manager('source (monitoring)', { source: 'monitoring' }),
    manager('unassigned (open)', { unassigned: 'true', state: 'new,in_progress,on_hold' }),
    manager('major', { major: 'true' }),
    manager('escalationLevel (at least 1)', { escalationLevel: '1' }),
    manager('sort: priority (P1 first)', { sort: 'priority' }),
    manager('sort: -priority (P5 first)', { sort: '-priority' }),
    manager('sort: number', { sort: 'number' }),
    manager('sort: -updatedAt', { sort: '-updatedAt' }),
    manager('open P1/P2, sort: priority', {
      state: 'new,in_progress,on_hold',
      priority: 'P1,P2',
      sort: 'priority',
    }),
    manager('q: selective word (error code)', { q: errorCode(4711) }),
    manager('q: common word', { q: 'outlook' }),
    manager('q: phrase', { q: '"cannot connect"' }),
    manager('q + state (open, common word)', { q: 'outlook', state: 'new,in_progress' }),
    { name: 'agent: default list (visibility)', viewer: 'agent', params: {} },
    { name: 'agent: open queue', viewer: 'agent', params: { state: 'new,in_progress' } },
    { name: 'requester: own records', viewer: 'requester', params: {} },
    {
      name: 'requester: q over own records (no work notes)',
      viewer: 'requester',
      params: { q: 'outlook' },
    },
  ];
}

export function shapePath(shape: QueryShape): string {
  const query = new URLSearchParams(shape.params).toString();
  return `/api/v1/incidents${query ? `?${query}` : ''}`;
}

const list = (value: string | undefined) => value?.split(',');
const date = (value: string | undefined) => (value ? new Date(value) : undefined);
const flag = (value: string | undefined) => (value === undefined ? undefined : value === 'true');
const integer = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** The position a default-order cursor holds, as the list reads it (the deep page's is one). */
function afterOpenedAt(cursor: string): NonNullable<ListRequest['after']> {
  const { openedAt, id } = decodeCursor(cursor, { openedAt: 'instant', id: 'uuid' });
  return { values: [openedAt], id };
}

/**
 * The repository request the incident service builds from these parameters (its list
 * controller and RecordsService.list): comma lists split, tags lower case, flags and
 * numbers read, the sort parsed, the cursor decoded, the caller's record scope, work notes searched only for those who may read them.
 */
export function shapeRequest(shape: QueryShape): ListRequest {
  const { params } = shape;
  const filter: ListFilter = {
    type: 'incident',
    states: list(params.state),
    priorities: list(params.priority),
    assignmentGroups: list(params.assignmentGroup),
    assignee: params.assignee,
    requester: params.requester,
    businessServiceId: params.businessServiceId,
    ciId: params.ciId,
    category: params.category,
    subcategory: params.subcategory,
    tags: list(params.tag?.toLowerCase()),
    source: params.source,
    unassigned: flag(params.unassigned),
    major: flag(params.major),
    minEscalationLevel: integer(params.escalationLevel),
    openedFrom: date(params.openedFrom),
    openedTo: date(params.openedTo),
    updatedFrom: date(params.updatedFrom),
    text: params.q,
    searchesWorkNotes: params.q === undefined ? undefined : shape.viewer !== 'requester',
    scope: recordScope(
      {
        username: shape.viewer,
        roles: [shape.viewer],
        groups: shape.viewer === 'incident_manager' ? [] : GROUPS_OF[shape.viewer],
        kind: 'user',
      },
      'incident',
      BENCH_RECORD_POLICY,
    ),
  };
  const cleaned = Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined),
  ) as ListFilter;
  return {
    filter: cleaned,
    sort: parseSort(params.sort, LIST_SORT_FIELDS, { field: 'openedAt', direction: 'DESC' }),
    after: params.cursor ? afterOpenedAt(params.cursor) : undefined,
    limit: PAGE_SIZE,
  };
}
