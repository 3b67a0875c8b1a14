import { type ChangeEventV1 } from '@itsm/contracts';
import { columns, greatest, least, union } from './fact-table';
import { instant, parseEventType, type EventReader, type ProjectionDefinition } from './projection';

/** Every `itsm.change.*.v1` event carries the change as it is after the change. */
export const readChangeV1: EventReader = (event) => {
  const change = (event.data as Partial<ChangeEventV1>).change;
  if (!change) return null;
  const rejected = parseEventType(event.type)?.happening === 'rejected';
  return {
    change_id: change.id,
    number: change.number,
    version: change.version,
    model: change.model,
    state: change.state,
    risk: change.risk,
    risk_source: change.riskSource,
    category: change.category,
    impact: change.impact,
    business_service_ids: change.businessServiceIds,
    ci_ids: change.ciIds,
    assignment_group: change.assignmentGroup,
    assignee: change.assignee,
    requested_by: change.requestedBy,
    close_code: change.closeCode,
    unauthorized: change.unauthorized,
    template_id: change.templateId,
    problem_ids: change.problemIds,
    caused_incident_ids: change.causedIncidentIds,
    opened_at: instant(change.openedAt),
    authorized_at: instant(change.authorizedAt),
    planned_start: instant(change.plannedStart),
    planned_end: instant(change.plannedEnd),
    actual_start: instant(change.actualStart),
    actual_end: instant(change.actualEnd),
    closed_at: instant(change.closedAt),
    cancelled_at: change.state === 'cancelled' ? instant(change.updatedAt) : null,
    rejection_versions: rejected ? [change.version] : [],
    last_event_at: instant(event.time),
  };
};

export const CHANGES: ProjectionDefinition = {
  name: 'changes',
  version: 1,
  lockId: 4,
  shape: {
    table: 'change_facts',
    key: 'change_id',
    precedence: ['version'],
    columns: columns({
      change_id: 'uuid',
      number: 'text',
      version: 'int',
      model: 'text',
      state: 'text',
      risk: 'text',
      risk_source: 'text',
      category: 'text',
      impact: 'int',
      business_service_ids: 'uuid[]',
      ci_ids: 'uuid[]',
      assignment_group: 'text',
      assignee: 'text',
      requested_by: 'text',
      close_code: 'text',
      unauthorized: 'bool',
      template_id: 'uuid',
      problem_ids: 'uuid[]',
      caused_incident_ids: 'uuid[]',
      opened_at: 'timestamptz',
      authorized_at: 'timestamptz',
      planned_start: 'timestamptz',
      planned_end: 'timestamptz',
      actual_start: 'timestamptz',
      actual_end: 'timestamptz',
      closed_at: 'timestamptz',
      cancelled_at: ['timestamptz', least],
      // The versions `rejected` events were published at: a count that duplicates cannot inflate.
      rejection_versions: ['int[]', union],
      rejection_count: ['int', { kind: 'cardinality', of: 'rejection_versions' }],
      last_event_at: ['timestamptz', greatest],
    }),
  },
  readers: { change: { 1: readChangeV1 } },
};
