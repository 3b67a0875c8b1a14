import {
  Inject,
  Injectable,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { type Response } from 'express';
import { type Caller, type RecordAccessPolicy } from '@itsm/auth';
import { ShutdownState } from '@itsm/observability';
import { RECORD_ACCESS_POLICY } from '@itsm/platform';
import { GATEWAY_CONFIG, type GatewayConfig } from '../../config/gateway.config';
import { LiveAudience, type JoinRefusal } from '../domain/live-audience';
import { type LiveRecordChange } from '../domain/live-change';
import { SseConnection, sseFrame, type EndReason } from '../http/sse-connection';
import {
  liveChangesSent,
  liveStreamsEnded,
  liveStreamsOpen,
  liveStreamsRefused,
} from './live-metrics';

/** How often heartbeats, expiries and a shutdown are looked for. */
const TICK_MS = 1000;

/**
 * The streams open on this replica: opens them (within the limits), tells each change to
 * those who may see the record, keeps them alive, and ends them when their token expires or
 * the gateway shuts down (an open stream would otherwise hold the drain until its deadline).
 */
@Injectable()
export class LiveStreams implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly audience: LiveAudience<SseConnection>;
  private ticker?: NodeJS.Timeout;
  private shutdownState?: ShutdownState;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(RECORD_ACCESS_POLICY) policy: RecordAccessPolicy,
    private readonly moduleRef: ModuleRef,
  ) {
    this.audience = new LiveAudience<SseConnection>(
      { maxPerUser: config.LIVE_MAX_STREAMS_PER_USER, maxTotal: config.LIVE_MAX_STREAMS },
      policy,
    );
  }

  onModuleInit(): void {
    // The health module's, which the graceful shutdown flags first.
    this.shutdownState = this.moduleRef.get(ShutdownState, { strict: false });
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.ticker);
  }

  onApplicationShutdown(): void {
    this.endAll('shutdown');
  }

  /**
   * Opens a stream for the caller on this response, or says why not. `tokenExpiresAt` (ms)
   * ends it with the bearer token it was opened with.
   */
  open(caller: Caller, response: Response, tokenExpiresAt?: number): SseConnection | JoinRefusal {
    const longest = Date.now() + this.config.LIVE_MAX_STREAM_SECONDS * 1000;
    const connection = new SseConnection({
      caller,
      response,
      maxBufferedBytes: this.config.LIVE_MAX_BUFFERED_BYTES,
      endsAt: Math.min(longest, tokenExpiresAt ?? longest),
      onEnd: (ended, reason) => this.ended(ended, reason),
    });
    const refusal = this.audience.join(connection);
    if (refusal) {
      liveStreamsRefused.inc({ reason: refusal.replaceAll('-', '_') });
      return refusal;
    }
    liveStreamsOpen.set(this.audience.size);
    connection.open();
    return connection;
  }

  publish(change: LiveRecordChange): void {
    const recipients = this.audience.recipients(change);
    if (recipients.length === 0) return;
    const frame = sseFrame('change', change.change);
    for (const recipient of recipients) recipient.sendFrame(frame);
    liveChangesSent.inc(recipients.length);
  }

  private ended(connection: SseConnection, reason: EndReason): void {
    this.audience.leave(connection);
    liveStreamsOpen.set(this.audience.size);
    liveStreamsEnded.inc({ reason });
  }

  private tick(): void {
    if (this.shutdownState?.draining) {
      this.endAll('shutdown');
      return;
    }
    const now = Date.now();
    const idleMs = this.config.LIVE_HEARTBEAT_SECONDS * 1000;
    for (const connection of this.audience.all()) {
      if (now >= connection.endsAt) connection.end('expired');
      else connection.heartbeatIfIdle(now, idleMs);
    }
  }

  private endAll(reason: EndReason): void {
    for (const connection of this.audience.all()) connection.end(reason);
  }
}
