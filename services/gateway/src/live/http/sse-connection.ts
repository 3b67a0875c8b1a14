import { type Response } from 'express';
import { type Caller } from '@itsm/auth';
import { type LiveSubscriber } from '../domain/live-audience';

/** How long a client waits before reconnecting after the stream ends (the SSE `retry` field). */
export const RECONNECT_DELAY_MS = 3000;

/** One server-sent event: its name, and its data as one line of JSON. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export type EndReason = 'client' | 'slow' | 'expired' | 'shutdown';

export interface SseConnectionOptions {
  caller: Caller;
  response: Response;
  /** Bytes that may wait in the socket's buffer; past it the client is dropped, not buffered. */
  maxBufferedBytes: number;
  /** When the stream must end (the token's expiry, or the longest a stream lasts). */
  endsAt: number;
  onEnd: (connection: SseConnection, reason: EndReason) => void;
}

/**
 * One `text/event-stream` answer (WHATWG HTML, server-sent events), written straight to the
 * socket. A client that stops reading is disconnected once its backlog passes the limit,
 * so that one slow reader never holds the replica's memory.
 */
export class SseConnection implements LiveSubscriber {
  readonly caller: Caller;
  readonly endsAt: number;
  private lastWriteAt = Date.now();
  private ended = false;

  constructor(private readonly options: SseConnectionOptions) {
    this.caller = options.caller;
    this.endsAt = options.endsAt;
  }

  /** Starts the answer; until then the connection holds nothing and needs no ending. */
  open(): void {
    const { response } = this.options;
    response.once('close', () => this.end('client'));
    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    // no-transform: a proxy must not compress it (it would wait for a full buffer).
    response.setHeader('Cache-Control', 'no-cache, no-transform');
    response.setHeader('Connection', 'keep-alive');
    // nginx (an ingress) would otherwise buffer the answer and deliver the events late.
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    this.write(`retry: ${RECONNECT_DELAY_MS}\n\n`);
  }

  send(event: string, data: unknown): void {
    this.write(sseFrame(event, data));
  }

  /** A frame made once for every stream told of the same change. */
  sendFrame(frame: string): void {
    this.write(frame);
  }

  /** A comment line every so often keeps proxies from closing an idle stream. */
  heartbeatIfIdle(now: number, idleMs: number): void {
    if (now - this.lastWriteAt >= idleMs) this.write(': heartbeat\n\n');
  }

  end(reason: EndReason): void {
    if (this.ended) return;
    this.ended = true;
    const { response } = this.options;
    // A slow client's backlog is thrown away with its socket; anyone else gets a clean end.
    if (reason === 'slow') response.destroy();
    else if (!response.writableEnded) response.end();
    this.options.onEnd(this, reason);
  }

  private write(frame: string): void {
    if (this.ended) return;
    const { response, maxBufferedBytes } = this.options;
    if (response.writableLength + Buffer.byteLength(frame) > maxBufferedBytes) {
      this.end('slow');
      return;
    }
    response.write(frame);
    this.lastWriteAt = Date.now();
  }
}
