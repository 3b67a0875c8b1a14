import { type CpuUsage } from '../proc';
import { type LoopResult } from './closed-loop';
import { type GenerationResult } from './generate';
import { type PlanSummary } from './list-sql';
import { type Viewer } from './shapes';

export interface ShapeResult {
  name: string;
  viewer: Viewer;
  path: string;
  /** Through the gateway, one entry per client count. */
  http: LoopResult[];
  /** The same SQL straight to PostgreSQL, one entry per client count. */
  sql: LoopResult[];
  plan?: PlanSummary;
}

export interface CreateResult extends LoopResult {
  cpu: CpuUsage;
  cpuOtherTop: string[];
  peakRssMiB: Record<string, number>;
}

export interface IncidentBenchResults {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  settings: Record<string, number | number[]>;
  machine: {
    cores: number;
    loadAverageAtStart: string[];
    loadAverageAtEnd?: string[];
    postgres: Record<string, string>;
  };
  generation?: GenerationResult;
  /** Records whose search document the service's own refresh changed (0: the generator wrote the same). */
  searchDocumentMismatches?: { checked: number; different: number };
  /** CPU while the list shapes ran (HTTP and SQL). */
  listPhase?: { cpu: CpuUsage; cpuOtherTop: string[]; peakRssMiB: Record<string, number> };
  shapes: ShapeResult[];
  creates: CreateResult[];
  createWarmups: LoopResult[];
  error?: string;
}
