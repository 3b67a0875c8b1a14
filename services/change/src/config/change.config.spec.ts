import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigurationError } from '@itsm/platform';
import { DEFAULT_APPROVAL_POLICIES } from '../approvals/domain/approval-policy';
import { DEFAULT_RISK_POLICY, type RiskPolicy } from '../risk/domain/risk-policy';
import { loadChangeConfig } from './change.config';
import { approvalPoliciesSchema, riskPolicySchema } from './policy-settings';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadChangeConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message.split('\n');
  }
  throw new Error('expected a ConfigurationError');
}

function riskProblems(policy: unknown): string {
  return problemsOf({ CHANGE_RISK_POLICY: JSON.stringify(policy) }).join('\n');
}

function approvalProblems(policies: unknown): string {
  return problemsOf({ CHANGE_APPROVAL_POLICY: JSON.stringify(policies) }).join('\n');
}

const QUESTION = {
  id: 'q1',
  text: 'Tested?',
  answers: [
    { id: 'yes', text: 'Yes', weight: 0 },
    { id: 'no', text: 'No', weight: 4 },
  ],
};
const CATCH_ALL = {
  id: 'rest',
  name: 'Everything else',
  approvers: { groups: ['cab'] },
  rule: { kind: 'any' },
};

describe('the change service configuration', () => {
  it('has defaults', () => {
    expect(loadChangeConfig({})).toEqual({
      riskPolicy: DEFAULT_RISK_POLICY,
      approvalPolicies: DEFAULT_APPROVAL_POLICIES,
      conflictDependencyHops: 2,
      blastRadiusDepth: 3,
      groupRecordLookBackMs: 90 * 86_400_000,
    });
  });

  it('takes its default policies through its own validation unchanged', () => {
    expect(riskPolicySchema.parse(JSON.parse(JSON.stringify(DEFAULT_RISK_POLICY)))).toEqual(
      DEFAULT_RISK_POLICY,
    );
    expect(
      approvalPoliciesSchema.parse(JSON.parse(JSON.stringify(DEFAULT_APPROVAL_POLICIES))),
    ).toEqual(DEFAULT_APPROVAL_POLICIES);
  });

  it('reads each setting', () => {
    const config = loadChangeConfig({
      CHANGE_CONFLICT_DEPENDENCY_HOPS: '0',
      CHANGE_GROUP_RECORD_LOOKBACK: 'P30D',
      CHANGE_RISK_POLICY: JSON.stringify({
        conditions: [
          {
            id: 'db',
            name: 'Database',
            when: { kind: 'category', in: ['database'] },
            risk: 'high',
          },
        ],
      }),
      CHANGE_APPROVAL_POLICY: JSON.stringify([
        {
          id: 'two',
          name: 'Two of three',
          approvers: { groups: ['a', 'b'], users: ['pat'] },
          rule: { kind: 'n_of_m', n: 2 },
        },
      ]),
    });
    expect(config.conflictDependencyHops).toBe(0);
    expect(config.groupRecordLookBackMs).toBe(30 * 86_400_000);
    expect(config.riskPolicy.conditions).toEqual([
      { id: 'db', name: 'Database', when: { kind: 'category', in: ['database'] }, risk: 'high' },
    ]);
    // Sections left out keep their defaults.
    expect(config.riskPolicy.questionnaires).toBe(DEFAULT_RISK_POLICY.questionnaires);
    expect(config.riskPolicy.blastRadius).toBe(DEFAULT_RISK_POLICY.blastRadius);
    expect(config.approvalPolicies).toEqual([
      {
        id: 'two',
        name: 'Two of three',
        match: {},
        approvers: { groups: ['a', 'b'], users: ['pat'] },
        rule: { kind: 'n_of_m', n: 2 },
      },
    ]);
  });

  it('takes a blank policy for an unset one', () => {
    expect(loadChangeConfig({ CHANGE_RISK_POLICY: ' ', CHANGE_APPROVAL_POLICY: '' })).toMatchObject(
      {
        riskPolicy: DEFAULT_RISK_POLICY,
        approvalPolicies: DEFAULT_APPROVAL_POLICIES,
      },
    );
  });

  it('takes a question as required unless it says otherwise', () => {
    const config = loadChangeConfig({
      CHANGE_RISK_POLICY: JSON.stringify({
        questionnaires: [
          { id: 'x', name: 'X', questions: [QUESTION], thresholds: [{ atLeast: 4, risk: 'high' }] },
        ],
      }),
    });
    expect(config.riskPolicy.questionnaires[0]).toMatchObject({
      appliesTo: {},
      questions: [{ required: true }],
    });
  });

  it('lists every bad value at once, by variable', () => {
    const message = problemsOf({
      CHANGE_RISK_POLICY: '{',
      CHANGE_APPROVAL_POLICY: '{}',
      CHANGE_CONFLICT_DEPENDENCY_HOPS: 'two',
      CHANGE_GROUP_RECORD_LOOKBACK: 'three months',
    }).join('\n');
    for (const variable of [
      'CHANGE_RISK_POLICY: is not JSON',
      'CHANGE_APPROVAL_POLICY',
      'CHANGE_CONFLICT_DEPENDENCY_HOPS',
      'CHANGE_GROUP_RECORD_LOOKBACK',
    ]) {
      expect(message).toContain(variable);
    }
  });

  it.each(['-1', '11', '1.5'])('refuses %s dependency hops', (hops) => {
    expect(problemsOf({ CHANGE_CONFLICT_DEPENDENCY_HOPS: hops }).join('\n')).toContain(
      'CHANGE_CONFLICT_DEPENDENCY_HOPS',
    );
  });

  it.each(['P', 'PT0S', '90'])('refuses the look-back %s', (lookBack) => {
    expect(problemsOf({ CHANGE_GROUP_RECORD_LOOKBACK: lookBack }).join('\n')).toContain(
      'CHANGE_GROUP_RECORD_LOOKBACK',
    );
  });

  describe('refuses a risk policy, naming the variable and the path', () => {
    it.each([
      [
        {
          conditions: [
            { id: 'a', name: 'A', when: { kind: 'outside_maintenance_window' }, risk: 'extreme' },
          ],
        },
        'CHANGE_RISK_POLICY.conditions.0.risk',
      ],
      [{ condtions: [] }, 'CHANGE_RISK_POLICY: Unrecognized key: "condtions"'],
      [
        { conditions: [{ id: 'a', name: 'A', when: { kind: 'full_moon' }, risk: 'high' }] },
        'CHANGE_RISK_POLICY.conditions.0.when.kind',
      ],
      [
        {
          conditions: [
            {
              id: 'a',
              name: 'A',
              when: {
                kind: 'all',
                of: [
                  { kind: 'model', in: ['normal'] },
                  { kind: 'lead_time_under', days: -1 },
                ],
              },
              risk: 'high',
            },
          ],
        },
        'CHANGE_RISK_POLICY.conditions.0.when.of.1.days',
      ],
      [
        {
          conditions: [
            {
              id: 'a',
              name: 'A',
              when: { kind: 'ci_count_over', count: 3, extra: 1 },
              risk: 'high',
            },
          ],
        },
        'CHANGE_RISK_POLICY.conditions.0.when: Unrecognized key: "extra"',
      ],
      [
        {
          conditions: [0, 1].map(() => ({
            id: 'same',
            name: 'A',
            when: { kind: 'outside_maintenance_window' },
            risk: 'high',
          })),
        },
        'CHANGE_RISK_POLICY.conditions.1.id: condition "same" is given twice',
      ],
      [
        {
          questionnaires: [
            {
              id: 'x',
              name: 'X',
              questions: [QUESTION],
              thresholds: [
                { atLeast: 4, risk: 'high' },
                { atLeast: 4, risk: 'moderate' },
              ],
            },
          ],
        },
        'CHANGE_RISK_POLICY.questionnaires.0.thresholds.1.atLeast: must be above the previous threshold',
      ],
      [
        {
          questionnaires: [
            {
              id: 'x',
              name: 'X',
              questions: [QUESTION],
              thresholds: [
                { atLeast: 4, risk: 'high' },
                { atLeast: 8, risk: 'moderate' },
              ],
            },
          ],
        },
        'CHANGE_RISK_POLICY.questionnaires.0.thresholds.1.risk: must not be lower than the previous threshold',
      ],
      [
        {
          questionnaires: [
            {
              id: 'x',
              name: 'X',
              questions: [
                {
                  ...QUESTION,
                  answers: [{ id: 'yes', text: 'Yes', weight: -2 }, QUESTION.answers[1]],
                },
              ],
              thresholds: [{ atLeast: 4, risk: 'high' }],
            },
          ],
        },
        'CHANGE_RISK_POLICY.questionnaires.0.questions.0.answers.0.weight',
      ],
      [
        {
          questionnaires: [
            {
              id: 'x',
              name: 'X',
              questions: [QUESTION, QUESTION],
              thresholds: [{ atLeast: 4, risk: 'high' }],
            },
          ],
        },
        'CHANGE_RISK_POLICY.questionnaires.0.questions.1.id: question "q1" is given twice',
      ],
      [
        { blastRadius: { ...DEFAULT_RISK_POLICY.blastRadius, unavailableRisk: 'unknown' } },
        'CHANGE_RISK_POLICY.blastRadius.unavailableRisk',
      ],
      [
        {
          groupRecord: {
            minChanges: 0,
            thresholds: [{ measure: 'failure_rate', atLeastPercent: 120, risk: 'high' }],
          },
        },
        'CHANGE_RISK_POLICY.groupRecord.thresholds.0.atLeastPercent',
      ],
    ])('%j', (policy, expected) => {
      expect(riskProblems(policy)).toContain(expected);
    });
  });

  describe('refuses approval policies, naming the variable and the path', () => {
    it.each([
      [{ policies: [] }, 'CHANGE_APPROVAL_POLICY: Invalid input: expected array'],
      [[], 'CHANGE_APPROVAL_POLICY: Too small'],
      [
        [
          {
            id: 'n',
            name: 'Normal',
            match: { models: ['normal'] },
            approvers: { groups: ['cab'] },
            rule: { kind: 'any' },
          },
        ],
        'CHANGE_APPROVAL_POLICY: no policy matches a standard change at low risk, a standard change at moderate risk, a standard change at high risk, a standard change at very_high risk, an emergency change at low risk, an emergency change at moderate risk, an emergency change at high risk, an emergency change at very_high risk; end the list with a policy that matches every change',
      ],
      [
        [{ ...CATCH_ALL, rule: { kind: 'n_of_m', n: 3 } }],
        'CHANGE_APPROVAL_POLICY.0.rule.n: must be at most 1, the number of approvers named',
      ],
      [
        [{ ...CATCH_ALL, rule: { kind: 'percentage', percent: 150 } }],
        'CHANGE_APPROVAL_POLICY.0.rule.percent',
      ],
      [[{ ...CATCH_ALL, rule: { kind: 'majority' } }], 'CHANGE_APPROVAL_POLICY.0.rule.kind'],
      [
        [{ ...CATCH_ALL, rule: { kind: 'not_required' } }],
        'CHANGE_APPROVAL_POLICY.0.approvers: must be empty when the rule is not_required',
      ],
      [
        [{ ...CATCH_ALL, approvers: {} }],
        'CHANGE_APPROVAL_POLICY.0.approvers: must name at least one user, group or role',
      ],
      [
        [{ ...CATCH_ALL, approvers: { groups: ['cab', 'cab'] } }],
        'CHANGE_APPROVAL_POLICY.0.approvers.groups.1: group "cab" is given twice',
      ],
      [
        [{ ...CATCH_ALL, retrospective: true }],
        'CHANGE_APPROVAL_POLICY.0.retrospective: is for emergency changes only',
      ],
      [[{ ...CATCH_ALL, match: { minRisk: 'severe' } }], 'CHANGE_APPROVAL_POLICY.0.match.minRisk'],
      [[CATCH_ALL, CATCH_ALL], 'CHANGE_APPROVAL_POLICY.1.id: policy "rest" is given twice'],
    ])('%j', (policies, expected) => {
      expect(approvalProblems(policies)).toContain(expected);
    });
  });
});

