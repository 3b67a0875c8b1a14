import type { ChangeModel } from '@itsm/contracts';
import { riskLabel, riskRank } from './risk-levels';
import type { BlastRadius, ChangeRiskFacts, RiskContribution, RiskReason } from './risk-facts';
import type { RiskCondition, RiskPredicate } from './risk-policy';
import { byCriticality, DAY_MS, durationText, plural, servicesText } from './reason-text';

/** What a condition is evaluated against. */
export interface ConditionContext {
  facts: ChangeRiskFacts;
  /** null when the CMDB was not asked (a standard change): criticality tests are then false. */
  blastRadius: BlastRadius | null;
  now: Date;
}

const MODEL_PHRASES: Record<ChangeModel, string> = {
  standard: 'it is a standard change',
  normal: 'it is a normal change',
  emergency: 'it is an emergency change',
};

/**
 * Whether the predicate holds, as the facts that make it hold in words (null: it does
 * not). `any` names every alternative that holds, not only the first, so that the reason
 * is the whole truth.
 */
export function explainPredicate(
  predicate: RiskPredicate,
  context: ConditionContext,
): string | null {
  const { facts } = context;
  switch (predicate.kind) {
    case 'model':
      return predicate.in.includes(facts.model) ? MODEL_PHRASES[facts.model] : null;
    case 'category':
      return facts.category !== null && predicate.in.includes(facts.category)
        ? `its category is "${facts.category}"`
        : null;
    case 'lead_time_under': {
      if (!facts.plannedStart) return null;
      const leadMs = facts.plannedStart.getTime() - context.now.getTime();
      if (leadMs >= predicate.days * DAY_MS) return null;
      return leadMs <= 0
        ? `its planned start (${facts.plannedStart.toISOString()}) has already passed`
        : `its planned start is ${durationText(leadMs)} away, less than ${plural(predicate.days, 'day')}`;
    }
    case 'service_criticality': {
      if (context.blastRadius?.status !== 'known') return null;
      const critical = context.blastRadius.businessServices
        .filter(
          (service) => service.criticality !== null && service.criticality <= predicate.atMost,
        )
        .sort(byCriticality);
      if (critical.length === 0) return null;
      const threshold =
        predicate.atMost === 1
          ? 'criticality 1'
          : `criticality ${predicate.atMost} or more critical`;
      return `${servicesText(critical)} ${critical.length === 1 ? 'is' : 'are'} affected (${threshold})`;
    }
    case 'outside_maintenance_window':
      return facts.outsideMaintenanceWindow === true
        ? 'it is planned outside a maintenance window'
        : null;
    case 'ci_count_over':
      return facts.ciIds.length > predicate.count
        ? `it affects ${plural(facts.ciIds.length, 'CI')}, more than ${predicate.count}`
        : null;
    case 'all': {
      const parts: string[] = [];
      for (const part of predicate.of) {
        const explained = explainPredicate(part, context);
        if (explained === null) return null;
        parts.push(explained);
      }
      return parts.join(' and ');
    }
    case 'any': {
      const parts = predicate.of
        .map((part) => explainPredicate(part, context))
        .filter((explained): explained is string => explained !== null);
      return parts.length > 0 ? parts.join(' and ') : null;
    }
  }
}

/**
 * Every condition that holds counts and the highest risk among them wins (not the first
 * that holds): a condition can then never hide a higher one placed after it, and the
 * change manager reads every condition that held. The policy's order is the order of
 * conditions of equal risk among the reasons.
 */
export function assessConditions(
  conditions: readonly RiskCondition[],
  context: ConditionContext,
): RiskContribution {
  const reasons: RiskReason[] = [];
  for (const condition of conditions) {
    const explained = explainPredicate(condition.when, context);
    if (explained === null) continue;
    reasons.push({
      source: 'condition',
      risk: condition.risk,
      text: `Condition "${condition.name}": ${explained}; ${riskLabel(condition.risk)} risk.`,
    });
  }
  const risk = reasons.reduce<RiskReason['risk']>(
    (highest, reason) =>
      reason.risk !== null && (highest === null || riskRank(reason.risk) > riskRank(highest))
        ? reason.risk
        : highest,
    null,
  );
  return { source: 'condition', risk, reasons };
}
