import type { ChangeModel, ChangeRisk, ChangeRiskSource } from '@itsm/contracts';

/** What the risk rules read of the change itself. */
export interface ChangeRiskFacts {
  model: ChangeModel;
  category: string | null;
  plannedStart: Date | null;
  ciIds: readonly string[];
  /** From the schedule's window check; null when not known (not planned yet, not checked). */
  outsideMaintenanceWindow: boolean | null;
}

/** A business service reached upstream of the change's CIs, as the CMDB's impact analysis names it. */
export interface ImpactedService {
  id: string;
  name: string;
  /** 1 is the most critical; null when the CMDB has none recorded. */
  criticality: number | null;
}

/**
 * What the CMDB's impact analysis said about the change's CIs, or that it could not be
 * asked. `truncated`: the CMDB stopped its walk at its cap, so the counts are floors.
 */
export type BlastRadius =
  | {
      status: 'known';
      businessServices: readonly ImpactedService[];
      reachedCiCount: number;
      truncated: boolean;
    }
  | { status: 'unavailable'; detail: string };

/**
 * The assignment group's changes completed in the look-back window: `failed` of them
 * closed unsuccessful or backed out, `causedIncidents` of them recorded as the cause of an
 * incident (a change can be both).
 */
export interface GroupRecord {
  group: string;
  lookBackMs: number;
  completed: number;
  failed: number;
  causedIncidents: number;
}

/** The published template a standard change was opened from. */
export interface TemplateRisk {
  id: string;
  name: string;
  version: number;
  risk: ChangeRisk;
}

/** One sentence for the change manager, with the risk it argues for (null: it argues for none). */
export interface RiskReason {
  source: ChangeRiskSource;
  risk: ChangeRisk | null;
  text: string;
}

/** What one source says: its risk (null: it has nothing to say) and why. */
export interface RiskContribution {
  source: ChangeRiskSource;
  risk: ChangeRisk | null;
  reasons: RiskReason[];
}
