import type { ChangeRisk, ChangeRiskSource } from '@itsm/contracts';
import { assessBlastRadius } from './blast-radius';
import { assessGroupRecord } from './group-record';
import { assessConditions } from './risk-conditions';
import { RuleViolation } from '@itsm/domain';
import type {
  BlastRadius,
  ChangeRiskFacts,
  GroupRecord,
  RiskContribution,
  RiskReason,
  TemplateRisk,
} from './risk-facts';
import { riskLabel, riskRank } from './risk-levels';
import type { RiskPolicy } from './risk-policy';
import {
  assessQuestionnaire,
  checkRiskAnswers,
  type QuestionnaireResult,
  type RiskAnswers,
} from './risk-questionnaire';

/**
 * When two sources give the same highest risk, the first of these is named the source:
 * the template (what was approved for a standard change), then the conditions (the
 * deployment's explicit policy), the questionnaire (the requester's own assessment), the
 * blast radius and the group's record (what the platform measured).
 */
export const RISK_SOURCE_PRECEDENCE: readonly ChangeRiskSource[] = [
  'template',
  'condition',
  'questionnaire',
  'blast_radius',
  'group_record',
];

export interface RiskInput {
  facts: ChangeRiskFacts;
  /** `riskAnswers` as given with the change. */
  answers: RiskAnswers;
  /** The CMDB's impact analysis of the change's CIs; null when not asked (treated as unavailable unless standard). */
  blastRadius: BlastRadius | null;
  /** null when the change has no assignment group. */
  groupRecord: GroupRecord | null;
  /** The published template of a standard change; null for the other models. */
  template: TemplateRisk | null;
  /** The assessment time: lead times are measured from it. */
  now: Date;
}

/** The computed risk: what the change stores as `risk`, `riskSource` and `riskReasons`. */
export interface RiskAssessment {
  risk: ChangeRisk;
  /** The source that set the risk; null when no source raised any (the risk is then low). */
  source: ChangeRiskSource | null;
  /** Every source's reasons, highest risk first, ties in source precedence then policy order. */
  reasons: string[];
  contributions: RiskContribution[];
  questionnaire: QuestionnaireResult | null;
  assessedAt: Date;
}

const NOT_ASKED: BlastRadius = { status: 'unavailable', detail: 'it was not asked' };

function templateContribution(template: TemplateRisk): RiskContribution {
  const reason: RiskReason = {
    source: 'template',
    risk: template.risk,
    text: `Template "${template.name}" (version ${template.version}) was assessed at ${riskLabel(template.risk)} risk when it was published.`,
  };
  return { source: 'template', risk: template.risk, reasons: [reason] };
}

/**
 * The change's risk: the highest of the ordered risk conditions, the questionnaire, the
 * CMDB blast radius and the assignment group's record. A standard change takes its
 * template's risk instead, raised only by a condition: its questions were answered and
 * its blast radius weighed when the template was published, and a condition is how a
 * deployment says "not even a standard change, when…" (the blast radius, when given,
 * feeds those conditions).
 */
export function assessRisk(policy: RiskPolicy, input: RiskInput): RiskAssessment {
  const { facts } = input;
  const conditions = assessConditions(policy.conditions, {
    facts,
    blastRadius: input.blastRadius,
    now: input.now,
  });
  let contributions: RiskContribution[];
  let questionnaire: QuestionnaireResult | null = null;
  if (facts.model === 'standard') {
    if (!input.template)
      throw new RuleViolation(
        'templateId',
        'is required: a standard change is opened from a published template',
      );
    checkRiskAnswers(null, facts, input.answers);
    contributions = [templateContribution(input.template), conditions];
  } else {
    const answered = assessQuestionnaire(policy, facts, input.answers);
    questionnaire = answered.result;
    contributions = [
      conditions,
      answered.contribution,
      assessBlastRadius(policy.blastRadius, input.blastRadius ?? NOT_ASKED),
      assessGroupRecord(policy.groupRecord, input.groupRecord),
    ];
  }
  return { ...combine(contributions), contributions, questionnaire, assessedAt: input.now };
}

function precedence(source: ChangeRiskSource): number {
  return RISK_SOURCE_PRECEDENCE.indexOf(source);
}

function rankOf(risk: ChangeRisk | null): number {
  return risk === null ? -1 : riskRank(risk);
}

function combine(contributions: readonly RiskContribution[]): {
  risk: ChangeRisk;
  source: ChangeRiskSource | null;
  reasons: string[];
} {
  let winner: RiskContribution | null = null;
  for (const contribution of [...contributions].sort(
    (a, b) => precedence(a.source) - precedence(b.source),
  )) {
    if (contribution.risk !== null && rankOf(contribution.risk) > rankOf(winner?.risk ?? null))
      winner = contribution;
  }
  const ordered = contributions
    .flatMap((contribution) => contribution.reasons)
    .map((reason, index) => ({ reason, index }))
    .sort(
      (a, b) =>
        rankOf(b.reason.risk) - rankOf(a.reason.risk) ||
        precedence(a.reason.source) - precedence(b.reason.source) ||
        a.index - b.index,
    );
  return {
    risk: winner?.risk ?? 'low',
    source: winner?.source ?? null,
    reasons: ordered.map(({ reason }) => reason.text),
  };
}
