import autocannon from 'autocannon';
import { setTimeout as sleep } from 'node:timers/promises';
import { distribution, round } from './stats';

const IMPACTS = [1, 2, 3] as const;

/** The create body the benchmark sends; the title's second word names the phase. */
export function incidentBody(phase: string, n: number): string {
  return JSON.stringify({
    title: `bench ${phase} ${n}`,
    description: 'Outlook cannot connect since 9:00; webmail works. Reported by several users.',
    impact: IMPACTS[n % 3],
    urgency: IMPACTS[(n + 1) % 3],
  });
}

export interface BurstResult {
  phase: string;
  connections: number;
  seconds: number;
  /** 2xx responses per second over the run. */
  createsPerS: number | null;
  /** Every response per second (autocannon's mean of its per-second samples). */
  requestsPerS: number;
  created: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
}

let current: autocannon.Instance | undefined;

/** Stops the autocannon run in progress, if any (on Ctrl-C). */
export function stopLoad(): void {
  current?.stop();
}

/** One closed-loop autocannon run of `request` through the gateway, stoppable by {@link stopLoad}. */
function closedLoop(
  gatewayUrl: string,
  phase: string,
  connections: number,
  seconds: number,
  request: autocannon.Request,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    current = autocannon(
      {
        url: gatewayUrl,
        connections,
        duration: seconds,
        timeout: 30,
        title: phase,
        requests: [request],
      },
      (error, result) => {
        current = undefined;
        if (error) reject(error);
        else resolve(result);
      },
    );
  });
}

/** Closed-loop load: `connections` clients, each sending its next create as soon as the last answered. */
export async function burst(
  gatewayUrl: string,
  token: string,
  phase: string,
  connections: number,
  seconds: number,
): Promise<BurstResult> {
  let counter = 0;
  const result = await closedLoop(gatewayUrl, phase, connections, seconds, {
    method: 'POST',
    path: '/api/v1/incidents',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    setupRequest: (request) => ({ ...request, body: incidentBody(phase, (counter += 1)) }),
  });
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
  );
  return {
    phase,
    connections,
    seconds: result.duration,
    createsPerS: round(result['2xx'] / result.duration, 1),
    requestsPerS: result.requests.average,
    created: result['2xx'],
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      average: result.latency.average,
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
  };
}

export interface PacedResult {
  phase: string;
  requested: number;
  targetRatePerS: number;
  achievedRatePerS: number | null;
  created: number;
  failures: Record<string, number>;
  latencyMs: { p50: number | null; p99: number | null; max: number | null };
}

/**
 * Open-loop load: `count` creates started at a fixed rate whatever the answers, so the
 * delay measured downstream is that of a system that is not queueing.
 */
export async function paced(
  gatewayUrl: string,
  token: string,
  phase: string,
  count: number,
  ratePerS: number,
  isAborted: () => boolean,
): Promise<PacedResult> {
  const latencies: number[] = [];
  const failures: Record<string, number> = {};
  const requests: Promise<void>[] = [];
  const started = performance.now();
  let lastSent = started;
  for (let n = 1; n <= count && !isAborted(); n += 1) {
    const due = started + ((n - 1) * 1000) / ratePerS;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const begin = performance.now();
    lastSent = begin;
    requests.push(
      fetch(`${gatewayUrl}/api/v1/incidents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: incidentBody(phase, n),
        signal: AbortSignal.timeout(30_000),
      }).then(
        async (response) => {
          await response.arrayBuffer();
          if (response.status === 201) latencies.push(performance.now() - begin);
          else failures[String(response.status)] = (failures[String(response.status)] ?? 0) + 1;
        },
        (error: unknown) => {
          const name = error instanceof Error ? error.name : 'error';
          failures[name] = (failures[name] ?? 0) + 1;
        },
      ),
    );
  }
  await Promise.all(requests);
  const sendingSeconds = (lastSent - started) / 1000;
  const latency = distribution(latencies);
  return {
    phase,
    requested: requests.length,
    targetRatePerS: ratePerS,
    achievedRatePerS: sendingSeconds > 0 ? round((requests.length - 1) / sendingSeconds, 1) : null,
    created: latencies.length,
    failures,
    latencyMs: {
      p50: round(latency.p50, 1),
      p99: round(latency.p99, 1),
      max: round(latency.max, 1),
    },
  };
}

export interface ReadResult {
  phase: string;
  connections: number;
  seconds: number;
  /** 2xx answers per second over the run. */
  readsPerS: number | null;
  ok: number;
  latencyMs: { p50: number; p99: number; max: number };
  non2xx: number;
  errors: number;
}

/** Closed-loop GETs through the gateway, each client asking for `path()` as soon as its last answer came. */
export async function readBurst(
  gatewayUrl: string,
  token: string,
  phase: string,
  connections: number,
  seconds: number,
  path: () => string,
): Promise<ReadResult> {
  const result = await closedLoop(gatewayUrl, phase, connections, seconds, {
    method: 'GET',
    path: '/api/v1/incidents',
    headers: { authorization: `Bearer ${token}` },
    setupRequest: (request) => ({ ...request, path: path() }),
  });
  return {
    phase,
    connections,
    seconds: result.duration,
    readsPerS: round(result['2xx'] / result.duration, 1),
    ok: result['2xx'],
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
