import { type KnownErrorEventV1, type ProblemEventV1 } from '@itsm/contracts';
import { columns, greatest, least } from './fact-table';
import { instant, type EventReader, type ProjectionDefinition } from './projection';

/** Every `itsm.problem.*.v1` event carries the problem as it is after the change. */
export const readProblemV1: EventReader = (event) => {
  const problem = (event.data as Partial<ProblemEventV1>).problem;
  if (!problem) return null;
  return {
    problem_id: problem.id,
    number: problem.number,
    version: problem.version,
    state: problem.state,
    priority: problem.priority,
    category: problem.category,
    business_service_id: problem.businessServiceId,
    ci_ids: problem.ciIds,
    assignment_group: problem.assignmentGroup,
    assignee: problem.assignee,
    opened_by: problem.openedBy,
    source: problem.source,
    resolution_code: problem.resolutionCode,
    duplicate_of_id: problem.duplicateOfId,
    change_ids: problem.changeIds,
    incident_count: problem.incidentCount,
    opened_at: instant(problem.openedAt),
    confirmed_at: instant(problem.confirmedAt),
    root_cause_identified_at: instant(problem.rootCauseIdentifiedAt),
    resolved_at: instant(problem.resolvedAt),
    closed_at: instant(problem.closedAt),
    cancelled_at: problem.state === 'cancelled' ? instant(problem.updatedAt) : null,
    reanalysis_count: problem.reanalysisCount,
    last_event_at: instant(event.time),
  };
};

export const PROBLEMS: ProjectionDefinition = {
  name: 'problems',
  version: 1,
  lockId: 2,
  shape: {
    table: 'problem_facts',
    key: 'problem_id',
    precedence: ['version'],
    columns: columns({
      problem_id: 'uuid',
      number: 'text',
      version: 'int',
      state: 'text',
      priority: 'text',
      category: 'text',
      business_service_id: 'uuid',
      ci_ids: 'uuid[]',
      assignment_group: 'text',
      assignee: 'text',
      opened_by: 'text',
      source: 'text',
      resolution_code: 'text',
      duplicate_of_id: 'uuid',
      change_ids: 'uuid[]',
      incident_count: 'int',
      opened_at: 'timestamptz',
      confirmed_at: 'timestamptz',
      root_cause_identified_at: 'timestamptz',
      resolved_at: 'timestamptz',
      closed_at: 'timestamptz',
      cancelled_at: ['timestamptz', least],
      reanalysis_count: 'int',
      last_event_at: ['timestamptz', greatest],
    }),
  },
  readers: { problem: { 1: readProblemV1 } },
};

/** `itsm.known_error.created.v1` and `updated.v1`: the known error at its revision. */
export const readKnownErrorV1: EventReader = (event) => {
  const knownError = (event.data as Partial<KnownErrorEventV1>).knownError;
  if (!knownError) return null;
  return {
    known_error_id: knownError.id,
    number: knownError.number,
    revision: knownError.revision,
    category: knownError.category,
    error_code: knownError.errorCode,
    ci_class: knownError.ciClass,
    vendor: knownError.vendor,
    problem_id: knownError.problemId,
    created_at: instant(knownError.createdAt),
    valid_until: instant(knownError.validUntil),
    // No event retires a known error yet (its validity ends at `valid_until`).
    retired_at: null,
    last_event_at: instant(event.time),
  };
};

export const KNOWN_ERRORS: ProjectionDefinition = {
  name: 'known_errors',
  version: 1,
  lockId: 3,
  shape: {
    table: 'known_error_facts',
    key: 'known_error_id',
    precedence: ['revision'],
    columns: columns({
      known_error_id: 'uuid',
      number: 'text',
      revision: 'int',
      category: 'text',
      error_code: 'text',
      ci_class: 'text',
      vendor: 'text',
      problem_id: 'uuid',
      created_at: 'timestamptz',
      valid_until: 'timestamptz',
      retired_at: ['timestamptz', least],
      last_event_at: ['timestamptz', greatest],
    }),
  },
  readers: { known_error: { 1: readKnownErrorV1 } },
};
