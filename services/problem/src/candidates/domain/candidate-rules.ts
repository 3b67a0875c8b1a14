import { type CandidateRule } from '../../config/problem.config';

/** What a candidate rule reads of an incident. */
export interface ObservedIncident {
  id: string;
  number: string;
  title: string;
  state: string;
  ciIds: readonly string[];
  businessServiceId: string | null;
  category: string | null;
  impact: number;
  urgency: number;
  major: boolean;
  openedAt: Date;
}

/** One cluster a rule watches: a CI, or a business service and category. */
export type CandidateMatch =
  | { rule: 'same_ci'; ciId: string }
  | { rule: 'same_service_category'; businessServiceId: string; category: string };

export function candidateKey(match: CandidateMatch): string {
  return match.rule === 'same_ci'
    ? `same_ci:${match.ciId}`
    : `same_service_category:${match.businessServiceId}:${match.category}`;
}

export function majorIncidentKey(incidentId: string): string {
  return `major_incident:${incidentId}`;
}

/**
 * The clusters an incident belongs to under the enabled rules. Only when it is new, or
 * its CIs, service or category changed, is it a new member of a cluster; otherwise none.
 */
export function clustersOf(
  incident: ObservedIncident,
  before: Pick<ObservedIncident, 'ciIds' | 'businessServiceId' | 'category'> | null,
  rules: readonly CandidateRule[],
): CandidateMatch[] {
  const matches: CandidateMatch[] = [];
  if (rules.includes('same_ci')) {
    for (const ciId of [...incident.ciIds].sort()) {
      if (!before || !before.ciIds.includes(ciId)) matches.push({ rule: 'same_ci', ciId });
    }
  }
  if (rules.includes('same_service_category') && incident.businessServiceId && incident.category) {
    const moved =
      !before ||
      before.businessServiceId !== incident.businessServiceId ||
      before.category !== incident.category;
    if (moved) {
      matches.push({
        rule: 'same_service_category',
        businessServiceId: incident.businessServiceId,
        category: incident.category,
      });
    }
  }
  return matches;
}

/** Whether the incident, as it stands, is a member of the cluster. */
export function belongsTo(
  incident: Pick<ObservedIncident, 'ciIds' | 'businessServiceId' | 'category'>,
  match: CandidateMatch,
): boolean {
  return match.rule === 'same_ci'
    ? incident.ciIds.includes(match.ciId)
    : incident.businessServiceId === match.businessServiceId &&
        incident.category === match.category;
}

/** What decides whether an open problem covers a cluster. */
export interface CoveringCandidate {
  candidateKey: string | null;
  ciIds: readonly string[];
  businessServiceId: string | null;
  category: string | null;
  openedAt: Date;
}

/**
 * Whether an open problem covers the cluster: the candidate opened for it, or any problem
 * naming its CI (or its service and category).
 */
export function covers(problem: CoveringCandidate, match: CandidateMatch): boolean {
  return problem.candidateKey === candidateKey(match) || belongsTo(problem, match);
}

/**
 * Of two open problems covering a cluster, the one the rules answer with: the cluster's own
 * candidate first, then the earliest opened.
 */
export function preferredCovering<T extends CoveringCandidate>(
  current: T | undefined,
  offered: T,
  match: CandidateMatch,
): T {
  if (!current) return offered;
  const key = candidateKey(match);
  const currentOwn = current.candidateKey === key;
  const offeredOwn = offered.candidateKey === key;
  if (currentOwn !== offeredOwn) return currentOwn ? current : offered;
  return offered.openedAt < current.openedAt ? offered : current;
}

function hours(ms: number): string {
  const value = ms / 3_600_000;
  return Number.isInteger(value) ? `${value} h` : `${Math.round(ms / 60_000)} min`;
}

/** Why a candidate was opened, written on it: which rule, which incidents, which window. */
export function candidateReason(
  match: CandidateMatch,
  incidents: readonly Pick<ObservedIncident, 'number'>[],
  windowMs: number,
): string {
  const where =
    match.rule === 'same_ci'
      ? `on configuration item ${match.ciId}`
      : `on business service ${match.businessServiceId} in category "${match.category}"`;
  return `Rule ${match.rule}: ${incidents.length} incidents ${where} within ${hours(windowMs)} with no open problem covering them: ${incidents.map((incident) => incident.number).join(', ')}.`;
}

/** The highest impact and urgency among the incidents (1 is high). */
export function severityOf(incidents: readonly Pick<ObservedIncident, 'impact' | 'urgency'>[]): {
  impact: 1 | 2 | 3;
  urgency: 1 | 2 | 3;
} {
  const lowest = (values: number[]) => Math.min(3, Math.max(1, Math.min(...values))) as 1 | 2 | 3;
  return {
    impact: lowest(incidents.map((incident) => incident.impact)),
    urgency: lowest(incidents.map((incident) => incident.urgency)),
  };
}

/**
 * The members of a cluster that fall, with the incident at `at`, in one window of `windowMs`:
 * of every window that contains `at`, the one holding the most incidents (the earliest on a
 * tie). Events of a cluster may arrive in any order (one partition per incident), so the
 * window is not only the one that ends at the incident that arrived last.
 */
export function densestWindowAround<T extends { openedAt: Date }>(
  at: Date,
  incidents: readonly T[],
  windowMs: number,
): T[] {
  const sorted = [...incidents].sort((a, b) => a.openedAt.getTime() - b.openedAt.getTime());
  const time = at.getTime();
  let best: T[] = [];
  for (const start of sorted) {
    const from = start.openedAt.getTime();
    if (from > time || from < time - windowMs) continue;
    const members = sorted.filter(
      (incident) =>
        incident.openedAt.getTime() >= from && incident.openedAt.getTime() <= from + windowMs,
    );
    if (members.length > best.length) best = members;
  }
  return best;
}
