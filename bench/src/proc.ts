import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second, the unit of the CPU times in /proc/<pid>/stat. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Resident set size of a process in KiB (VmRSS), or undefined when it is gone. */
export function residentKiB(pid: number): number | undefined {
  const status = readText(`/proc/${pid}/status`);
  const match = status?.match(/^VmRSS:\s+(\d+)\s+kB/m);
  return match?.[1] ? Number(match[1]) : undefined;
}

/** Samples the RSS of some processes every `intervalMs` and keeps the peak of each. */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly pids: Record<string, number>,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
  }

  /** Peak RSS per process name, in MiB. */
  stop(): Record<string, number> {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return Object.fromEntries(
      [...this.peaks].map(([name, kib]) => [name, Math.round((kib / 1024) * 10) / 10]),
    );
  }

  private sample(): void {
    for (const [name, pid] of Object.entries(this.pids)) {
      const kib = residentKiB(pid);
      if (kib !== undefined) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, kib));
    }
  }
}

interface ProcessTimes {
  comm: string;
  /** utime + stime of every thread, in ticks. */
  ticks: number;
}

interface CpuSnapshot {
  at: number;
  processes: Map<number, ProcessTimes>;
  /** Machine-wide ticks from /proc/stat. */
  total: number;
  idle: number;
}

function processTimes(pid: number): ProcessTimes | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  // After the command come field 3 (state) onwards: utime is field 14, stime field 15.
  return {
    comm: stat.slice(open + 1, close),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}

function snapshot(): CpuSnapshot {
  const processes = new Map<number, ProcessTimes>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const times = processTimes(Number(entry));
    if (times) processes.set(Number(entry), times);
  }
  const [cpuLine = ''] = (readText('/proc/stat') ?? '').split('\n');
  const values = cpuLine.trim().split(/\s+/).slice(1, 9).map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    values;
  return {
    at: Date.now(),
    processes,
    total: user + nice + system + idle + iowait + irq + softirq + steal,
    idle: idle + iowait,
  };
}

/** The pid of a running process whose command line contains `fragment`, if any. */
export function findProcess(fragment: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = readText(`/proc/${entry}/cmdline`)?.replace(/\0/g, ' ');
    if (cmdline?.includes(fragment)) return Number(entry);
  }
  return undefined;
}

/** CPU used during a window, in cores (1.0 = one core busy the whole window), by group. */
export type CpuUsage = Record<string, number>;

/**
 * Measures where the machine's CPU went between `start()` and `stop()`: named processes by
 * pid, PostgreSQL by process name (every backend, whoever's), everything else as "other",
 * and the idle share. Processes that start and end inside the window are missed.
 */
export class CpuAccount {
  private before?: CpuSnapshot;

  constructor(
    private readonly pids: Record<string, number | undefined>,
    /** Processes grouped by their command name (every PostgreSQL backend, whoever's). */
    private readonly commands: readonly string[] = ['postgres'],
  ) {}

  start(): void {
    this.before = snapshot();
  }

  stop(): CpuUsage {
    const before = this.before ?? snapshot();
    const after = snapshot();
    const seconds = (after.at - before.at) / 1000;
    const byPid = new Map<number, string>();
    for (const [name, pid] of Object.entries(this.pids)) if (pid) byPid.set(pid, name);
    const usage: Record<string, number> = {};
    for (const name of Object.keys(this.pids)) usage[name] = 0;
    for (const command of this.commands) usage[command] = 0;
    usage.other = 0;
    for (const [pid, times] of after.processes) {
      const previous = before.processes.get(pid);
      const ticks = times.ticks - (previous && previous.comm === times.comm ? previous.ticks : 0);
      const group =
        byPid.get(pid) ?? (this.commands.includes(times.comm) ? times.comm : 'other');
      usage[group] = (usage[group] ?? 0) + ticks;
    }
    const machineTicks = after.total - before.total;
    const cores = machineTicks / (CLOCK_TICKS * seconds);
    const result: CpuUsage = {};
    for (const [group, ticks] of Object.entries(usage))
      result[group] = Math.round((ticks / CLOCK_TICKS / seconds) * 100) / 100;
    result.idle =
      machineTicks > 0
        ? Math.round(((after.idle - before.idle) / machineTicks) * cores * 100) / 100
        : 0;
    return result;
  }
}
