import type { ChangeRisk } from '@itsm/contracts';
import { higherRisk, riskLabel, riskRank } from './risk-levels';
import type { BlastRadius, RiskContribution, RiskReason } from './risk-facts';
import type { BlastRadiusPolicy } from './risk-policy';
import { byCriticality, plural, servicesText } from './reason-text';

/** The highest risk among the thresholds that hold, with the one that set it. */
function highest<T extends { risk: ChangeRisk }>(
  thresholds: readonly T[],
  holds: (threshold: T) => boolean,
): T | null {
  let found: T | null = null;
  for (const threshold of thresholds) {
    if (holds(threshold) && (!found || riskRank(threshold.risk) > riskRank(found.risk)))
      found = threshold;
  }
  return found;
}

/**
 * The risk of what the change's CIs reach upstream: the most critical business service,
 * how many services, how many CIs; the highest of the three. When the CMDB could not be
 * asked the source does not stay silent: it gives the policy's `unavailableRisk` and
 * says why, so that a change is never rated low because the CMDB was down.
 */
export function assessBlastRadius(
  policy: BlastRadiusPolicy,
  blastRadius: BlastRadius,
): RiskContribution {
  if (blastRadius.status === 'unavailable') {
    const risk = policy.unavailableRisk;
    return {
      source: 'blast_radius',
      risk,
      reasons: [
        {
          source: 'blast_radius',
          risk,
          text: `The CMDB could not be asked for the blast radius (${blastRadius.detail}); ${riskLabel(risk)} risk until it can.`,
        },
      ],
    };
  }
  const services = [...blastRadius.businessServices].sort(byCriticality);
  const floor = blastRadius.truncated ? 'at least ' : '';
  const reasons: RiskReason[] = [];

  const mostCritical = services[0]?.criticality ?? null;
  const byCriticalityThreshold =
    mostCritical === null
      ? null
      : highest(policy.criticality, (threshold) => mostCritical <= threshold.atMost);
  if (byCriticalityThreshold) {
    const { atMost, risk } = byCriticalityThreshold;
    const critical = services.filter(
      (service) => service.criticality !== null && service.criticality <= atMost,
    );
    const threshold = atMost === 1 ? 'criticality 1' : `criticality ${atMost} or more critical`;
    reasons.push({
      source: 'blast_radius',
      risk,
      text: `The change's CIs reach ${servicesText(critical)}, at ${threshold}; ${riskLabel(risk)} risk.`,
    });
  }

  const byServiceCount = highest(
    policy.serviceCount,
    (threshold) => services.length >= threshold.atLeast,
  );
  if (byServiceCount) {
    reasons.push({
      source: 'blast_radius',
      risk: byServiceCount.risk,
      text: `The change's CIs reach ${floor}${plural(services.length, 'business service')}, ${byServiceCount.atLeast} or more; ${riskLabel(byServiceCount.risk)} risk.`,
    });
  }

  const reached = blastRadius.reachedCiCount;
  const byCiCount = highest(policy.reachedCiCount, (threshold) => reached >= threshold.atLeast);
  if (byCiCount) {
    reasons.push({
      source: 'blast_radius',
      risk: byCiCount.risk,
      text: `The change's CIs reach ${floor}${plural(reached, 'CI')} upstream, ${byCiCount.atLeast} or more; ${riskLabel(byCiCount.risk)} risk.`,
    });
  }

  if (reasons.length === 0) {
    const what = services.length > 0 ? servicesText(services) : 'no business service';
    reasons.push({
      source: 'blast_radius',
      risk: 'low',
      text: `The change's CIs reach ${what} and ${floor}${plural(reached, 'CI')} upstream; low risk.`,
    });
  }
  const risk = reasons.reduce<ChangeRisk>(
    (sum, reason) => (reason.risk ? higherRisk(sum, reason.risk) : sum),
    'low',
  );
  return { source: 'blast_radius', risk, reasons };
}
