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
  pid: number;
  /** Start time in ticks after boot: with the pid, identifies the process (pids get reused). */
  started: number;
  comm: string;
  /** utime + stime of every thread, in ticks. */
  ticks: number;
}

interface CpuSnapshot {
  at: number;
  /** By `pid:start time`. */
  processes: Map<string, ProcessTimes>;
  /** Machine-wide ticks from /proc/stat. */
  total: number;
  idle: number;
  /** Time the hypervisor gave this VM's CPUs to someone else. */
  steal: number;
}

function processTimes(pid: number): ProcessTimes | undefined {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  const fields = stat.slice(close + 2).split(' ');
  // After the command come field 3 (state) onwards: utime is field 14, stime 15, starttime 22.
  return {
    pid,
    started: Number(fields[19]),
    comm: stat.slice(open + 1, close),
    ticks: Number(fields[11]) + Number(fields[12]),
  };
}

function snapshot(): CpuSnapshot {
  const processes = new Map<string, ProcessTimes>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const times = processTimes(Number(entry));
    if (times) processes.set(`${times.pid}:${times.started}`, times);
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
    steal,
  };
}

/** A short name for a process outside the benchmark: `kworker`, `java`, `node jest`, ... */
function describeProcess(pid: number, comm: string): string {
  const base = comm.replace(/^(kworker|ksoftirqd|migration|rcu_\w+)\/.*$/, '$1');
  if (!/^node/.test(base)) return base;
  const argv = (readText(`/proc/${pid}/cmdline`) ?? '').split('\0').filter(Boolean);
  const script = argv.slice(1).find((arg) => !arg.startsWith('-'));
  if (!script) return 'node';
  const service = /dist\/services\/([^/]+)\/src\/(\w+)\.js$/.exec(script);
  if (service) return `node ${service[1]}/${service[2]}`;
  return `node ${script.split('/').slice(-2).join('/')}`;
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
 * pid, some by command name (e.g. every PostgreSQL backend, whoever's), everything else as
 * "other", and the idle share. /proc is read every `intervalMs` and the per-process deltas
 * add up, so a process that exits loses at most its last interval.
 */
export class CpuAccount {
  private first?: CpuSnapshot;
  private previous?: CpuSnapshot;
  private timer?: NodeJS.Timeout;
  /** Ticks used inside the window, by `pid:start time`. */
  private readonly used = new Map<string, { pid: number; comm: string; ticks: number }>();
  private readonly labels = new Map<string, string>();
  private topOtherCommands: string[] = [];

  constructor(
    private readonly pids: Record<string, number | undefined>,
    private readonly commands: readonly string[] = ['postgres'],
    private readonly intervalMs = 250,
  ) {}

  /** The busiest processes counted as "other" in the last window, e.g. `node jest 0.41`. */
  get topOther(): string[] {
    return this.topOtherCommands;
  }

  start(): void {
    this.first = snapshot();
    this.previous = this.first;
    this.used.clear();
    this.timer = setInterval(() => this.accumulate(), this.intervalMs);
  }

  stop(): CpuUsage {
    if (this.timer) clearInterval(this.timer);
    const last = this.accumulate();
    const first = this.first ?? last;
    const seconds = (last.at - first.at) / 1000 || 1;
    const toCores = (ticks: number) => Math.round((ticks / CLOCK_TICKS / seconds) * 100) / 100;
    const byPid = new Map<number, string>();
    for (const [name, pid] of Object.entries(this.pids)) if (pid) byPid.set(pid, name);
    const usage: Record<string, number> = {};
    for (const name of Object.keys(this.pids)) usage[name] = 0;
    for (const command of this.commands) usage[command] = 0;
    usage.other = 0;
    const others = new Map<string, number>();
    for (const [key, { pid, comm, ticks }] of this.used) {
      const group = byPid.get(pid) ?? (this.commands.includes(comm) ? comm : 'other');
      usage[group] = (usage[group] ?? 0) + ticks;
      if (group !== 'other') continue;
      const label = this.labels.get(key) ?? comm;
      others.set(label, (others.get(label) ?? 0) + ticks);
    }
    this.topOtherCommands = [...others]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .filter(([, ticks]) => toCores(ticks) >= 0.02)
      .map(([label, ticks]) => `${label} ${toCores(ticks)}`);
    const result: CpuUsage = {};
    for (const [group, ticks] of Object.entries(usage)) result[group] = toCores(ticks);
    const machineTicks = last.total - first.total;
    const cores = machineTicks / (CLOCK_TICKS * seconds);
    result.idle =
      machineTicks > 0
        ? Math.round(((last.idle - first.idle) / machineTicks) * cores * 100) / 100
        : 0;
    result.steal =
      machineTicks > 0
        ? Math.round(((last.steal - first.steal) / machineTicks) * cores * 100) / 100
        : 0;
    return result;
  }

  private accumulate(): CpuSnapshot {
    const current = snapshot();
    const previous = this.previous ?? current;
    for (const [key, times] of current.processes) {
      const before = previous.processes.get(key);
      // A process not seen before started during the window: all its time is in it.
      const delta = before ? times.ticks - before.ticks : times.ticks;
      const entry = this.used.get(key);
      if (entry) entry.ticks += delta;
      else if (delta > 0) {
        this.used.set(key, { pid: times.pid, comm: times.comm, ticks: delta });
        this.labels.set(key, describeProcess(times.pid, times.comm));
      }
    }
    this.previous = current;
    return current;
  }
}

/** What a Node process's threads are called (`/proc/<pid>/task/<tid>/comm`), by what they do. */
function threadGroup(comm: string): string {
  if (comm === 'node-MainThread' || comm === 'node') return 'main';
  if (comm.startsWith('node-V8Worker')) return 'v8 workers';
  if (comm.startsWith('libuv-worker')) return 'libuv pool';
  return 'other threads';
}

/**
 * CPU ticks used so far by a process's threads, by group: the main (JavaScript) thread, V8's
 * workers (concurrent GC and compilation), libuv's pool (WebCrypto, fs, dns) and the rest.
 * Threads that ended are no longer listed, so take deltas over a window in which the
 * process keeps its threads (a Node service under load does).
 */
export function threadTicks(pid: number): Record<string, number> {
  const groups: Record<string, number> = {};
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return groups;
  }
  for (const tid of tasks) {
    const stat = readText(`/proc/${pid}/task/${tid}/stat`);
    if (!stat) continue;
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    const group = threadGroup(comm);
    groups[group] = (groups[group] ?? 0) + Number(fields[11]) + Number(fields[12]);
  }
  return groups;
}

/** Milliseconds per clock tick of /proc's CPU times. */
export const MS_PER_TICK = 1000 / CLOCK_TICKS;
