import { z } from 'zod';
import { CHANGE_MODELS, CHANGE_RISKS } from '@itsm/contracts';
import {
  approversOf,
  changeOfModel,
  DEFAULT_APPROVAL_POLICIES,
  uncoveredCases,
  type ApprovalPolicy,
} from '../approvals/domain/approval-policy';
import {
  DEFAULT_RISK_POLICY,
  GROUP_RECORD_MEASURES,
  type RiskPolicy,
  type RiskPredicate,
} from '../risk/domain/risk-policy';

/**
 * The JSON shapes of `CHANGE_RISK_POLICY` and `CHANGE_APPROVAL_POLICY` (docs/changes.md).
 * Objects are strict: a misspelt key is an error, never a rule silently ignored.
 */

const risk = z.enum(CHANGE_RISKS);
const model = z.enum(CHANGE_MODELS);
const id = z.string().trim().min(1).max(100);
const text = z.string().trim().min(1).max(500);

/** Adds an issue at `path` for each value met a second time. */
function unique(
  values: readonly string[],
  path: (index: number) => PropertyKey[],
  what: string,
  context: z.RefinementCtx,
): void {
  values.forEach((value, index) => {
    if (values.indexOf(value) !== index)
      context.addIssue({
        code: 'custom',
        path: path(index),
        message: `${what} "${value}" is given twice`,
      });
  });
}

const riskPredicate: z.ZodType<RiskPredicate> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('model'), in: z.array(model).min(1) }),
    z.strictObject({ kind: z.literal('category'), in: z.array(id).min(1) }),
    z.strictObject({ kind: z.literal('lead_time_under'), days: z.number().positive().max(365) }),
    z.strictObject({
      kind: z.literal('service_criticality'),
      atMost: z.number().int().min(1).max(10),
    }),
    z.strictObject({ kind: z.literal('outside_maintenance_window') }),
    z.strictObject({ kind: z.literal('ci_count_over'), count: z.number().int().min(0) }),
    z.strictObject({ kind: z.literal('all'), of: z.array(riskPredicate).min(1) }),
    z.strictObject({ kind: z.literal('any'), of: z.array(riskPredicate).min(1) }),
  ]),
);

const condition = z.strictObject({ id, name: text, when: riskPredicate, risk });

const selector = z.strictObject({
  models: z.array(model).min(1).optional(),
  categories: z.array(id).min(1).optional(),
});

const question = z
  .strictObject({
    id,
    text,
    required: z.boolean().default(true),
    answers: z.array(z.strictObject({ id, text, weight: z.number().min(0).max(1000) })).min(2),
  })
  .superRefine((value, context) =>
    unique(
      value.answers.map((answer) => answer.id),
      (index) => ['answers', index, 'id'],
      'answer',
      context,
    ),
  );

/** Ascending scores; a higher score never means a lower risk. */
const scoreThresholds = z
  .array(z.strictObject({ atLeast: z.number().min(0), risk }))
  .min(1)
  .superRefine((thresholds, context) => {
    thresholds.forEach((threshold, index) => {
      const previous = thresholds[index - 1];
      if (!previous) return;
      if (threshold.atLeast <= previous.atLeast)
        context.addIssue({
          code: 'custom',
          path: [index, 'atLeast'],
          message: 'must be above the previous threshold',
        });
      if (CHANGE_RISKS.indexOf(threshold.risk) < CHANGE_RISKS.indexOf(previous.risk))
        context.addIssue({
          code: 'custom',
          path: [index, 'risk'],
          message: 'must not be lower than the previous threshold',
        });
    });
  });

const questionnaire = z
  .strictObject({
    id,
    name: text,
    appliesTo: selector.default({}),
    questions: z.array(question).min(1),
    thresholds: scoreThresholds,
  })
  .superRefine((value, context) =>
    unique(
      value.questions.map((known) => known.id),
      (index) => ['questions', index, 'id'],
      'question',
      context,
    ),
  );

const blastRadius = z.strictObject({
  criticality: z.array(z.strictObject({ atMost: z.number().int().min(1).max(10), risk })),
  serviceCount: z.array(z.strictObject({ atLeast: z.number().int().min(1), risk })),
  reachedCiCount: z.array(z.strictObject({ atLeast: z.number().int().min(1), risk })),
  unavailableRisk: risk,
});

const groupRecord = z.strictObject({
  minChanges: z.number().int().min(1).max(10_000),
  thresholds: z.array(
    z.strictObject({
      measure: z.enum(GROUP_RECORD_MEASURES),
      atLeastPercent: z.number().gt(0).max(100),
      risk,
    }),
  ),
});

