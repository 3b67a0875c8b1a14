/**
 * Saved queues (`/api/v1/me/saved-queues`, docs/saved-queues.md): what the queue page's
 * address holds (view, type, filters, sort, search) as the list API's query parameters the
 * gateway keeps, and back. Pure: no React, no strings.
 */

export type SavedQueueList = 'incidents' | 'requests';

/** A saved queue as the gateway answers it. */
export interface SavedQueue {
  id: string;
  name: string;
  list: SavedQueueList;
  parameters: Record<string, string>;
  position: number;
  isDefault: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The queue page (`/queue`, agents) or the records the user raised (`/my`). */
export type QueuePageKind = 'agent' | 'mine';

/** What the queue page shows, as its address says. */
export interface QueueAddress {
  page: QueuePageKind;
  list: SavedQueueList;
  /** The agent's view: mine, groups, unassigned or all (never breaching: timers, not records). */
  view: string;
  state: string;
  priority: string;
  sort: string;
  q: string;
}

/** Who is looking: their user name and groups. */
export interface Viewer {
  username: string;
  groups: string[];
}

/** The page's filters as the list API's query parameters, with the states a queue shows when none is picked. */
export function savedParameters(
  address: QueueAddress,
  viewer: Viewer,
  openStates: readonly string[],
): Record<string, string> {
  const parameters: Record<string, string> = {};
  const state = address.state || (address.page === 'agent' ? openStates.join(',') : '');
  if (state) parameters.state = state;
  if (address.priority) parameters.priority = address.priority;
  if (address.sort) parameters.sort = address.sort;
  if (address.q) parameters.q = address.q;
  if (address.page === 'mine') parameters.requester = viewer.username;
  else if (address.view === 'mine') parameters.assignee = viewer.username;
  else if (address.view === 'groups') parameters.assignmentGroup = viewer.groups.join(',');
  else if (address.view === 'unassigned') parameters.unassigned = 'true';
  return parameters;
}

/**
 * Where a saved queue opens: `/my` for the records the viewer raised, `/queue` otherwise,
 * with the view, type, filters, sort and search the page has controls for. The states a
 * queue shows when none is picked are left out, as the page adds them.
 */
export function addressOf(
  queue: Pick<SavedQueue, 'list' | 'parameters'>,
  viewer: Viewer,
  openStates: readonly string[],
): string {
  const { parameters } = queue;
  const mine =
    parameters.requester === viewer.username &&
    !parameters.assignee &&
    !parameters.assignmentGroup &&
    !parameters.unassigned;
  const search = new URLSearchParams();
  if (queue.list === 'requests') search.set('type', 'request');
  if (!mine) {
    const view =
      parameters.assignee === viewer.username
        ? 'mine'
        : parameters.unassigned === 'true'
          ? 'unassigned'
          : parameters.assignmentGroup
            ? 'groups'
            : 'all';
    search.set('view', view);
  }
  const state = parameters.state ?? '';
  if (state && !(!mine && state === openStates.join(','))) search.set('state', state);
  for (const name of ['priority', 'sort', 'q'] as const) {
    const value = parameters[name];
    if (value) search.set(name, value);
  }
  search.sort();
  return `${mine ? '/my' : '/queue'}?${search.toString()}`;
}

/** The same address whatever the order of its parameters, for comparing with {@link addressOf}. */
export function normalisedAddress(pathname: string, search: string): string {
  const parameters = new URLSearchParams(search);
  parameters.delete('within');
  parameters.sort();
  return `${pathname}?${parameters.toString()}`;
}
