import { RuleViolation } from '@itsm/domain';
import { DEFAULT_RISK_POLICY, type RiskPolicy } from './risk-policy';
import { assessQuestionnaire, questionnaireFor, scoreRisk } from './risk-questionnaire';

const policy: Pick<RiskPolicy, 'questionnaires'> = {
  questionnaires: [
    {
      id: 'db',
      name: 'Database change',
      appliesTo: { models: ['normal'], categories: ['database'] },
      questions: [
        {
          id: 'q1',
          text: 'Replicated?',
          required: true,
          answers: [
            { id: 'yes', text: 'Yes', weight: 0 },
            { id: 'no', text: 'No', weight: 5 },
          ],
        },
        {
          id: 'q2',
          text: 'Schema change?',
          required: true,
          answers: [
            { id: 'no', text: 'No', weight: 0 },
            { id: 'yes', text: 'Yes', weight: 3 },
          ],
        },
        {
          id: 'q3',
          text: 'Tested restore?',
          required: false,
          answers: [
            { id: 'yes', text: 'Yes', weight: 0 },
            { id: 'no', text: 'No', weight: 2 },
          ],
        },
      ],
      thresholds: [
        { atLeast: 3, risk: 'moderate' },
        { atLeast: 5, risk: 'high' },
        { atLeast: 10, risk: 'very_high' },
      ],
    },
    {
      id: 'other',
      name: 'Any change',
      appliesTo: {},
      questions: [
        {
          id: 'q1',
          text: 'Tested?',
          required: true,
          answers: [
            { id: 'yes', text: 'Yes', weight: 0 },
            { id: 'no', text: 'No', weight: 4 },
          ],
        },
      ],
      thresholds: [{ atLeast: 4, risk: 'moderate' }],
    },
  ],
};

const database = { model: 'normal', category: 'database' } as const;

function refusal(work: () => unknown): RuleViolation {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleViolation);
    return error as RuleViolation;
  }
  throw new Error('expected a RuleViolation');
}

describe('the risk questionnaire', () => {
  it('is chosen by model and category, the first that applies', () => {
    expect(questionnaireFor(policy, database)?.id).toBe('db');
    expect(questionnaireFor(policy, { model: 'normal', category: 'network' })?.id).toBe('other');
    expect(questionnaireFor(policy, { model: 'emergency', category: null })?.id).toBe('other');
    expect(
      questionnaireFor(
        { questionnaires: policy.questionnaires.slice(0, 1) },
        { model: 'emergency', category: 'database' },
      ),
    ).toBeNull();
  });

  it('is never asked of a standard change', () => {
    expect(questionnaireFor(policy, { model: 'standard', category: 'database' })).toBeNull();
    expect(questionnaireFor(DEFAULT_RISK_POLICY, { model: 'standard', category: null })).toBeNull();
  });

  it('has one for emergency and one for normal changes by default', () => {
    expect(questionnaireFor(DEFAULT_RISK_POLICY, { model: 'emergency', category: null })?.id).toBe(
      'emergency',
    );
    expect(questionnaireFor(DEFAULT_RISK_POLICY, { model: 'normal', category: 'x' })?.id).toBe(
      'normal',
    );
  });

  it('maps a score to the highest threshold reached, low below the first', () => {
    const thresholds = policy.questionnaires[0].thresholds;
    expect([0, 2, 3, 4, 5, 9, 10, 40].map((score) => scoreRisk(thresholds, score))).toEqual([
      'low',
      'low',
      'moderate',
      'moderate',
      'high',
      'high',
      'very_high',
      'very_high',
    ]);
  });

  it('scores the sum of the weights of the answers given, optional ones included', () => {
    const { contribution, result } = assessQuestionnaire(policy, database, {
      q1: 'no',
      q2: 'yes',
      q3: 'no',
    });
    expect(result).toEqual({
      questionnaireId: 'db',
      name: 'Database change',
      score: 10,
      complete: true,
      missing: [],
    });
    expect(contribution.risk).toBe('very_high');
    expect(contribution.reasons.map((reason) => reason.text)).toEqual([
      'Questionnaire "Database change" scores 10 (q1: No +5, q2: Yes +3, q3: No +2), 10 or more; very high risk.',
    ]);
  });

  it('needs no answer to an optional question, and may say low', () => {
    const { contribution, result } = assessQuestionnaire(policy, database, { q1: 'yes', q2: 'no' });
    expect(result?.complete).toBe(true);
    expect(contribution.risk).toBe('low');
    expect(contribution.reasons[0].text).toBe(
      'Questionnaire "Database change" scores 0, under 3; low risk.',
    );
  });

  it('reports the missing required questions and then raises nothing', () => {
    const { contribution, result } = assessQuestionnaire(policy, database, { q3: 'no' });
    expect(result).toMatchObject({ complete: false, missing: ['q1', 'q2'], score: 2 });
    expect(contribution.risk).toBeNull();
    expect(contribution.reasons[0].text).toBe(
      'The questionnaire "Database change" is not complete: missing q1, q2; it raises no risk until it is.',
    );
  });

  it('keeps what the answers so far already score, which the missing ones cannot lower', () => {
    const { contribution } = assessQuestionnaire(policy, database, { q1: 'no' });
    expect(contribution.risk).toBe('high');
    expect(contribution.reasons[0].text).toBe(
      'The questionnaire "Database change" is not complete: missing q2; the answers so far already score 5, 5 or more; at least high risk.',
    );
  });

  it('reads only the answers given, not what every object inherits', () => {
    const inherited = {
      questionnaires: [
        {
          ...policy.questionnaires[1],
          questions: [{ ...policy.questionnaires[1].questions[0], id: 'constructor' }],
        },
      ],
    };
    expect(assessQuestionnaire(inherited, database, {}).result).toMatchObject({
      complete: false,
      missing: ['constructor'],
    });
  });

  it('says nothing when no questionnaire applies and none was answered', () => {
    expect(assessQuestionnaire({ questionnaires: [] }, database, {})).toEqual({
      contribution: { source: 'questionnaire', risk: null, reasons: [] },
      result: null,
    });
  });

  it('refuses an unknown question, naming the field', () => {
    const error = refusal(() => assessQuestionnaire(policy, database, { q1: 'no', q9: 'yes' }));
    expect(error.field).toBe('riskAnswers.q9');
    expect(error.message).toBe(
      'riskAnswers.q9 is not a question of the questionnaire "Database change"; its questions: q1, q2, q3',
    );
  });

  it('refuses an unknown answer, naming the field and the answers it takes', () => {
    const error = refusal(() => assessQuestionnaire(policy, database, { q2: 'maybe' }));
    expect(error.field).toBe('riskAnswers.q2');
    expect(error.reason).toBe('"maybe" is not an answer to "Schema change?"; its answers: no, yes');
  });

  it('refuses answers when no questionnaire applies', () => {
    expect(
      refusal(() => assessQuestionnaire({ questionnaires: [] }, database, { q1: 'no' })).message,
    ).toBe('riskAnswers are not taken: no risk questionnaire applies to this normal change');
    expect(
      refusal(() =>
        assessQuestionnaire(policy, { model: 'standard', category: null }, { q1: 'no' }),
      ).reason,
    ).toBe('are not taken: a standard change takes its risk from its template');
  });
});
