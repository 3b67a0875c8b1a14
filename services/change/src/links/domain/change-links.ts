import { RuleViolation } from '@itsm/domain';
import { type Change } from '../../changes/domain/change';

/** How an incident relates to a change: one it fixes, or one it caused (the change failure rate counts those). */
export const INCIDENT_RELATIONS = ['fixes', 'caused'] as const;
export type IncidentRelation = (typeof INCIDENT_RELATIONS)[number];

function withIds(current: readonly string[], added: readonly string[]): string[] {
  return [...new Set([...current, ...added])];
}

/**
 * The change with these incidents linked. An incident is linked one way only: linking it
 * as caused moves it from the ones fixed, and back. Links are history, so a closed or
 * cancelled change takes them too: the incidents a change caused often show after it closed.
 */
export function linkIncidents(
  change: Change,
  incidentIds: readonly string[],
  relation: IncidentRelation,
): Change {
  const ids = [...new Set(incidentIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) throw new RuleViolation('incidentIds', 'names at least one incident');
  const moved = new Set(ids);
  return relation === 'caused'
    ? {
        ...change,
        causedIncidentIds: withIds(change.causedIncidentIds, ids),
        incidentIds: change.incidentIds.filter((id) => !moved.has(id)),
      }
    : {
        ...change,
        incidentIds: withIds(change.incidentIds, ids),
        causedIncidentIds: change.causedIncidentIds.filter((id) => !moved.has(id)),
      };
}

/** The change without this incident; null when it is not linked. */
export function unlinkIncident(change: Change, incidentId: string): Change | null {
  const id = incidentId.toLowerCase();
  if (!change.incidentIds.includes(id) && !change.causedIncidentIds.includes(id)) return null;
  return {
    ...change,
    incidentIds: change.incidentIds.filter((linked) => linked !== id),
    causedIncidentIds: change.causedIncidentIds.filter((linked) => linked !== id),
  };
}

export function linkProblems(change: Change, problemIds: readonly string[]): Change {
  const ids = [...new Set(problemIds.map((id) => id.toLowerCase()))];
  if (ids.length === 0) throw new RuleViolation('problemIds', 'names at least one problem');
  return { ...change, problemIds: withIds(change.problemIds, ids) };
}

/** The change without this problem; null when it is not linked. */
export function unlinkProblem(change: Change, problemId: string): Change | null {
  const id = problemId.toLowerCase();
  if (!change.problemIds.includes(id)) return null;
  return { ...change, problemIds: change.problemIds.filter((linked) => linked !== id) };
}
