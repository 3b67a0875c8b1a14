/** `GET /api/v1/sla-timers?recordId=` (docs/slm.md): the fields the console shows. */
export interface SlaTimer {
  id: string;
  slaName: string;
  kind: 'sla' | 'ola';
  target: 'response' | 'resolution';
  state: 'running' | 'paused' | 'met' | 'breached' | 'cancelled';
  startedAt: string;
  /** Null while paused. */
  dueAt: string | null;
  elapsedMs: number;
  durationMs: number;
  percentUsed: number;
  breachedAt: string | null;
  stoppedAt: string | null;
  pauseReason: string | null;
}

/** What a timer's line says at a moment: how it stands, and the time left or over. */
export interface TimerStatus {
  tone: 'ok' | 'warning' | 'breached' | 'paused' | 'done';
  /** Milliseconds to the due time (negative: past it) while the clock runs; else undefined. */
  remainingMs?: number;
  /** Percentage of the target used, as of `now` for a running timer. */
  percentUsed: number;
}

/** Past this share of its target a running timer is shown as a warning (the SLA's first threshold by default). */
const WARNING_PERCENT = 75;

/**
 * A running timer counts down to `dueAt` in the browser between reads. The slm computes the
 * due time on the SLA's business calendar, so the wall-clock time to it is what is left;
 * the percentage is extrapolated on the 24x7 assumption and corrected by the next read.
 */
export function timerStatus(timer: SlaTimer, now: number): TimerStatus {
  const counting = timer.stoppedAt === null && timer.dueAt !== null;
  const remainingMs = counting ? Date.parse(timer.dueAt as string) - now : undefined;
  if (timer.state === 'met' || timer.state === 'cancelled') {
    return { tone: 'done', percentUsed: timer.percentUsed };
  }
  if (timer.state === 'paused') return { tone: 'paused', percentUsed: timer.percentUsed };
  const percentUsed =
    remainingMs === undefined || timer.durationMs <= 0
      ? timer.percentUsed
      : Math.max(timer.percentUsed, 100 - (remainingMs / timer.durationMs) * 100);
  if (timer.state === 'breached' || (remainingMs !== undefined && remainingMs < 0)) {
    return { tone: 'breached', remainingMs, percentUsed };
  }
  return { tone: percentUsed >= WARNING_PERCENT ? 'warning' : 'ok', remainingMs, percentUsed };
}

/** `1d 2h 03m`, `2h 05m 09s`, `4m 09s`, `12s`: to the second, so that the countdown moves. */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const pad = (value: number) => String(value).padStart(2, '0');
  if (days > 0) return `${days}d ${hours}h ${pad(minutes)}m`;
  if (hours > 0) return `${hours}h ${pad(minutes)}m ${pad(rest)}s`;
  if (minutes > 0) return `${minutes}m ${pad(rest)}s`;
  return `${rest}s`;
}
