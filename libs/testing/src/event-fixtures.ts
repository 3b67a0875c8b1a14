import { randomUUID } from 'node:crypto';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  EventTypes,
  JSON_CONTENT_TYPE,
  dataSchemaUri,
  type IncidentCreatedV1,
  type IncidentSnapshot,
  type ItsmCloudEvent,
  type ProblemEventV1,
  type SlaWarningV1,
} from '@itsm/contracts';

/** A valid incident snapshot as events carry it, with the given fields. */
export function incidentSnapshot(fields: Partial<IncidentSnapshot> = {}): IncidentSnapshot {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    number: 'INC0999999',
    type: 'incident',
    title: 'Created by a test',
    description: '',
    requester: 'agent',
    source: 'portal',
    category: null,
    subcategory: null,
    catalogItem: null,
    businessServiceId: null,
    ciIds: [],
    impact: 3,
    urgency: 3,
    priority: 'P5',
    priorityOverrideReason: null,
    state: 'new',
    holdReason: null,
    awaitingChangeId: null,
    assignmentGroup: null,
    assignee: null,
    major: false,
    parentId: null,
    problemId: null,
    escalationLevel: 0,
    resolutionCode: null,
    resolutionNotes: null,
    openedAt: now,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    tags: [],
    externalRef: null,
    updatedAt: now,
    version: 1,
    ...fields,
  };
}

/** Valid `itsm.incident.created.v1` data for an incident at a given version. */
export function incidentCreatedData(
  incidentId: string = randomUUID(),
  version = 1,
): IncidentCreatedV1 {
  return {
    incident: incidentSnapshot({
      id: incidentId,
      title: `Created by a test (version ${version})`,
      version,
    }),
    changedFields: ['title'],
    previous: {},
  };
}

/** A whole `itsm.incident.created.v1` CloudEvent, as the incident service would publish it. */
export function incidentCreatedEvent(
  subject: string = randomUUID(),
): ItsmCloudEvent<IncidentCreatedV1> {
  return {
    specversion: CLOUD_EVENTS_SPEC_VERSION,
    id: randomUUID(),
    source: '/itsm/incident',
    type: EventTypes.incident.created,
    subject,
    time: new Date().toISOString(),
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: dataSchemaUri(EventTypes.incident.created),
    data: incidentCreatedData(subject),
  };
}

/** A CloudEvent as another service would publish it, sent now. */
export function cloudEvent<T>(
  type: string,
  source: string,
  subject: string,
  data: T,
): ItsmCloudEvent<T> {
  return {
    specversion: CLOUD_EVENTS_SPEC_VERSION,
    id: randomUUID(),
    source,
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: dataSchemaUri(type),
    data,
  };
}

/**
 * An `itsm.sla.warning.v1` (with the threshold crossed, 50 % by default) or
 * `itsm.sla.breached.v1` event for a record, as the slm service publishes it.
 */
export function slaEvent(
  type: typeof EventTypes.sla.warning | typeof EventTypes.sla.breached,
  record: { id: string; number: string },
  threshold?: number,
): ItsmCloudEvent<SlaWarningV1> {
  const now = new Date().toISOString();
  const breached = type === EventTypes.sla.breached;
  return cloudEvent(type, '/itsm/slm', record.id, {
    timer: {
      id: randomUUID(),
      recordId: record.id,
      recordType: 'incident',
      recordNumber: record.number,
      slaId: randomUUID(),
      slaVersion: 1,
      slaName: 'P1 resolution',
      target: 'resolution',
      state: breached ? 'breached' : 'running',
      startedAt: now,
      dueAt: now,
      elapsedMs: 1000,
      percentUsed: threshold ?? 100,
      breachedAt: breached ? now : null,
      stoppedAt: null,
    },
    ...(breached ? {} : { threshold: threshold ?? 50 }),
  } as SlaWarningV1);
}

/** An `itsm.problem.resolved.v1` event: the problem resolved, linked to the given incidents. */
export function problemResolvedEvent(problem: {
  id?: string;
  number: string;
  incidentIds: string[];
}): ItsmCloudEvent<ProblemEventV1> {
  const id = problem.id ?? randomUUID();
  return cloudEvent(EventTypes.problem.resolved, '/itsm/problem', id, {
    problem: {
      id,
      number: problem.number,
      title: 'Payroll export deadlocks',
      state: 'resolved',
      rootCause: 'Missing index on ledger',
      resolutionNotes: 'Index added',
      incidentIds: problem.incidentIds,
      resolvedAt: new Date().toISOString(),
      version: 3,
    },
    changedFields: ['state'],
  });
}
