import type { ChangeModel, ChangeRisk } from '@itsm/contracts';

/**
 * What a risk condition tests, as data so that a deployment can write its own
 * (`CHANGE_RISK_POLICY`). A fact the caller does not know (no planned start, the CMDB
 * unreachable, windows not checked) makes its test false: a condition only raises risk on
 * what is known, and the blast radius source says when the CMDB was not reached.
 */
export type RiskPredicate =
  | { kind: 'model'; in: readonly ChangeModel[] }
  | { kind: 'category'; in: readonly string[] }
  /** From the assessment time to the planned start; a planned start already past counts. */
  | { kind: 'lead_time_under'; days: number }
  /** A business service reached upstream with criticality `atMost` or more critical (1 is the most critical). */
  | { kind: 'service_criticality'; atMost: number }
  | { kind: 'outside_maintenance_window' }
  /** The change's own CIs (`ciIds`), not those reached upstream. */
  | { kind: 'ci_count_over'; count: number }
  | { kind: 'all'; of: readonly RiskPredicate[] }
  | { kind: 'any'; of: readonly RiskPredicate[] };

/** "When this holds, the risk is at least that." */
export interface RiskCondition {
  id: string;
  name: string;
  when: RiskPredicate;
  risk: ChangeRisk;
}

/** Which changes something applies to; a criterion left out matches every change. */
export interface ChangeSelector {
  models?: readonly ChangeModel[];
  categories?: readonly string[];
}

export interface RiskAnswerOption {
  id: string;
  text: string;
  /** Never negative: a partial score is then a floor the missing answers cannot lower. */
  weight: number;
}

export interface RiskQuestion {
  id: string;
  text: string;
  required: boolean;
  answers: readonly RiskAnswerOption[];
}

/** A score of `atLeast` or more means at least `risk`. */
export interface ScoreThreshold {
  atLeast: number;
  risk: ChangeRisk;
}

export interface RiskQuestionnaire {
  id: string;
  name: string;
  /** Chosen by model and category only, so the questions do not change as the planned start nears. */
  appliesTo: ChangeSelector;
  questions: readonly RiskQuestion[];
  /** Ascending by `atLeast`, risks never decreasing; below the first the questionnaire says low. */
  thresholds: readonly ScoreThreshold[];
}

export interface CriticalityThreshold {
  atMost: number;
  risk: ChangeRisk;
}

export interface CountThreshold {
  atLeast: number;
  risk: ChangeRisk;
}

export interface BlastRadiusPolicy {
  /** The most critical business service reached sets this risk. */
  criticality: readonly CriticalityThreshold[];
  /** How many business services are reached. */
  serviceCount: readonly CountThreshold[];
  /** How many CIs are reached upstream (all classes). */
  reachedCiCount: readonly CountThreshold[];
  /** What an unreachable CMDB contributes: unknown is not safe, but not an alarm either. */
  unavailableRisk: ChangeRisk;
}

export const GROUP_RECORD_MEASURES = ['failure_rate', 'incident_rate'] as const;
export type GroupRecordMeasure = (typeof GROUP_RECORD_MEASURES)[number];

export interface GroupRecordThreshold {
  /** failure_rate: unsuccessful or backed out / completed; incident_rate: caused incidents / completed. */
  measure: GroupRecordMeasure;
  atLeastPercent: number;
  risk: ChangeRisk;
}

export interface GroupRecordPolicy {
  /** Fewer completed changes in the look-back window say too little to judge the group. */
  minChanges: number;
  thresholds: readonly GroupRecordThreshold[];
}

export interface RiskPolicy {
  /** All that hold count, the highest wins; their order is the order reasons are read in. */
  conditions: readonly RiskCondition[];
  /** The first whose `appliesTo` matches the change is its questionnaire. */
  questionnaires: readonly RiskQuestionnaire[];
  blastRadius: BlastRadiusPolicy;
  groupRecord: GroupRecordPolicy;
}

const yesPartlyNo = (yes: number, partly: number, no: number): RiskAnswerOption[] => [
  { id: 'yes', text: 'Yes', weight: yes },
  { id: 'partly', text: 'Partly', weight: partly },
  { id: 'no', text: 'No', weight: no },
];

