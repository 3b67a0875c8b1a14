import { type GovernedRecordType, type Permission } from '@itsm/auth';
import {
  Topics,
  type CiEventV1,
  serviceRecordOf,
  type DomainTopic,
  type ItsmCloudEvent,
  type ProblemEventV1,
  type ProblemTaskEventV1,
  type RelationshipEventV1,
  type SlaTimerEventV1,
} from '@itsm/contracts';

/**
 * Which permission reads an event: the read permission of the record family it belongs
 * to. The one table the archive (and every report built on it) decides this by.
 */
export const FAMILY_READ_PERMISSION = {
  incident: 'incident:read',
  request: 'request:read',
  problem: 'problem:read',
  change: 'change:read',
  sla: 'sla:read',
  cmdb: 'cmdb:read',
  directory: 'directory:read',
  report: 'report:read',
} as const satisfies Record<string, Permission>;

export type EventFamily = keyof typeof FAMILY_READ_PERMISSION;
export const EVENT_FAMILIES = Object.keys(FAMILY_READ_PERMISSION) as EventFamily[];

/** Each topic is one family, except that incidents and requests share theirs. */
const FAMILY_OF_TOPIC: Record<DomainTopic, EventFamily> = {
  [Topics.incidentEvents]: 'incident',
  [Topics.problemEvents]: 'problem',
  [Topics.changeEvents]: 'change',
  [Topics.slaEvents]: 'sla',
  [Topics.cmdbEvents]: 'cmdb',
  [Topics.directoryEvents]: 'directory',
  [Topics.reportEvents]: 'report',
};

/** By the type's name, not a list of known types: a request event of a later version is still a request's. */
const REQUEST_EVENT_TYPE_PREFIX = 'itsm.request.';

export function familyOf(topic: string, type: string): EventFamily {
  const family = (FAMILY_OF_TOPIC as Partial<Record<string, EventFamily>>)[topic];
  // A topic without a family could be read by nobody or by everybody: neither is right.
  if (!family) throw new Error(`the archive has no record family for topic ${topic}`);
  return family === 'incident' && type.startsWith(REQUEST_EVENT_TYPE_PREFIX) ? 'request' : family;
}

/**
 * The records whose visibility decides, beyond the family's permission, whether a caller
 * may read an event: the incident or request it is about (SLA events: the record the timer
 * measures), or the CIs it names (a relationship names two; it is hidden with either).
 */
export interface GovernedRecords {
  type: GovernedRecordType | 'ci';
  ids: string[];
}

export function governedRecordsOf(
  family: EventFamily,
  event: ItsmCloudEvent,
): GovernedRecords | null {
  switch (family) {
    case 'incident':
    case 'request': {
      const record = serviceRecordOf(event.data);
      return record ? { type: record.type, ids: [record.id] } : null;
    }
    case 'sla': {
      const timer = (event.data as Partial<SlaTimerEventV1>).timer;
      return timer ? { type: timer.recordType, ids: [timer.recordId] } : null;
    }
    case 'problem': {
      // A task is seen with its problem; known errors are open to every reader of problems.
      const data = event.data as Partial<ProblemEventV1 & ProblemTaskEventV1>;
      if (data.problem) return { type: 'problem', ids: [data.problem.id] };
      if (data.task) return { type: 'problem', ids: [data.task.problemId] };
      return null;
    }
    case 'cmdb': {
      const data = event.data as Partial<CiEventV1 & RelationshipEventV1>;
      if (data.ci) return { type: 'ci', ids: [data.ci.id] };
      if (data.relationship)
        return { type: 'ci', ids: [data.relationship.sourceId, data.relationship.targetId] };
      return null;
    }
    default:
      return null;
  }
}

/**
 * A record's ownership as its latest event tells it: who may see it now. The archive keeps
 * one per record, so that an event is shown by the record's current ownership, as the
 * record itself is (see docs/events.md, "Who reads which events").
 */
export interface RecordAccess {
  recordId: string;
  recordType: GovernedRecordType | 'ci';
  requester: string | null;
  assignmentGroup: string | null;
  assignee: string | null;
  restricted: boolean;
  ownerGroup: string | null;
  version: number;
}

export function recordAccessOf(family: EventFamily, event: ItsmCloudEvent): RecordAccess | null {
  const record =
    family === 'incident' || family === 'request' ? serviceRecordOf(event.data) : undefined;
  if (record)
    return {
      recordId: record.id,
      recordType: record.type,
      requester: record.requester,
      assignmentGroup: record.assignmentGroup,
      assignee: record.assignee,
      restricted: false,
      ownerGroup: null,
      version: record.version,
    };
  const problem =
    family === 'problem' ? (event.data as Partial<ProblemEventV1>).problem : undefined;
  if (problem)
    return {
      recordId: problem.id,
      recordType: 'problem',
      // Whoever opened a problem stands where a requester does (the problem service's rule).
      requester: problem.openedBy,
      assignmentGroup: problem.assignmentGroup,
      assignee: problem.assignee,
      restricted: false,
      ownerGroup: null,
      version: problem.version,
    };
  const ci = family === 'cmdb' ? (event.data as Partial<CiEventV1>).ci : undefined;
  if (ci)
    return {
      recordId: ci.id,
      recordType: 'ci',
      requester: null,
      assignmentGroup: null,
      assignee: null,
      // Events from before CIs could be restricted carry no flag: they were open.
      restricted: ci.restricted ?? false,
      ownerGroup: ci.ownerGroup,
      version: ci.version,
    };
  return null;
}
