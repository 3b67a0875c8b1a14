/** What a change event's `previous` carries: each changed field's value before it, as JSON (instants as ISO 8601). */
export function previousValues(
  changes: readonly { field: string; oldValue: unknown }[],
): Record<string, unknown> {
  return Object.fromEntries(
    changes.map((change) => [
      change.field,
      change.oldValue instanceof Date ? change.oldValue.toISOString() : change.oldValue,
    ]),
  );
}
