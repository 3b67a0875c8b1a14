import { type ProblemSnapshot } from '@itsm/contracts';
import { type Problem } from '../domain/problem';

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

/** The problem as its events carry it and the API answers it. */
export function toSnapshot(problem: Problem): ProblemSnapshot {
  return {
    id: problem.id,
    number: problem.number,
    title: problem.title,
    description: problem.description,
    category: problem.category,
    subcategory: problem.subcategory,
    businessServiceId: problem.businessServiceId,
    ciIds: problem.ciIds,
    impact: problem.impact,
    urgency: problem.urgency,
    priority: problem.priority,
    priorityOverrideReason: problem.priorityOverrideReason,
    state: problem.state,
    source: problem.source,
    candidateReason: problem.candidateReason,
    assignmentGroup: problem.assignmentGroup,
    assignee: problem.assignee,
    openedBy: problem.openedBy,
    causeNotes: problem.causeNotes,
    fixNotes: problem.fixNotes,
    workaround: problem.workaround,
    resolutionCode: problem.resolutionCode,
    resolutionNotes: problem.resolutionNotes,
    duplicateOfId: problem.duplicateOfId,
    changeIds: problem.changeIds,
    incidentCount: problem.incidentCount,
    openedAt: problem.openedAt.toISOString(),
    confirmedAt: iso(problem.confirmedAt),
    confirmedBy: problem.confirmedBy,
    rootCauseIdentifiedAt: iso(problem.rootCauseIdentifiedAt),
    rootCauseIdentifiedBy: problem.rootCauseIdentifiedBy,
    resolvedAt: iso(problem.resolvedAt),
    resolvedBy: problem.resolvedBy,
    closedAt: iso(problem.closedAt),
    closedBy: problem.closedBy,
    reanalysisCount: problem.reanalysisCount,
    updatedAt: problem.updatedAt.toISOString(),
    version: problem.version,
  };
}

export type ProblemView = ProblemSnapshot;
export const toView = toSnapshot;
