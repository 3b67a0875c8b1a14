import { type GenerationResult } from '../incident/generate';
import { type BundleSizes } from './bundle';
import { type MainThread, type NavigationTiming } from './instrument';
import { type ResourceTiming, type Summary, type TimelineRow, type Transferred } from './measures';

/** One load of the queue page; times in ms from the navigation's start. */
export interface LoadSample {
  /** The queue's table shows its first records. */
  rowsMs: number;
  /** Every API call of the page answered (the network quiet after). */
  apiDoneMs: number;
  /** What Chromium's main thread did from the navigation to the API's answers. */
  mainThread: MainThread;
  navigation: NavigationTiming & ResourceTiming;
  resources: ResourceTiming[];
  transferred: Transferred;
}

/** Signing in with the form, from a fresh context. */
export interface SignInSample {
  /** Navigation start → the sign-in form is there. */
  formMs: number;
  /** The click on "Sign in" → the queue's first records. */
  clickToRowsMs: number;
}

/** One click on a record of the queue; times in ms from the click. */
export interface RecordSample {
  number: string;
  /** The record page shows the record's number, title and fields. */
  titleMs: number;
  /** Every API call the page made has been answered: the SLA timers, known errors, CIs, journal, history... */
  cardsMs: number;
  /** What Chromium's main thread did from the click to the last answer. */
  mainThread: MainThread;
  /** The click's timestamp on the page's clock, to read `resources` against. */
  clickAt: number;
  resources: ResourceTiming[];
}

export interface MeasureRow {
  name: string;
  goalMs: number | null;
  summary: Summary;
  failures: number;
}

export interface ConsoleBenchResults {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  settings: Record<string, string | number>;
  machine: {
    cores: number;
    cpuModel: string;
    chromium: string;
    /** `os.loadavg()` (1, 5, 15 min) when each phase began, and at the end. */
    loadAverage: Record<string, string[]>;
  };
  /** incident.records before the run: 0, or what an earlier run left (`BENCH_KEEP_DATABASE=1`). */
  incidentsAtStart?: number;
  generation?: GenerationResult;
  services: string[];
  bundle?: BundleSizes;
  coldLoads: LoadSample[];
  warmLoads: LoadSample[];
  signIns: SignInSample[];
  records: RecordSample[];
  failures: Record<string, string[]>;
  measures: MeasureRow[];
  coldTimeline: TimelineRow[];
  recordTimeline: TimelineRow[];
  error?: string;
}
