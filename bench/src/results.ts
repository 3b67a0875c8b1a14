import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Drain, type DelaySplit, type DelayStats } from './pipeline';
import { type BurstResult, type PacedResult, type ReadResult } from './load';
import { type InsertCeiling } from './pg-ceiling';
import { type CpuUsage } from './proc';

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  free: string;
  loadAverage: string[];
  node: string;
  postgres: string;
  postgresSettings: Record<string, string>;
  kafka: string;
}

export interface MeasuredRun {
  phase: string;
  cpu: CpuUsage;
  /** The busiest processes outside the benchmark's own during the window. */
  cpuOtherTop: string[];
  peakRssMiB: Record<string, number>;
  peakOutbox: number;
  drain?: Drain;
}

export interface BenchResults {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  settings: Record<string, string | number | number[]>;
  serviceEnvironment: Record<string, string>;
  machine: MachineFacts;
  baseline: { busyCores: number | null; cpu: CpuUsage; cpuOtherTop: string[] };
  insertCeiling: InsertCeiling[];
  /** The started services before any load. */
  servicesIdle?: { cpu: CpuUsage; cpuOtherTop: string[]; peakRssMiB: Record<string, number> };
  warmups: BurstResult[];
  bursts: (BurstResult & MeasuredRun)[];
  sample?: PacedResult & MeasuredRun;
  /** Reads through the gateway after the creates: by id, a list page, a search. */
  reads?: (ReadResult & MeasuredRun)[];
  delays: DelayStats[];
  /** The same delays split at the Kafka record timestamp. */
  delaySplit: DelaySplit[];
  checks: {
    incidentsByPhase: Record<string, number>;
    createdByPhase: Record<string, number>;
    deadLettered: number | null;
    foreignArchived: number | null;
    skippedTopicRecords: Record<string, number>;
  };
  logs: Record<string, { lines: number; byLevel: Record<string, number>; samples: string[] }>;
  error?: string;
}

/** Writes a run's results to `bench/results/<run id>.json`, then prints its report and where the files are. */
export function saveRun(
  run: { repoRoot: string; runId: string; logDir: string },
  results: object,
  report: string,
): void {
  const resultsDir = join(run.repoRoot, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `${run.runId}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${report}\n`);
  console.log(`Raw results: ${file}\nService logs: ${run.logDir}`);
}
