import { DEFAULT_SEVERITY_PRIORITIES, parseSeverityLevels, type AlertPolicy } from './alert-policy';
import type { AlertmanagerAlert, AlertmanagerPayload } from './alertmanager-payload';

/** A notification as Alertmanager 0.25 (Debian 12) sent it, captured from the real binary. */
export function capturedNotification(): AlertmanagerPayload {
  return {
    receiver: 'itsm',
    status: 'firing',
    alerts: [capturedAlert()],
    groupLabels: { alertname: 'DiskFull' },
    commonLabels: {
      alertname: 'DiskFull',
      instance: 'web01:9100',
      severity: 'critical',
      team: 'network',
    },
    commonAnnotations: { description: '/var is 95% full', summary: 'Disk 95% full on web01' },
    externalURL: 'http://vm:18556',
    version: '4',
    groupKey: '{}:{alertname="DiskFull"}',
    truncatedAlerts: 0,
  };
}

export function capturedAlert(overrides: Partial<AlertmanagerAlert> = {}): AlertmanagerAlert {
  return {
    status: 'firing',
    labels: {
      alertname: 'DiskFull',
      instance: 'web01:9100',
      severity: 'critical',
      team: 'network',
    },
    annotations: { description: '/var is 95% full', summary: 'Disk 95% full on web01' },
    startsAt: '2026-11-22T04:50:01.967245159Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.example:9090/graph?g0.expr=disk_used',
    fingerprint: 'e5bad21c7d46e087',
    ...overrides,
  };
}

/** The policy with every variable at its default. */
export function defaultPolicy(overrides: Partial<AlertPolicy> = {}): AlertPolicy {
  return {
    severityLabel: 'severity',
    severityLevels: parseSeverityLevels(DEFAULT_SEVERITY_PRIORITIES),
    fallbackLevels: { impact: 3, urgency: 3 },
    assignmentGroupLabels: ['assignment_group', 'team'],
    defaultAssignmentGroup: null,
    tagLabels: ['alertname', 'severity'],
    resolveOnResolved: false,
    ...overrides,
  };
}