describe('docs/changes.md', () => {
  const doc = readFileSync(join(__dirname, '../../../../docs/changes.md'), 'utf8');

  it('shows the default policies as they are', () => {
    const shown = [
      ...doc.matchAll(/<!-- default (\S+)(?: (\S+))? -->\s*```json\n([\s\S]*?)\n```/g),
    ];
    expect(shown.map(([, variable, section]) => `${variable} ${section ?? ''}`.trim())).toEqual([
      'CHANGE_RISK_POLICY conditions',
      'CHANGE_RISK_POLICY questionnaires',
      'CHANGE_RISK_POLICY blastRadius',
      'CHANGE_RISK_POLICY groupRecord',
      'CHANGE_APPROVAL_POLICY',
    ]);
    for (const [, variable, section, json] of shown) {
      const expected =
        variable === 'CHANGE_APPROVAL_POLICY'
          ? DEFAULT_APPROVAL_POLICIES
          : { [section]: DEFAULT_RISK_POLICY[section as keyof RiskPolicy] };
      expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });

  it('gives an example risk policy that loads', () => {
    const example = /CHANGE_RISK_POLICY='([^']+)'/.exec(doc)?.[1];
    expect(example).toBeDefined();
    expect(loadChangeConfig({ CHANGE_RISK_POLICY: example }).riskPolicy.conditions).toHaveLength(2);
  });

  it('gives an example approval policy that loads', () => {
    const example = /<!-- example CHANGE_APPROVAL_POLICY item -->\s*```json\n([\s\S]*?)\n```/.exec(
      doc,
    )?.[1];
    expect(example).toBeDefined();
    const policies = [JSON.parse(example as string), CATCH_ALL];
    expect(
      loadChangeConfig({ CHANGE_APPROVAL_POLICY: JSON.stringify(policies) }).approvalPolicies[0],
    ).toMatchObject({
      id: 'payments',
      rule: { kind: 'n_of_m', n: 2 },
    });
  });
});
