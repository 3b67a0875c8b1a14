/** The shapes the console reads from the CMDB's API (docs/cmdb.md); only the fields it uses. */

export const CI_STATUSES = ['planned', 'operational', 'maintenance', 'retired'] as const;

export interface ConfigurationItem {
  id: string;
  class: string;
  name: string;
  status: string;
  environment: string | null;
  ownerGroup: string | null;
  restricted: boolean;
  criticality: number | null;
  identifiers: Record<string, unknown>;
  attributes: Record<string, unknown>;
  sources: string[];
  lastDiscoveredAt: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface CiClass {
  name: string;
  label: string;
  parent: string | null;
  abstract: boolean;
}

export interface Relationship {
  id: string;
  type: string;
  sourceId: string;
  targetId: string;
  createdAt: string;
  createdBy: string;
  deletedAt: string | null;
}

export interface CiHistoryEntry {
  at: string;
  kind: string;
  actor: string;
  source: string | null;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  changeNumber: string | null;
  version: number | null;
  relationship: { id: string; type: string; sourceId: string; targetId: string } | null;
}

export type ImpactDirection = 'upstream' | 'downstream';

export interface ImpactedCi {
  ciId: string;
  class: string;
  name: string;
  status: string;
  criticality: number | null;
  distance: number;
  path: string[];
}

/** `GET /api/v1/cis/{id}/impact`. */
export interface ImpactResult {
  direction: ImpactDirection;
  depth: number;
  truncated: boolean;
  reachedCount: number;
  withheldCount: number;
  items: ImpactedCi[];
  businessServices: ImpactedCi[];
}
