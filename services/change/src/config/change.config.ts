import { Global, Module } from '@nestjs/common';
import { z } from 'zod';
import { isoDurationSetting, readSettings } from '@itsm/platform';
import type { ApprovalPolicy } from '../approvals/domain/approval-policy';
import type { RiskPolicy } from '../risk/domain/risk-policy';
import { approvalPolicySetting, riskPolicySetting } from './policy-settings';

/** The change service's own variables (docs/configuration.md is rendered from them). */
export const changeEnvironment = z.object({
  CHANGE_RISK_POLICY: riskPolicySetting.meta({
    description:
      'The risk conditions, questionnaires and thresholds, as JSON (docs/changes.md, "Risk"); a section left out keeps its default. Unset or blank: the defaults.',
  }),
  CHANGE_APPROVAL_POLICY: approvalPolicySetting.meta({
    description:
      'The ordered approval policies, as a JSON array, first match wins and every model and risk must find one (docs/changes.md, "Approvals and CAB"). Unset or blank: the defaults.',
  }),
  CHANGE_CONFLICT_DEPENDENCY_HOPS: z.coerce.number().int().min(0).max(10).default(2).meta({
    description:
      "How many dependency hops in the CMDB make two changes' CIs conflict (0 to 10); 0 checks only the same CI.",
  }),
  CHANGE_BLAST_RADIUS_DEPTH: z.coerce.number().int().min(1).max(10).default(3).meta({
    description:
      "How many steps upstream of a change's CIs the blast radius looks for business services (1 to 10).",
  }),
  CHANGE_GROUP_RECORD_LOOKBACK: isoDurationSetting('P90D').meta({
    description:
      "How far back the assignment group's success record looks, as an ISO 8601 duration.",
  }),
});

export interface ChangeConfig {
  riskPolicy: RiskPolicy;
  approvalPolicies: readonly ApprovalPolicy[];
  conflictDependencyHops: number;
  blastRadiusDepth: number;
  groupRecordLookBackMs: number;
}

export const CHANGE_CONFIG = Symbol('CHANGE_CONFIG');

/** Reads the change service's settings once, listing every problem at once, by variable. */
export function loadChangeConfig(source: NodeJS.ProcessEnv = process.env): ChangeConfig {
  const settings = readSettings(changeEnvironment, source);
  return {
    riskPolicy: settings.CHANGE_RISK_POLICY,
    approvalPolicies: settings.CHANGE_APPROVAL_POLICY,
    conflictDependencyHops: settings.CHANGE_CONFLICT_DEPENDENCY_HOPS,
    blastRadiusDepth: settings.CHANGE_BLAST_RADIUS_DEPTH,
    groupRecordLookBackMs: settings.CHANGE_GROUP_RECORD_LOOKBACK,
  };
}

@Global()
@Module({
  providers: [{ provide: CHANGE_CONFIG, useFactory: () => loadChangeConfig() }],
  exports: [CHANGE_CONFIG],
})
export class ChangeConfigModule {}
