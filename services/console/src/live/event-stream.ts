/** One server-sent event: its `event` name (`message` when none) and its `data` lines joined. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Reads a `text/event-stream` body (WHATWG HTML, "Server-sent events": lines ending in CR,
 * LF or CRLF; a blank line dispatches; `:` starts a comment; `data` lines join with LF) and
 * calls `onEvent` for each event, until the body ends or the signal aborts. `id` and
 * `retry` are not needed: the gateway's stream is not resumable, and the caller decides
 * when to reconnect. Written here because `EventSource` cannot send the bearer token.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  let event = '';
  let data: string[] = [];
  const line = (text: string) => {
    if (text === '') {
      if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    pending += decoder.decode(value, { stream: true });
    // A trailing CR may be the first half of a CRLF: it waits for the next chunk.
    const complete = pending.endsWith('\r') ? pending.slice(0, -1) : pending;
    const lines = complete.split(/\r\n|\r|\n/);
    // The last piece is a line still arriving.
    pending = (lines.pop() ?? '') + pending.slice(complete.length);
    for (const each of lines) line(each);
  }
}
