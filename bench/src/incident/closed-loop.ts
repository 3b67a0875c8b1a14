import { distribution, round } from '../stats';

/** One operation's outcome: `true` when it succeeded, else a label for the failure (status, error name). */
export type Outcome = true | string;

export interface LoopResult {
  clients: number;
  seconds: number;
  requests: number;
  succeeded: number;
  /** Successful operations per second over the measured time. */
  perSecond: number | null;
  latencyMs: { p50: number | null; p99: number | null; max: number | null };
  failures: Record<string, number>;
}

/**
 * Closed-loop load: `clients` workers, each starting its next operation as soon as its
 * last one finished, for `seconds`. Latency is measured per successful operation with
 * performance.now(), so sub-millisecond queries keep their resolution.
 */
export async function closedLoop(
  clients: number,
  seconds: number,
  operation: (sequence: number) => Promise<Outcome>,
): Promise<LoopResult> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  let sequence = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const begin = performance.now();
      let outcome: Outcome;
      try {
        outcome = await operation((sequence += 1));
      } catch (error) {
        outcome = error instanceof Error ? error.name : 'error';
      }
      if (outcome === true) latencies.push(performance.now() - begin);
      else failures[outcome] = (failures[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  const elapsed = (performance.now() - started) / 1000;
  const latency = distribution(latencies);
  const failed = Object.values(failures).reduce((sum, count) => sum + count, 0);
  return {
    clients,
    seconds: round(elapsed, 1) ?? seconds,
    requests: latencies.length + failed,
    succeeded: latencies.length,
    perSecond: round(latencies.length / elapsed, 1),
    latencyMs: {
      p50: round(latency.p50, 2),
      p99: round(latency.p99, 2),
      max: round(latency.max, 1),
    },
    failures,
  };
}
