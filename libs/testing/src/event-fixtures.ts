import { randomUUID } from 'node:crypto';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  ChangeEventTypes,
  EventTypes,
  JSON_CONTENT_TYPE,
  dataSchemaUri,
  type ChangeEventV1,
  type ChangeSnapshot,
  type IncidentCreatedV1,
  type IncidentSnapshot,
  ProblemEventTypes,
  type ItsmCloudEvent,
  type ProblemCommunicationV1,
  type ProblemEventV1,
  type ProblemIncidentsEventV1,
  type ProblemSnapshot,
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

/**
 * A valid problem snapshot as the problem service's events carry it (a problem in root
 * cause analysis unless told otherwise), with the given fields.
 */
export function problemSnapshot(fields: Partial<ProblemSnapshot> = {}): ProblemSnapshot {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    number: 'PRB0999999',
    title: 'Payroll export deadlocks',
    description: 'The nightly export deadlocks on the ledger',
    category: null,
    subcategory: null,
    businessServiceId: null,
    ciIds: [],
    impact: 2,
    urgency: 2,
    priority: 'P3',
    priorityOverrideReason: null,
    state: 'root_cause_analysis',
    source: 'manual',
    candidateReason: null,
    assignmentGroup: 'service-desk',
    assignee: null,
    openedBy: 'problem_manager',
    causeNotes: null,
    fixNotes: null,
    workaround: null,
    resolutionCode: null,
    resolutionNotes: null,
    duplicateOfId: null,
    changeIds: [],
    incidentCount: 0,
    openedAt: now,
    confirmedAt: now,
    confirmedBy: 'problem_manager',
    rootCauseIdentifiedAt: null,
    rootCauseIdentifiedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    closedAt: null,
    closedBy: null,
    reanalysisCount: 0,
    updatedAt: now,
    version: 3,
    ...fields,
  };
}

const PROBLEM_SOURCE = '/itsm/problem';

/**
 * An `itsm.problem.resolved.v1` event as the problem service publishes it: the problem
 * resolved with a fix applied (or the `resolutionCode` given), its cause and fix noted.
 */
export function problemResolvedEvent(
  fields: Partial<ProblemSnapshot> = {},
): ItsmCloudEvent<ProblemEventV1> {
  const now = new Date().toISOString();
  const problem = problemSnapshot({
    state: 'resolved',
    causeNotes: 'Missing index on the ledger',
    fixNotes: 'Index added on ledger (entry_date)',
    resolutionCode: 'fix_applied',
    resolutionNotes: 'Deployed with the weekly release',
    rootCauseIdentifiedAt: now,
    rootCauseIdentifiedBy: 'problem_manager',
    resolvedAt: now,
    resolvedBy: 'problem_manager',
    ...fields,
  });
  return cloudEvent(ProblemEventTypes.resolved, PROBLEM_SOURCE, problem.id, {
    problem,
    changedFields: ['state', 'resolutionCode', 'resolutionNotes', 'resolvedAt', 'resolvedBy'],
    previous: { state: 'fix_in_progress', resolutionCode: null, resolutionNotes: null },
  });
}

function problemIncidentsEvent(
  type: typeof ProblemEventTypes.incidentsLinked | typeof ProblemEventTypes.incidentsUnlinked,
  fields: Partial<ProblemSnapshot>,
  incidentIds: string[],
): ItsmCloudEvent<ProblemIncidentsEventV1> {
  const problem = problemSnapshot(fields);
  return cloudEvent(type, PROBLEM_SOURCE, problem.id, { problem, incidentIds });
}

/** An `itsm.problem.incidents_linked.v1` event: these incidents were linked to the problem. */
export function problemIncidentsLinkedEvent(
  problem: Partial<ProblemSnapshot>,
  incidentIds: string[],
): ItsmCloudEvent<ProblemIncidentsEventV1> {
  return problemIncidentsEvent(
    ProblemEventTypes.incidentsLinked,
    { incidentCount: incidentIds.length, ...problem },
    incidentIds,
  );
}

/** An `itsm.problem.incidents_unlinked.v1` event: these incidents were unlinked from the problem. */
export function problemIncidentsUnlinkedEvent(
  problem: Partial<ProblemSnapshot>,
  incidentIds: string[],
): ItsmCloudEvent<ProblemIncidentsEventV1> {
  return problemIncidentsEvent(ProblemEventTypes.incidentsUnlinked, problem, incidentIds);
}

/**
 * An `itsm.problem.workaround_communicated.v1` or `itsm.problem.fix_communicated.v1`
 * event: the text to note on every open incident linked to the problem.
 */
export function problemCommunicationEvent(
  kind: 'workaround' | 'fix',
  problem: Partial<ProblemSnapshot>,
  text: string,
  author = 'problem_manager',
): ItsmCloudEvent<ProblemCommunicationV1> {
  const snapshot = problemSnapshot(
    kind === 'workaround' ? { workaround: text, ...problem } : { fixNotes: text, ...problem },
  );
  const type =
    kind === 'workaround'
      ? ProblemEventTypes.workaroundCommunicated
      : ProblemEventTypes.fixCommunicated;
  return cloudEvent(type, PROBLEM_SOURCE, snapshot.id, { problem: snapshot, text, author });
}

/** A valid change snapshot as the change service's events carry it (a normal change in review unless told otherwise). */
export function changeSnapshot(fields: Partial<ChangeSnapshot> = {}): ChangeSnapshot {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    number: 'CHG0999999',
    title: 'Upgrade the array firmware',
    description: 'Firmware 7.2 fixes the controller resets',
    justification: null,
    model: 'normal',
    templateId: null,
    templateVersion: null,
    category: null,
    impact: 2,
    risk: 'moderate',
    riskSource: 'condition',
    riskReasons: [],
    riskAnswers: {},
    riskAssessedAt: now,
    state: 'review',
    approval: 'approved',
    onHold: false,
    holdReason: null,
    heldByWindowId: null,
    plannedStart: now,
    plannedEnd: now,
    actualStart: now,
    actualEnd: now,
    implementationPlan: null,
    backoutPlan: null,
    testPlan: null,
    ciIds: [],
    businessServiceIds: [],
    assignmentGroup: 'database',
    assignee: null,
    requestedBy: 'change_manager',
    problemIds: [],
    incidentIds: [],
    causedIncidentIds: [],
    closeCode: 'successful',
    closeNotes: null,
    reviewNotes: null,
    unauthorized: false,
    blackoutOverrideReason: null,
    externalRef: null,
    openedAt: now,
    authorizedAt: now,
    closedAt: null,
    closedBy: null,
    updatedAt: now,
    version: 7,
    ...fields,
  };
}

/**
 * An `itsm.change.completed.v1` event as the change service publishes it when a change
 * leaves implement: its close code set, implementation ended.
 */
export function changeCompletedEvent(
  fields: Partial<ChangeSnapshot> = {},
): ItsmCloudEvent<ChangeEventV1> {
  const change = changeSnapshot(fields);
  return cloudEvent(ChangeEventTypes.completed, '/itsm/change', change.id, {
    change,
    changedFields: ['state', 'closeCode', 'actualEnd'],
    previous: { state: 'implement', closeCode: null, actualEnd: null },
  });
}
