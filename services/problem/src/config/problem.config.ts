import { Global, Module } from '@nestjs/common';
import { z } from 'zod';
import { type PriorityMatrix } from '@itsm/contracts';
import {
  booleanFlag,
  isoDurationSetting,
  priorityMatrixSetting,
  readSettings,
} from '@itsm/platform';

export const CANDIDATE_RULES = ['same_ci', 'same_service_category'] as const;
export type CandidateRule = (typeof CANDIDATE_RULES)[number];

/** The problem service's own variables (docs/configuration.md is rendered from them). */
export const problemEnvironment = z.object({
  PRIORITY_MATRIX: priorityMatrixSetting.meta({
    description:
      "The cells of the impact x urgency priority matrix that differ from the default, e.g. `1x2=P1,3x3=P4`; the same setting as the incident service's: set both the same.",
  }),
  PROBLEM_CANDIDATE_RULES: z
    .string()
    .default(CANDIDATE_RULES.join(','))
    .transform((value, context) => {
      const rules = value
        .split(',')
        .map((rule) => rule.trim())
        .filter(Boolean);
      const unknown = rules.filter(
        (rule) => !(CANDIDATE_RULES as readonly string[]).includes(rule),
      );
      if (unknown.length > 0) {
        context.addIssue({
          code: 'custom',
          message: `unknown rule(s) ${unknown.join(', ')}; known: ${CANDIDATE_RULES.join(', ')}`,
        });
      }
      return [...new Set(rules)] as CandidateRule[];
    })
    .meta({
      description:
        'Which candidate rules run, comma-separated (`same_ci`, `same_service_category`); empty turns them off (docs/problems.md).',
    }),
  PROBLEM_CANDIDATE_THRESHOLD: z.coerce.number().int().min(2).max(1000).default(3).meta({
    description: 'How many incidents within the window open a candidate problem (2 to 1000).',
  }),
  PROBLEM_CANDIDATE_WINDOW: isoDurationSetting('PT24H').meta({
    description: "The window a candidate rule's incidents must fall in, as an ISO 8601 duration.",
  }),
  PROBLEM_CANDIDATE_FROM_MAJOR_INCIDENTS: booleanFlag.default(true).meta({
    description: 'Whether a closed major incident opens a candidate problem for its review.',
  }),
});

export interface ProblemConfig {
  priorityMatrix: PriorityMatrix;
  candidateRules: CandidateRule[];
  candidateThreshold: number;
  candidateWindowMs: number;
  candidateFromMajorIncidents: boolean;
}

export const PROBLEM_CONFIG = Symbol('PROBLEM_CONFIG');

/** Reads the problem service's settings once, listing every problem at once, by variable. */
export function loadProblemConfig(source: NodeJS.ProcessEnv = process.env): ProblemConfig {
  const settings = readSettings(problemEnvironment, source);
  return {
    priorityMatrix: settings.PRIORITY_MATRIX,
    candidateRules: settings.PROBLEM_CANDIDATE_RULES,
    candidateThreshold: settings.PROBLEM_CANDIDATE_THRESHOLD,
    candidateWindowMs: settings.PROBLEM_CANDIDATE_WINDOW,
    candidateFromMajorIncidents: settings.PROBLEM_CANDIDATE_FROM_MAJOR_INCIDENTS,
  };
}

@Global()
@Module({
  providers: [{ provide: PROBLEM_CONFIG, useFactory: () => loadProblemConfig() }],
  exports: [PROBLEM_CONFIG],
})
export class ProblemConfigModule {}
