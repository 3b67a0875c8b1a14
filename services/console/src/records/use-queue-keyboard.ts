import { useRef, useState, type KeyboardEvent } from 'react';
import { acts, useShortcuts } from '../layout/use-shortcuts';
import {
  currentSelection,
  moveSelection,
  type QueueMove,
  type QueueSelection,
} from './queue-selection';

/** The keys that move the selection while the list has the focus. */
const TABLE_KEYS: Record<string, QueueMove> = {
  ArrowDown: 'next',
  ArrowUp: 'previous',
  Home: 'first',
  End: 'last',
};

interface QueueKeyboardOptions {
  /** The records shown, in order. */
  ids: readonly string[];
  /** Which list they are (its type and filters): a selection belongs to one list. */
  listKey: string;
  /** Off while the page shows no record list (the breaching-soon view). */
  enabled: boolean;
  open: (id: string) => void;
}

/**
 * The queue's keyboard (t.shortcuts): j/k and the arrow keys pick a row, Enter or o opens
 * it, / goes to the search. The row is kept by id, so it follows its record across refreshes
 * and filters that keep it (queue-selection.ts); the focus follows the row, so a screen
 * reader reads its number.
 */
export function useQueueKeyboard({ ids, listKey, enabled, open }: QueueKeyboardOptions) {
  const [picked, setPicked] = useState<QueueSelection>();
  const selected = currentSelection(ids, listKey, picked);
  const tableRef = useRef<HTMLTableElement>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const pick = (move: QueueMove) => {
    const next = moveSelection(ids, listKey, picked, move);
    if (!next) return;
    setPicked(next);
    const row = tableRef.current?.querySelector<HTMLElement>(`tr[data-record-id="${next.id}"]`);
    row?.querySelector<HTMLElement>('a')?.focus({ preventScroll: true });
    row?.scrollIntoView({ block: 'nearest' });
  };
  const openSelected = (event: globalThis.KeyboardEvent): void | false => {
    // A focused link or button acts on Enter itself (the selected row's number opens it).
    if (!selected || (event.key === 'Enter' && acts(event.target))) return false;
    open(selected.id);
  };
  const focusSearch = () => searchRef.current?.focus();
  useShortcuts(
    enabled
      ? [
          ['j', () => pick('next')],
          ['k', () => pick('previous')],
          ['o', openSelected],
          ['Enter', openSelected],
          ['/', focusSearch],
          // `/` is Shift+7 on some layouts.
          ['shift+/', focusSearch],
        ]
      : [],
  );
  const onTableKey = (event: KeyboardEvent<HTMLTableElement>) => {
    const move = TABLE_KEYS[event.key];
    if (!move || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    pick(move);
  };
  return { selectedId: selected?.id, tableRef, searchRef, onTableKey };
}
