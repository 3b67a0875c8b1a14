/**
 * The row of a queue picked from the keyboard (`j`/`k`, the arrow keys, `Home`/`End`):
 * the record's id, where it stood, and which list (its filters, sort and search) it was
 * picked in. Kept by id, so a refresh that reorders the rows, or a search that still
 * finds the record, keeps it.
 */
export interface QueueSelection {
  list: string;
  id: string;
  index: number;
}

export type QueueMove = 'next' | 'previous' | 'first' | 'last';

/**
 * The selection on the rows shown now (`ids`, in order): the same record where it stands
 * now while it is listed, whatever the list; if it left this list (resolved elsewhere, say)
 * the row now at its place; none if it is not in another list (the filters changed) or in
 * an empty one.
 */
export function currentSelection(
  ids: readonly string[],
  list: string,
  selection: QueueSelection | undefined,
): QueueSelection | undefined {
  if (selection === undefined || ids.length === 0) return undefined;
  const index = ids.indexOf(selection.id);
  if (index >= 0) return { list, id: selection.id, index };
  if (selection.list !== list) return undefined;
  const at = Math.min(Math.max(selection.index, 0), ids.length - 1);
  return { list, id: ids[at], index: at };
}

/**
 * The selection after a move, held at the ends (no wrapping). With nothing selected yet,
 * any move but `last` selects the first row.
 */
export function moveSelection(
  ids: readonly string[],
  list: string,
  selection: QueueSelection | undefined,
  move: QueueMove,
): QueueSelection | undefined {
  if (ids.length === 0) return undefined;
  const current = currentSelection(ids, list, selection);
  const last = ids.length - 1;
  let index: number;
  if (move === 'first') index = 0;
  else if (move === 'last') index = last;
  else if (current === undefined) index = 0;
  else index = Math.min(Math.max(current.index + (move === 'next' ? 1 : -1), 0), last);
  return { list, id: ids[index], index };
}
