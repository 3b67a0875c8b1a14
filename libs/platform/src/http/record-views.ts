/**
 * How every service answers a record's journal and field history: the rows its tables
 * keep (timestamps as dates), as the API shows them (timestamps as ISO 8601 text).
 */

export interface JournalEntryView<Kind extends string = string> {
  id: string;
  kind: Kind;
  text: string;
  author: string;
  at: string;
}

export interface HistoryEntryView {
  field: string;
  oldValue: unknown;
  newValue: unknown;
  actor: string;
  at: string;
}

export function journalView<Kind extends string>(
  row: Omit<JournalEntryView<Kind>, 'at'> & { at: Date },
): JournalEntryView<Kind> {
  return {
    id: row.id,
    kind: row.kind,
    text: row.text,
    author: row.author,
    at: row.at.toISOString(),
  };
}

export function historyView(row: Omit<HistoryEntryView, 'at'> & { at: Date }): HistoryEntryView {
  return {
    field: row.field,
    oldValue: row.oldValue,
    newValue: row.newValue,
    actor: row.actor,
    at: row.at.toISOString(),
  };
}
