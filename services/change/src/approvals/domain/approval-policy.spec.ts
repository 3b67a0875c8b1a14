import { CHANGE_RISKS } from '@itsm/contracts';
import { RecordConflict } from '@itsm/domain';
import {
  approvalRequired,
  approvalRequirementFor,
  DEFAULT_APPROVAL_POLICIES,
  uncoveredCases,
  type ApprovalFacts,
  type ApprovalPolicy,
} from './approval-policy';

function facts(fields: Partial<ApprovalFacts> = {}): ApprovalFacts {
  return { model: 'normal', risk: 'low', businessServiceIds: [], ...fields };
}

describe('the default approval policies', () => {
  it('need no approval for a standard change', () => {
    const requirement = approvalRequirementFor(
      DEFAULT_APPROVAL_POLICIES,
      facts({ model: 'standard', risk: 'high' }),
    );
    expect(requirement).toMatchObject({
      policyId: 'standard',
      approvers: [],
      rule: { kind: 'not_required' },
    });
    expect(approvalRequired(requirement)).toBe(false);
  });

  it('let the emergency CAB or any change manager authorise an emergency change, after the fact too', () => {
    expect(
      approvalRequirementFor(DEFAULT_APPROVAL_POLICIES, facts({ model: 'emergency' })),
    ).toEqual({
      policyId: 'emergency',
      policyName: 'Emergency change: emergency CAB or a change manager',
      approvers: [
        { kind: 'group', name: 'ecab' },
        { kind: 'role', name: 'change_manager' },
      ],
      rule: { kind: 'any' },
      retrospective: true,
    });
  });

  it.each(['low', 'moderate'] as const)(
    'have the CAB authorise a normal change at %s risk',
    (risk) => {
      expect(approvalRequirementFor(DEFAULT_APPROVAL_POLICIES, facts({ risk }))).toMatchObject({
        policyId: 'normal',
        approvers: [{ kind: 'group', name: 'change-advisory-board' }],
        rule: { kind: 'any' },
        retrospective: false,
      });
    },
  );

  it.each(['high', 'very_high'] as const)(
    'add a change manager for a normal change at %s risk',
    (risk) => {
      expect(approvalRequirementFor(DEFAULT_APPROVAL_POLICIES, facts({ risk }))).toMatchObject({
        policyId: 'normal-high-risk',
        approvers: [
          { kind: 'group', name: 'change-advisory-board' },
          { kind: 'role', name: 'change_manager' },
        ],
        rule: { kind: 'all' },
      });
    },
  );

  it('cover every model and risk', () => {
    expect(uncoveredCases(DEFAULT_APPROVAL_POLICIES)).toEqual([]);
  });
});

describe('approval policies', () => {
  const policies: ApprovalPolicy[] = [
    {
      id: 'payments',
      name: 'Payments',
      match: { models: ['normal'], businessServiceIds: ['svc-pay', 'svc-card'] },
      approvers: { users: ['pat'], groups: ['payments'] },
      rule: { kind: 'all' },
    },
    {
      id: 'moderate',
      name: 'Moderate or very high',
      match: { risks: ['moderate', 'very_high'] },
      approvers: { groups: ['cab'] },
      rule: { kind: 'any' },
    },
    {
      id: 'rest',
      name: 'Rest',
      match: {},
      approvers: { roles: ['change_manager'] },
      rule: { kind: 'any' },
    },
  ];

  it('match on any of the business services, first match winning', () => {
    const requirement = approvalRequirementFor(
      policies,
      facts({ risk: 'moderate', businessServiceIds: ['x', 'svc-card'] }),
    );
    expect(requirement.policyId).toBe('payments');
    expect(requirement.approvers).toEqual([
      { kind: 'user', name: 'pat' },
      { kind: 'group', name: 'payments' },
    ]);
    expect(
      approvalRequirementFor(
        policies,
        facts({ model: 'emergency', risk: 'moderate', businessServiceIds: ['svc-pay'] }),
      ).policyId,
    ).toBe('moderate');
  });

  it('match on a set of risks or on a minimum risk', () => {
    expect(
      CHANGE_RISKS.map((risk) => approvalRequirementFor(policies, facts({ risk })).policyId),
    ).toEqual(['rest', 'moderate', 'rest', 'moderate']);
    const fromHigh: ApprovalPolicy = { ...policies[2], id: 'high', match: { minRisk: 'high' } };
    expect(
      CHANGE_RISKS.map(
        (risk) => approvalRequirementFor([fromHigh, policies[2]], facts({ risk })).policyId,
      ),
    ).toEqual(['rest', 'rest', 'high', 'high']);
  });

  it('find the cases no policy covers, and refuse a change that falls in one', () => {
    const gappy = policies.slice(0, 2);
    expect(uncoveredCases(gappy)).toEqual(
      ['standard', 'normal', 'emergency'].flatMap((model) => [
        { model, risk: 'low' },
        { model, risk: 'high' },
      ]),
    );
    expect(() => approvalRequirementFor(gappy, facts({ risk: 'high' }))).toThrow(
      new RecordConflict(
        'no approval policy matches a normal change at high risk',
        'NO_APPROVAL_POLICY',
      ),
    );
  });
});
