import { describe, expect, it } from '@jest/globals';
import { readEventStream, type ServerSentEvent } from './event-stream';

/** A body delivered in the chunks given, as a network may cut it. */
function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function eventsOf(...chunks: string[]): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  await readEventStream(body(...chunks), (event) => events.push(event));
  return events;
}

describe('readEventStream', () => {
  it('reads named events and skips comments and the reconnection delay', async () => {
    await expect(
      eventsOf(
        'retry: 3000\n\nevent: ready\ndata: {}\n\n: heartbeat\n\nevent: change\ndata: {"id":1}\n\n',
      ),
    ).resolves.toEqual([
      { event: 'ready', data: '{}' },
      { event: 'change', data: '{"id":1}' },
    ]);
  });

  it('joins an event cut anywhere across chunks, CRLF included, and several data lines', async () => {
    await expect(
      eventsOf('eve', 'nt: change\r', '\ndata: a\r\ndata:b\r\n', '\r\n', 'data: plain\n\n'),
    ).resolves.toEqual([
      { event: 'change', data: 'a\nb' },
      { event: 'message', data: 'plain' },
    ]);
  });

  it('drops an event the stream ended in the middle of', async () => {
    await expect(eventsOf('event: change\ndata: {"id":1}\n')).resolves.toEqual([]);
  });
});
