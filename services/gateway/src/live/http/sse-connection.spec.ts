import { EventEmitter } from 'node:events';
import { type Response } from 'express';
import { SseConnection, type EndReason } from './sse-connection';

/** A response whose client reads at once, or (`slow`) never: then what it writes stays buffered. */
class FakeResponse extends EventEmitter {
  constructor(private readonly slow = false) {
    super();
  }

  written = '';
  writableLength = 0;
  writableEnded = false;
  destroyed = false;
  status(): this {
    return this;
  }
  setHeader(): void {}
  flushHeaders(): void {}
  write(chunk: string): boolean {
    this.written += chunk;
    if (this.slow) this.writableLength += Buffer.byteLength(chunk);
    return true;
  }
  end(): void {
    this.writableEnded = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

function connection(response: FakeResponse, ends: EndReason[]): SseConnection {
  return new SseConnection({
    caller: { username: 'agent', roles: ['agent'], groups: [], kind: 'user' },
    response: response as unknown as Response,
    maxBufferedBytes: 300,
    endsAt: Date.now() + 60_000,
    onEnd: (_connection, reason) => ends.push(reason),
  });
}

const change = {
  recordType: 'incident' as const,
  id: 'b3d7f5a0-0000-4000-8000-000000000001',
  number: 'INC0000001',
  state: 'in_progress',
  version: 2,
  event: 'state_changed',
  changedFields: ['state'],
  at: '2026-01-01T00:00:00.000Z',
};

describe('SseConnection', () => {
  it('writes server-sent events: the reconnection delay, then one event per change', () => {
    const response = new FakeResponse();
    const stream = connection(response, []);
    stream.open();
    stream.send('change', change);
    expect(response.written).toBe(
      `retry: 3000\n\nevent: change\ndata: ${JSON.stringify(change)}\n\n`,
    );
  });

  it('drops a client whose backlog passes the limit instead of buffering for it', () => {
    const response = new FakeResponse(true);
    const ends: EndReason[] = [];
    const stream = connection(response, ends);
    stream.open();
    stream.send('change', change);
    stream.send('change', change);
    expect(ends).toEqual(['slow']);
    expect(response.destroyed).toBe(true);
    const written = response.written;
    stream.send('change', change);
    expect(response.written).toBe(written);
  });

  it('sends a heartbeat only after a silence, and ends once when the client goes away', () => {
    const response = new FakeResponse();
    const ends: EndReason[] = [];
    const stream = connection(response, ends);
    stream.open();
    stream.heartbeatIfIdle(Date.now(), 60_000);
    expect(response.written).not.toContain('heartbeat');
    stream.heartbeatIfIdle(Date.now() + 60_000, 60_000);
    expect(response.written).toContain(': heartbeat\n\n');
    response.emit('close');
    stream.end('expired');
    expect(ends).toEqual(['client']);
  });
});
