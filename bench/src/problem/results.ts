import { type CpuUsage } from '../proc';
import { type EventFigures } from './events';
import { type GenerationResult } from './generate';
import { type LinkFigures } from './links';
import { type RuleCost } from './rules';
import { type SearchShapeResult } from './search';

/** Where the machine's CPU went and the services' peak memory during one phase. */
export interface PhaseUsage {
  cpu: CpuUsage;
  cpuOtherTop: string[];
  peakRssMiB: Record<string, number>;
}

export interface ProblemBenchResults {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  settings: Record<string, number | number[]>;
  machine: {
    cores: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    loadAverageAtStart: string[];
    loadAverageAtEnd?: string[];
    postgres: Record<string, string>;
  };
  generation?: GenerationResult;
  /** Records whose search document the service's own refresh changed (0: the generator wrote the same; null: not checked). */
  searchDocumentMismatches?: {
    checked: number;
    problems: number | null;
    knownErrors: number | null;
  };
  /** The problem service's RSS right after start-up. */
  startRssMiB?: Record<string, number>;
  search: SearchShapeResult[];
  searchPhase?: PhaseUsage;
  links?: LinkFigures & PhaseUsage;
  events?: EventFigures & PhaseUsage;
  /** The candidate rules' queries timed one by one, and the cost of a commit. */
  ruleCost?: RuleCost;
  /** Peak RSS over the whole measured part of the run. */
  peakRssMiB?: Record<string, number>;
  logs: Record<string, { lines: number; byLevel: Record<string, number>; samples: string[] }>;
  error?: string;
}
