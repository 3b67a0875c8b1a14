/**
 * Saved queues: a user's named filters, sort and search over a record list of the
 * incident service (`GET /api/v1/incidents` or `/requests`, docs/incidents.md), kept by
 * the gateway per user. Plain functions: the rules the service applies.
 */

/** The lists a queue can be saved over: the record collections of the API. */
export const SAVED_QUEUE_LISTS = ['incidents', 'requests'] as const;
export type SavedQueueList = (typeof SAVED_QUEUE_LISTS)[number];

/** The query parameters both record lists take (their filters, `q` and `sort`); never `limit` or `cursor`. */
export const SHARED_PARAMETERS = [
  'state',
  'priority',
  'assignmentGroup',
  'assignee',
  'unassigned',
  'requester',
  'businessServiceId',
  'ciId',
  'category',
  'subcategory',
  'source',
  'externalRef',
  'tag',
  'escalationLevel',
  'openedFrom',
  'openedTo',
  'updatedFrom',
  'updatedTo',
  'q',
  'sort',
] as const;

/** The parameters only one of the lists takes. */
export const LIST_ONLY_PARAMETERS: Record<SavedQueueList, readonly string[]> = {
  incidents: ['major', 'parentId', 'problemId'],
  requests: ['catalogItem'],
};

/** Every parameter name a saved queue may hold, whichever its list. */
export const SAVED_QUEUE_PARAMETERS: readonly string[] = [
  ...SHARED_PARAMETERS,
  ...LIST_ONLY_PARAMETERS.incidents,
  ...LIST_ONLY_PARAMETERS.requests,
];

/** How many queues one user may save. */
export const MAX_SAVED_QUEUES_PER_USER = 50;
export const MAX_NAME_LENGTH = 100;
export const MAX_PARAMETER_LENGTH = 500;

/** One line, no space at either end. */
export const SAVED_QUEUE_NAME = /^\S(?:.*\S)?$/;

export type SavedQueueParameters = Record<string, string>;

export interface ParameterError {
  field: string;
  message: string;
}

/** The parameters a list does not take, each named as the field at fault (`parameters.catalogItem`). */
export function parameterErrors(
  list: SavedQueueList,
  parameters: SavedQueueParameters,
): ParameterError[] {
  const allowed = new Set<string>([...SHARED_PARAMETERS, ...LIST_ONLY_PARAMETERS[list]]);
  return Object.keys(parameters)
    .filter((name) => !allowed.has(name))
    .map((name) => ({
      field: `parameters.${name}`,
      message: SAVED_QUEUE_PARAMETERS.includes(name)
        ? `${name} is not a parameter of the ${list} list`
        : `${name} is not a parameter of any list`,
    }));
}

/** The parameters that have a value, in a stable order (by name). */
export function normalisedParameters(
  parameters: Record<string, string | undefined>,
): SavedQueueParameters {
  return Object.fromEntries(
    Object.entries(parameters)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}

/** Names are unique per user whatever their case: `Network P1` and `network p1` are one. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The order of a user's queues once `id` moves to `position` (0 is the first; past the
 * end is the last). The others keep their order.
 */
export function reordered(ids: readonly string[], id: string, position: number): string[] {
  const rest = ids.filter((each) => each !== id);
  const at = Math.max(0, Math.min(Math.trunc(position), rest.length));
  return [...rest.slice(0, at), id, ...rest.slice(at)];
}
