import { Counter, Gauge } from 'prom-client';
import { metricsRegistry } from '@itsm/observability';

/** Streams open on this replica. */
export const liveStreamsOpen = new Gauge({
  name: 'itsm_gateway_live_streams',
  help: 'Live update streams (GET /api/v1/stream) open on this gateway replica.',
  registers: [metricsRegistry],
});

/** Streams refused or ended, by why. */
export const liveStreamsEnded = new Counter({
  name: 'itsm_gateway_live_streams_ended_total',
  help: 'Live update streams ended, by reason: client (it went away), slow (its backlog passed LIVE_MAX_BUFFERED_BYTES), expired (its token or LIVE_MAX_STREAM_SECONDS), shutdown.',
  labelNames: ['reason'],
  registers: [metricsRegistry],
});

export const liveStreamsRefused = new Counter({
  name: 'itsm_gateway_live_streams_refused_total',
  help: 'Live update streams refused, by reason: too_many_for_user (LIVE_MAX_STREAMS_PER_USER), too_many (LIVE_MAX_STREAMS).',
  labelNames: ['reason'],
  registers: [metricsRegistry],
});

/** Record events read from Kafka, and what came of them. */
export const liveEventsConsumed = new Counter({
  name: 'itsm_gateway_live_events_consumed_total',
  help: 'Incident, problem and change topic events the live feed read, by outcome: relayed (a record change), skipped (not about a record, or lacking what the record-level rule reads), malformed.',
  labelNames: ['outcome'],
  registers: [metricsRegistry],
});

export const liveChangesSent = new Counter({
  name: 'itsm_gateway_live_changes_sent_total',
  help: 'Record changes written to live update streams (one per stream told).',
  registers: [metricsRegistry],
});
