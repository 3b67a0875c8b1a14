/**
 * The body of an Alertmanager webhook notification, payload version 4 (Alertmanager
 * 0.x `webhook_configs`): one notification per alert group, carrying every alert of the
 * group, firing and just resolved.
 */
export type AlertStatus = 'firing' | 'resolved';
export const ALERT_STATUSES: readonly AlertStatus[] = ['firing', 'resolved'];

export const ALERTMANAGER_PAYLOAD_VERSION = '4';

export interface AlertmanagerAlert {
  status: AlertStatus;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339. */
  startsAt: string;
  /** RFC 3339; `0001-01-01T00:00:00Z` while firing with no end known. */
  endsAt: string;
  /** The Prometheus expression's page that raised the alert; may be empty. */
  generatorURL: string;
  /** A hash of the alert's labels: the same alert keeps it from firing to resolution. */
  fingerprint: string;
}

export interface AlertmanagerPayload {
  version: typeof ALERTMANAGER_PAYLOAD_VERSION;
  /** Identifies the alert group (route and `group_by` values). */
  groupKey: string;
  /** Alerts left out because of the receiver's `max_alerts`. */
  truncatedAlerts: number;
  /** `resolved` only when every alert of the group is resolved. */
  status: AlertStatus;
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  /** The sending Alertmanager's own URL. */
  externalURL: string;
  alerts: AlertmanagerAlert[];
}
