/** Members of a problem+json body that differ from one request to the next by design. */
const PER_REQUEST = ['instance', 'traceId', 'requestId'];

/**
 * A problem+json body as a caller could compare two answers: without what differs per
 * request (instance, trace and request ids), and with each of `ids` written as `{id}`. Two
 * answers that reveal the same thing have the same shape: a record the caller may not see
 * must answer as a missing one does.
 */
export function problemShape(body: unknown, ids: readonly string[] = []): unknown {
  const kept = Object.fromEntries(
    Object.entries(body as Record<string, unknown>).filter(([key]) => !PER_REQUEST.includes(key)),
  );
  const text = ids.reduce((json, id) => json.split(id).join('{id}'), JSON.stringify(kept));
  return JSON.parse(text) as unknown;
}
