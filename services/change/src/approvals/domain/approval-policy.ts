import { CHANGE_MODELS, CHANGE_RISKS, type ChangeModel, type ChangeRisk } from '@itsm/contracts';
import { RecordConflict } from '@itsm/domain';

export const APPROVER_KINDS = ['user', 'group', 'role'] as const;
export type ApproverKind = (typeof APPROVER_KINDS)[number];

/**
 * One approver a policy names. A group is satisfied by any one of its members, a role by
 * any one person holding it (ServiceNow's group approval): a CAB approves as a body, and a
 * policy that wants two people names two approvers.
 */
export interface ApproverRef {
  kind: ApproverKind;
  name: string;
}

export const APPROVAL_RULE_KINDS = ['not_required', 'all', 'any', 'n_of_m', 'percentage'] as const;

/** How many of the named approvers must approve; one rejection rejects under every rule. */
export type ApprovalRule =
  | { kind: 'not_required' }
  | { kind: 'all' }
  | { kind: 'any' }
  | { kind: 'n_of_m'; n: number }
  | { kind: 'percentage'; percent: number };

/** Which changes a policy is for; a criterion left out matches every change. */
export interface ApprovalPolicyMatch {
  models?: readonly ChangeModel[];
  risks?: readonly ChangeRisk[];
  /** The risk or above (`high` matches high and very_high). */
  minRisk?: ChangeRisk;
  /** Matches a change affecting any of these business services. */
  businessServiceIds?: readonly string[];
}

export interface ApprovalPolicy {
  id: string;
  name: string;
  match: ApprovalPolicyMatch;
  approvers: {
    users?: readonly string[];
    groups?: readonly string[];
    roles?: readonly string[];
  };
  rule: ApprovalRule;
  /** Emergency changes only: the change may go ahead and be authorised after the fact. */
  retrospective?: boolean;
}

/** What the policies read of a change. */
export interface ApprovalFacts {
  model: ChangeModel;
  risk: ChangeRisk;
  businessServiceIds: readonly string[];
}

/** The approval a change needs, fixed when its round opens so that later policy edits do not move it. */
export interface ApprovalRequirement {
  policyId: string;
  policyName: string;
  /** Users first (named in person), then groups, then roles: the order a decision fills them in. */
  approvers: readonly ApproverRef[];
  rule: ApprovalRule;
  retrospective: boolean;
}

/**
 * The default policies (`CHANGE_APPROVAL_POLICY` replaces them; docs/changes.md): standard
 * changes are pre-authorised; an emergency change is authorised by the emergency CAB or
 * any change manager, after the fact if need be; a normal change by the CAB, and from high
 * risk up by the CAB and a change manager both.
 */
export const DEFAULT_APPROVAL_POLICIES: readonly ApprovalPolicy[] = [
  {
    id: 'standard',
    name: 'Standard change: pre-authorised by its template',
    match: { models: ['standard'] },
    approvers: {},
    rule: { kind: 'not_required' },
  },
  {
    id: 'emergency',
    name: 'Emergency change: emergency CAB or a change manager',
    match: { models: ['emergency'] },
    approvers: { groups: ['ecab'], roles: ['change_manager'] },
    rule: { kind: 'any' },
    retrospective: true,
  },
  {
    id: 'normal-high-risk',
    name: 'Normal change at high risk or above: the CAB and a change manager',
    match: { models: ['normal'], minRisk: 'high' },
    approvers: { groups: ['change-advisory-board'], roles: ['change_manager'] },
    rule: { kind: 'all' },
  },
  {
    id: 'normal',
    name: 'Normal change: the CAB',
    match: { models: ['normal'] },
    approvers: { groups: ['change-advisory-board'] },
    rule: { kind: 'any' },
  },
];

/** `an emergency change`, `a normal change`: how messages name a change by its model. */
export function changeOfModel(model: ChangeModel): string {
  return `${model === 'emergency' ? 'an' : 'a'} ${model} change`;
}

export function approversOf(policy: ApprovalPolicy): ApproverRef[] {
  return [
    ...(policy.approvers.users ?? []).map((name) => ({ kind: 'user' as const, name })),
    ...(policy.approvers.groups ?? []).map((name) => ({ kind: 'group' as const, name })),
    ...(policy.approvers.roles ?? []).map((name) => ({ kind: 'role' as const, name })),
  ];
}

export function policyMatches(match: ApprovalPolicyMatch, facts: ApprovalFacts): boolean {
  if (match.models && !match.models.includes(facts.model)) return false;
  if (match.risks && !match.risks.includes(facts.risk)) return false;
  if (match.minRisk && CHANGE_RISKS.indexOf(facts.risk) < CHANGE_RISKS.indexOf(match.minRisk))
    return false;
  if (
    match.businessServiceIds &&
    !facts.businessServiceIds.some((id) => match.businessServiceIds?.includes(id))
  )
    return false;
  return true;
}

/**
 * The change's approval: the first policy that matches. First match wins rather than
 * matches combining into stages: one policy then says everything a change needs, and a
 * reader finds it by reading the list top down; a policy that needs two bodies names both
 * under `all`.
 */
export function approvalRequirementFor(
  policies: readonly ApprovalPolicy[],
  facts: ApprovalFacts,
): ApprovalRequirement {
  const policy = policies.find((candidate) => policyMatches(candidate.match, facts));
  if (!policy) {
    throw new RecordConflict(
      `no approval policy matches ${changeOfModel(facts.model)} at ${facts.risk} risk`,
      'NO_APPROVAL_POLICY',
    );
  }
  return {
    policyId: policy.id,
    policyName: policy.name,
    approvers: approversOf(policy),
    rule: policy.rule,
    retrospective: policy.retrospective ?? false,
  };
}

export function approvalRequired(requirement: ApprovalRequirement): boolean {
  return requirement.rule.kind !== 'not_required';
}

/**
 * The (model, risk) pairs no policy matches. With no business service given only the
 * policies without a service criterion match, and those match whatever the services:
 * so an empty answer proves that every change finds a policy.
 */
export function uncoveredCases(
  policies: readonly ApprovalPolicy[],
): { model: ChangeModel; risk: ChangeRisk }[] {
  return CHANGE_MODELS.flatMap((model) =>
    CHANGE_RISKS.filter(
      (risk) =>
        !policies.some((policy) =>
          policyMatches(policy.match, { model, risk, businessServiceIds: [] }),
        ),
    ).map((risk) => ({ model, risk })),
  );
}