/** The policy a deployment gets without `CHANGE_RISK_POLICY` (shown in docs/changes.md). */
export const DEFAULT_RISK_POLICY: RiskPolicy = {
  conditions: [
    {
      id: 'emergency-critical-service',
      name: 'Emergency change on a most critical service',
      when: {
        kind: 'all',
        of: [
          { kind: 'model', in: ['emergency'] },
          { kind: 'service_criticality', atMost: 1 },
        ],
      },
      risk: 'very_high',
    },
    {
      id: 'emergency',
      name: 'Emergency change',
      when: { kind: 'model', in: ['emergency'] },
      risk: 'high',
    },
    {
      id: 'very-short-lead-time',
      name: 'Very short lead time',
      when: {
        kind: 'all',
        of: [
          { kind: 'model', in: ['normal'] },
          { kind: 'lead_time_under', days: 2 },
        ],
      },
      risk: 'high',
    },
    {
      id: 'short-lead-time',
      name: 'Short lead time',
      when: {
        kind: 'all',
        of: [
          { kind: 'model', in: ['normal'] },
          { kind: 'lead_time_under', days: 5 },
        ],
      },
      risk: 'moderate',
    },
    {
      id: 'outside-maintenance-window',
      name: 'Outside a maintenance window',
      when: { kind: 'outside_maintenance_window' },
      risk: 'moderate',
    },
    {
      id: 'many-cis',
      name: 'Many CIs',
      when: { kind: 'ci_count_over', count: 20 },
      risk: 'moderate',
    },
  ],
  questionnaires: [
    {
      id: 'emergency',
      name: 'Emergency change',
      appliesTo: { models: ['emergency'] },
      questions: [
        {
          id: 'tested',
          text: 'Has the fix been tested outside production?',
          required: true,
          answers: yesPartlyNo(0, 2, 4),
        },
        {
          id: 'backout',
          text: 'Can the change be backed out within 30 minutes?',
          required: true,
          answers: yesPartlyNo(0, 2, 4),
        },
        {
          id: 'outage',
          text: 'Does the implementation need a service outage?',
          required: true,
          answers: [
            { id: 'none', text: 'No outage', weight: 0 },
            { id: 'partial', text: 'A partial outage', weight: 2 },
            { id: 'full', text: 'A full outage', weight: 4 },
          ],
        },
      ],
      thresholds: [
        { atLeast: 3, risk: 'moderate' },
        { atLeast: 6, risk: 'high' },
        { atLeast: 10, risk: 'very_high' },
      ],
    },
    {
      id: 'normal',
      name: 'Normal change',
      appliesTo: { models: ['normal'] },
      questions: [
        {
          id: 'experience',
          text: 'Has this kind of change been made here before?',
          required: true,
          answers: [
            { id: 'often', text: 'Often', weight: 0 },
            { id: 'once', text: 'Once or twice', weight: 1 },
            { id: 'never', text: 'Never', weight: 3 },
          ],
        },
        {
          id: 'tested',
          text: 'Has it been tested in an environment like production?',
          required: true,
          answers: yesPartlyNo(0, 2, 4),
        },
        {
          id: 'backout',
          text: 'Is there a tested backout plan?',
          required: true,
          answers: [
            { id: 'tested', text: 'Yes, tested', weight: 0 },
            { id: 'untested', text: 'Yes, not tested', weight: 2 },
            { id: 'none', text: 'No', weight: 4 },
          ],
        },
        {
          id: 'outage',
          text: 'Will users notice an outage during the implementation?',
          required: true,
          answers: [
            { id: 'no', text: 'No', weight: 0 },
            { id: 'announced', text: 'Yes, announced and inside a maintenance window', weight: 1 },
            { id: 'yes', text: 'Yes', weight: 3 },
          ],
        },
        {
          id: 'teams',
          text: 'How many teams take part in the implementation?',
          required: false,
          answers: [
            { id: 'one', text: 'One', weight: 0 },
            { id: 'two', text: 'Two', weight: 1 },
            { id: 'more', text: 'More than two', weight: 2 },
          ],
        },
      ],
      thresholds: [
        { atLeast: 4, risk: 'moderate' },
        { atLeast: 8, risk: 'high' },
        { atLeast: 12, risk: 'very_high' },
      ],
    },
  ],
  blastRadius: {
    criticality: [
      { atMost: 1, risk: 'high' },
      { atMost: 2, risk: 'moderate' },
    ],
    serviceCount: [
      { atLeast: 5, risk: 'high' },
      { atLeast: 3, risk: 'moderate' },
    ],
    reachedCiCount: [
      { atLeast: 1000, risk: 'high' },
      { atLeast: 200, risk: 'moderate' },
    ],
    unavailableRisk: 'moderate',
  },
  groupRecord: {
    minChanges: 5,
    thresholds: [
      { measure: 'failure_rate', atLeastPercent: 20, risk: 'high' },
      { measure: 'failure_rate', atLeastPercent: 10, risk: 'moderate' },
      { measure: 'incident_rate', atLeastPercent: 20, risk: 'high' },
      { measure: 'incident_rate', atLeastPercent: 10, risk: 'moderate' },
    ],
  },
};
