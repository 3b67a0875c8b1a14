import { EventSourceParserStream } from 'eventsource-parser/stream';

/** One server-sent event: its `event` name (`message` when none) and its `data` lines joined. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Reads a `text/event-stream` body and calls `onEvent` for each event, until the body ends
 * or the request is aborted. The console reads the stream with fetch because
 * `EventSource` cannot send the bearer token; `id` and `retry` are not used: the gateway's
 * stream is not resumable, and the caller decides when to reconnect.
 */
export async function readEventStream(
  body: ReadableStream<Uint8Array>,
  onEvent: (event: ServerSentEvent) => void,
): Promise<void> {
  // A TextDecoderStream decodes any BufferSource; TypeScript's DOM types do not let a
  // stream of Uint8Array be piped into one without saying so.
  const decoder = new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>;
  const events = body.pipeThrough(decoder).pipeThrough(new EventSourceParserStream()).getReader();
  for (;;) {
    const { done, value } = await events.read();
    if (done) return;
    onEvent({ event: value.event ?? 'message', data: value.data });
  }
}
