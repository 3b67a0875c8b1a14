/**
 * The envelope of every event the platform publishes: a CloudEvents 1.0 event whose
 * data is JSON, with the W3C trace context and causality carried as extension attributes.
 * See docs/events.md for how it maps onto a Kafka record (binary content mode).
 */
export interface ItsmCloudEvent<TData = unknown> {
  specversion: '1.0';
  /** Unique per event; consumers deduplicate on it. */
  id: string;
  /** URI-reference of the producing service, e.g. `/itsm/incident`. */
  source: string;
  /** `itsm.<record>.<what happened>.v<n>`. */
  type: string;
  /** The record the event is about (its id); also the Kafka key. */
  subject: string;
  /** ISO 8601 UTC time of the change. */
  time: string;
  datacontenttype: 'application/json';
  /** URI of the JSON Schema the data conforms to. */
  dataschema: string;
  /** W3C traceparent of the operation that caused the event (distributed tracing extension). */
  traceparent?: string;
  tracestate?: string;
  /** Correlates every event that stems from one user request. */
  correlationid?: string;
  /** The id of the event that caused this one, when a consumer reacted to another event. */
  causationid?: string;
  data: TData;
}

export const CLOUD_EVENTS_SPEC_VERSION = '1.0' as const;
export const JSON_CONTENT_TYPE = 'application/json' as const;

export function serviceSource(serviceName: string): string {
  return `/itsm/${serviceName}`;
}

export function dataSchemaUri(eventType: string): string {
  return `https://schemas.itsm.dev/events/${eventType}.json`;
}
