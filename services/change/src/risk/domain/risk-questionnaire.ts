import type { ChangeRisk } from '@itsm/contracts';
import { riskLabel } from './risk-levels';
import { RuleViolation } from '@itsm/domain';
import type { ChangeRiskFacts, RiskContribution } from './risk-facts';
import type { ChangeSelector, RiskPolicy, RiskQuestionnaire, ScoreThreshold } from './risk-policy';

/** The answers given with the change: question id -> answer id. */
export type RiskAnswers = Readonly<Record<string, string>>;

type SelectorFacts = Pick<ChangeRiskFacts, 'model' | 'category'>;

/** Own keys only: a question with the id `constructor` must not read Object's. */
function answerTo(answers: RiskAnswers, questionId: string): string | undefined {
  return Object.hasOwn(answers, questionId) ? answers[questionId] : undefined;
}

export function selectorMatches(selector: ChangeSelector, facts: SelectorFacts): boolean {
  if (selector.models && !selector.models.includes(facts.model)) return false;
  if (
    selector.categories &&
    (facts.category === null || !selector.categories.includes(facts.category))
  )
    return false;
  return true;
}

/**
 * The questionnaire the change is to answer (the API shows its questions before the
 * change is assessed): the first that applies, or none. A standard change answers none:
 * its template was assessed when it was published.
 */
export function questionnaireFor(
  policy: Pick<RiskPolicy, 'questionnaires'>,
  facts: SelectorFacts,
): RiskQuestionnaire | null {
  if (facts.model === 'standard') return null;
  return (
    policy.questionnaires.find((questionnaire) =>
      selectorMatches(questionnaire.appliesTo, facts),
    ) ?? null
  );
}

/** The score's risk: that of the highest threshold reached, low below the first. */
export function scoreRisk(thresholds: readonly ScoreThreshold[], score: number): ChangeRisk {
  let risk: ChangeRisk = 'low';
  for (const threshold of thresholds) if (score >= threshold.atLeast) risk = threshold.risk;
  return risk;
}

function thresholdText(thresholds: readonly ScoreThreshold[], score: number): string {
  const reached = thresholds.filter((threshold) => score >= threshold.atLeast);
  return reached.length > 0
    ? `${reached[reached.length - 1].atLeast} or more`
    : `under ${thresholds[0]?.atLeast ?? 0}`;
}

/**
 * Refuses answers that are not to the change's questionnaire, naming the field
 * (`riskAnswers.q9`); answers are checked when given, so a typo is never silently scored
 * as a missing answer.
 */
export function checkRiskAnswers(
  questionnaire: RiskQuestionnaire | null,
  facts: SelectorFacts,
  answers: RiskAnswers,
): void {
  const questionIds = Object.keys(answers);
  if (questionIds.length === 0) return;
  if (!questionnaire) {
    throw new RuleViolation(
      'riskAnswers',
      facts.model === 'standard'
        ? 'are not taken: a standard change takes its risk from its template'
        : `are not taken: no risk questionnaire applies to this ${facts.model} change`,
    );
  }
  for (const questionId of questionIds.sort()) {
    const field = `riskAnswers.${questionId}`;
    const question = questionnaire.questions.find((known) => known.id === questionId);
    if (!question) {
      throw new RuleViolation(
        field,
        `is not a question of the questionnaire "${questionnaire.name}"; its questions: ${questionnaire.questions.map((known) => known.id).join(', ')}`,
      );
    }
    const answer = answerTo(answers, questionId);
    if (typeof answer !== 'string' || !question.answers.some((option) => option.id === answer)) {
      throw new RuleViolation(
        field,
        `${JSON.stringify(answer)} is not an answer to "${question.text}"; its answers: ${question.answers.map((option) => option.id).join(', ')}`,
      );
    }
  }
}

/** Where the change stands with its questionnaire, for the API to show. */
export interface QuestionnaireResult {
  questionnaireId: string;
  name: string;
  score: number;
  complete: boolean;
  /** Required questions not answered, in the questionnaire's order. */
  missing: string[];
}

/**
 * Scores the answers: the sum of the weights of the answers given. An incomplete
 * questionnaire is reported and lowers nothing; because weights are never negative, what
 * the answers so far already score is a floor the missing answers cannot lower, so a floor
 * above low still counts.
 */
export function assessQuestionnaire(
  policy: Pick<RiskPolicy, 'questionnaires'>,
  facts: SelectorFacts,
  answers: RiskAnswers,
): { contribution: RiskContribution; result: QuestionnaireResult | null } {
  const questionnaire = questionnaireFor(policy, facts);
  checkRiskAnswers(questionnaire, facts, answers);
  if (!questionnaire) {
    return { contribution: { source: 'questionnaire', risk: null, reasons: [] }, result: null };
  }
  const weighed: { questionId: string; text: string; weight: number }[] = [];
  for (const question of questionnaire.questions) {
    const answerId = answerTo(answers, question.id);
    const answer = question.answers.find((option) => option.id === answerId);
    if (answer) weighed.push({ questionId: question.id, text: answer.text, weight: answer.weight });
  }
  const score = weighed.reduce((sum, answer) => sum + answer.weight, 0);
  const missing = questionnaire.questions
    .filter((question) => question.required && answerTo(answers, question.id) === undefined)
    .map((question) => question.id);
  const result: QuestionnaireResult = {
    questionnaireId: questionnaire.id,
    name: questionnaire.name,
    score,
    complete: missing.length === 0,
    missing,
  };
  const risk = scoreRisk(questionnaire.thresholds, score);
  const reached = thresholdText(questionnaire.thresholds, score);
  if (missing.length > 0) {
    const incomplete = `The questionnaire "${questionnaire.name}" is not complete: missing ${missing.join(', ')}`;
    const floor = risk === 'low' ? null : risk;
    const text = floor
      ? `${incomplete}; the answers so far already score ${score}, ${reached}; at least ${riskLabel(floor)} risk.`
      : `${incomplete}; it raises no risk until it is.`;
    return {
      contribution: {
        source: 'questionnaire',
        risk: floor,
        reasons: [{ source: 'questionnaire', risk: floor, text }],
      },
      result,
    };
  }
  const weights = weighed
    .filter((answer) => answer.weight > 0)
    .sort((a, b) => b.weight - a.weight)
    .map((answer) => `${answer.questionId}: ${answer.text} +${answer.weight}`);
  const detail = weights.length > 0 ? ` (${weights.join(', ')})` : '';
  const text = `Questionnaire "${questionnaire.name}" scores ${score}${detail}, ${reached}; ${riskLabel(risk)} risk.`;
  return {
    contribution: {
      source: 'questionnaire',
      risk,
      reasons: [{ source: 'questionnaire', risk, text }],
    },
    result,
  };
}
