import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** Every child a test file has started and not yet seen exit. */
const running = new Set<LoggedProcess>();

/**
 * A child process of a test whose output goes to a log file, stopped gracefully or
 * killed: the mechanics the harness's process wrappers share.
 */
export class LoggedProcess {
  /** The exit code once exited (null when ended by a signal); undefined while running. */
  exitCode: number | null | undefined;
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    /** Its log file, whose name says what it is. */
    readonly logFile: string,
  ) {
    running.add(this);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.exitCode = code;
        running.delete(this);
        resolve(code);
      }),
    );
  }

  static spawn(
    command: string,
    args: readonly string[],
    env: Record<string, string>,
    logFile: string,
  ): LoggedProcess {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    return new LoggedProcess(child, logFile);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Sends SIGTERM and does not wait: for watching what the process does while it stops. Resolves to its exit code (null when a signal ended it). */
  terminate(): Promise<number | null> {
    if (this.running) this.child.kill('SIGTERM');
    return this.exited;
  }

  /** Resolves to the exit code (null when a signal ended it) once the process has exited by itself or otherwise. */
  waitForExit(): Promise<number | null> {
    return this.exited;
  }

  /** SIGSTOP / SIGCONT: a process frozen, as by a long GC pause or a stalled host, then thawed. */
  signal(signal: 'SIGSTOP' | 'SIGCONT'): void {
    if (this.running) this.child.kill(signal);
  }

  /** A crash: no shutdown hook runs, nothing is flushed. */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

/**
 * Kills whatever a test file left running, e.g. after a hook timed out before its
 * `afterAll` could stop the services; otherwise their relays, consumers and schedulers
 * would go on working on the shared test database under later suites. Returns the log
 * files of those it killed.
 */
export async function killLeftoverProcesses(): Promise<string[]> {
  const leftovers = [...running];
  await Promise.all(leftovers.map((process) => process.kill()));
  return leftovers.map((process) => process.logFile);
}
