import { type ChangeSnapshot } from '@itsm/contracts';
import { type Change } from '../domain/change';

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

/** The change as its events carry it and the API answers it. */
export function toSnapshot(change: Change): ChangeSnapshot {
  return {
    id: change.id,
    number: change.number,
    title: change.title,
    description: change.description,
    justification: change.justification,
    model: change.model,
    templateId: change.templateId,
    templateVersion: change.templateVersion,
    category: change.category,
    impact: change.impact,
    risk: change.risk,
    riskSource: change.riskSource,
    riskReasons: change.riskReasons,
    riskAnswers: change.riskAnswers,
    riskAssessedAt: iso(change.riskAssessedAt),
    state: change.state,
    approval: change.approval,
    onHold: change.onHold,
    holdReason: change.holdReason,
    heldByWindowId: change.heldByWindowId,
    plannedStart: iso(change.plannedStart),
    plannedEnd: iso(change.plannedEnd),
    actualStart: iso(change.actualStart),
    actualEnd: iso(change.actualEnd),
    implementationPlan: change.implementationPlan,
    backoutPlan: change.backoutPlan,
    testPlan: change.testPlan,
    ciIds: change.ciIds,
    businessServiceIds: change.businessServiceIds,
    assignmentGroup: change.assignmentGroup,
    assignee: change.assignee,
    requestedBy: change.requestedBy,
    problemIds: change.problemIds,
    incidentIds: change.incidentIds,
    causedIncidentIds: change.causedIncidentIds,
    closeCode: change.closeCode,
    closeNotes: change.closeNotes,
    reviewNotes: change.reviewNotes,
    unauthorized: change.unauthorized,
    blackoutOverrideReason: change.blackoutOverrideReason,
    externalRef: change.externalRef,
    openedAt: change.openedAt.toISOString(),
    authorizedAt: iso(change.authorizedAt),
    closedAt: iso(change.closedAt),
    closedBy: change.closedBy,
    updatedAt: change.updatedAt.toISOString(),
    version: change.version,
  };
}

export type ChangeView = ChangeSnapshot;
export const toView = toSnapshot;