/** A section left out keeps its default; a section given replaces that section whole. */
export const riskPolicySchema: z.ZodType<RiskPolicy> = z
  .strictObject({
    conditions: z.array(condition).optional(),
    questionnaires: z.array(questionnaire).optional(),
    blastRadius: blastRadius.optional(),
    groupRecord: groupRecord.optional(),
  })
  .superRefine((value, context) => {
    unique(
      (value.conditions ?? []).map((known) => known.id),
      (index) => ['conditions', index, 'id'],
      'condition',
      context,
    );
    unique(
      (value.questionnaires ?? []).map((known) => known.id),
      (index) => ['questionnaires', index, 'id'],
      'questionnaire',
      context,
    );
  })
  .transform((value) => ({
    conditions: value.conditions ?? DEFAULT_RISK_POLICY.conditions,
    questionnaires: value.questionnaires ?? DEFAULT_RISK_POLICY.questionnaires,
    blastRadius: value.blastRadius ?? DEFAULT_RISK_POLICY.blastRadius,
    groupRecord: value.groupRecord ?? DEFAULT_RISK_POLICY.groupRecord,
  }));

const approverNames = z.array(id).min(1).optional();

const approvalPolicy = z
  .strictObject({
    id,
    name: text,
    match: z
      .strictObject({
        models: z.array(model).min(1).optional(),
        risks: z.array(risk).min(1).optional(),
        minRisk: risk.optional(),
        businessServiceIds: z.array(id).min(1).optional(),
      })
      .default({}),
    approvers: z
      .strictObject({ users: approverNames, groups: approverNames, roles: approverNames })
      .default({}),
    rule: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('not_required') }),
      z.strictObject({ kind: z.literal('all') }),
      z.strictObject({ kind: z.literal('any') }),
      z.strictObject({ kind: z.literal('n_of_m'), n: z.number().int().min(1) }),
      z.strictObject({ kind: z.literal('percentage'), percent: z.number().int().min(1).max(100) }),
    ]),
    retrospective: z.boolean().optional(),
  })
  .superRefine((policy, context) => {
    const count = approversOf(policy).length;
    if (policy.rule.kind === 'not_required' && count > 0)
      context.addIssue({
        code: 'custom',
        path: ['approvers'],
        message: 'must be empty when the rule is not_required',
      });
    if (policy.rule.kind !== 'not_required' && count === 0)
      context.addIssue({
        code: 'custom',
        path: ['approvers'],
        message: 'must name at least one user, group or role',
      });
    if (policy.rule.kind === 'n_of_m' && policy.rule.n > count)
      context.addIssue({
        code: 'custom',
        path: ['rule', 'n'],
        message: `must be at most ${count}, the number of approvers named`,
      });
    for (const kind of ['users', 'groups', 'roles'] as const)
      unique(
        policy.approvers[kind] ?? [],
        (index) => ['approvers', kind, index],
        kind.slice(0, -1),
        context,
      );
    const emergencyOnly =
      policy.match.models?.length === 1 && policy.match.models[0] === 'emergency';
    if (policy.retrospective && !emergencyOnly)
      context.addIssue({
        code: 'custom',
        path: ['retrospective'],
        message: 'is for emergency changes only: match models ["emergency"]',
      });
  });

/** Ordered, first match wins; every model and risk must find a policy. */
export const approvalPoliciesSchema: z.ZodType<readonly ApprovalPolicy[]> = z
  .array(approvalPolicy)
  .min(1)
  .superRefine((policies, context) => {
    unique(
      policies.map((policy) => policy.id),
      (index) => [index, 'id'],
      'policy',
      context,
    );
    const gaps = uncoveredCases(policies);
    if (gaps.length > 0) {
      context.addIssue({
        code: 'custom',
        message: `no policy matches ${gaps.map((gap) => `${changeOfModel(gap.model)} at ${gap.risk} risk`).join(', ')}; end the list with a policy that matches every change`,
      });
    }
  });

/** A JSON setting read with its schema, every problem reported under the variable with its path. */
export function jsonPolicySetting<T>(schema: z.ZodType<T>, fallback: T) {
  return z
    .string()
    .optional()
    .transform((value, context): T => {
      // Blank is unset: a chart that renders an empty value means "the default".
      if (value === undefined || value.trim() === '') return fallback;
      let json: unknown;
      try {
        json = JSON.parse(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: `is not JSON: ${(error as Error).message}` });
        return z.NEVER;
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        for (const issue of parsed.error.issues)
          context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
        return z.NEVER;
      }
      return parsed.data;
    });
}

export const riskPolicySetting = jsonPolicySetting(riskPolicySchema, DEFAULT_RISK_POLICY);
export const approvalPolicySetting = jsonPolicySetting(
  approvalPoliciesSchema,
  DEFAULT_APPROVAL_POLICIES,
);
