import { AsyncLocalStorage } from 'node:async_hooks';

export interface PeriodicRoundsOptions {
  intervalMs: number;
  round: () => Promise<void>;
  /** A failed round: reported here, and the next tick tries again. */
  onError: (error: unknown) => void;
}

/**
 * Runs a job's round every `intervalMs` until stopped, never two rounds at once: a tick
 * that finds the previous round still running (much work, a slow database) is skipped.
 * For the jobs every replica runs, each claiming its work in PostgreSQL (`FOR UPDATE SKIP
 * LOCKED`, a unique claim) so that the work is done once however many replicas tick.
 */
export class PeriodicRounds {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /**
   * The async context the rounds were started in. A round triggered from a request must
   * not run in the request's: it would join the request's transaction (ADR 21).
   */
  private inStartingContext: <R>(run: () => R) => R = (run) => run();

  constructor(private readonly options: PeriodicRoundsOptions) {}

  start(): void {
    if (this.timer) return;
    this.inStartingContext = AsyncLocalStorage.snapshot();
    this.timer = setInterval(() => this.trigger(), this.options.intervalMs);
  }

  /**
   * A round now, without waiting for the next tick (e.g. work was just queued), unless one
   * is running or the rounds are stopped.
   */
  trigger(): void {
    if (!this.timer) return;
    this.running ??= this.inStartingContext(() => this.options.round())
      .catch((error: unknown) => this.options.onError(error))
      .finally(() => (this.running = undefined));
  }

  /** No more rounds; resolves once the one running, if any, has finished. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
