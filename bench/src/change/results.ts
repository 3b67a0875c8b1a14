import { type Distribution } from '../stats';
import { type GraphLoad } from './graph';
import { type RequestFigures } from './measure';
import { type ChangeSeed } from './seed';
import { type WindowSeed } from './windows';

/** Where the time of one kind of request goes: its parts replayed from the benchmark, one at a time. */
export interface Breakdown {
  name: string;
  samples: number;
  /** Each part's distribution over the samples, ms. */
  parts: Record<string, Distribution>;
  /** Other figures per sample (changes overlapping, walks, ...). */
  counts: Record<string, Distribution>;
  /** Counts over the whole sample (how many samples did or met something). */
  tallies?: Record<string, number>;
  /** Each sample's figures in order, as replayed (null: the part did not apply to it). */
  perSample?: Record<string, (number | null)[]>;
}

/** The graph checked through the gateway: impact answers against the recursive SQL reference. */
export interface GraphCheck {
  checked: number;
  disagreements: number;
  meanReached: number | null;
  truncated: number;
}

export interface ChangeBenchResults {
  runId: string;
  commit: string;
  startedAt: string;
  finishedAt?: string;
  settings: Record<string, number>;
  machine: {
    cores: number;
    cpuModel: string;
    memoryGiB: number;
    node: string;
    loadAverageAtStart: string[];
    loadAverageAtMeasure?: string[];
    loadAverageAtEnd?: string[];
    postgres: Record<string, string>;
  };
  graph?: GraphLoad & { vacuumSeconds: number };
  graphCheck?: GraphCheck;
  seed?: ChangeSeed;
  windows?: WindowSeed;
  requests: RequestFigures[];
  breakdowns: Breakdown[];
  /** EXPLAIN ANALYZE of the overlap query for one change and for the busiest month. */
  plans: Record<string, string[]>;
  peakRssMiB?: Record<string, number>;
  tableMiB?: Record<string, number>;
  logs: Record<string, { lines: number; byLevel: Record<string, number>; samples: string[] }>;
  error?: string;
}
