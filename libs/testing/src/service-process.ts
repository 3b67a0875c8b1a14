import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { eventually } from './eventually';
import { freePort } from './free-port';
import { LoggedProcess } from './logged-process';
import { REPO_ROOT, serviceEnvironment, testEnvironment } from './test-environment';

export type ServiceName =
  'gateway' | 'incident' | 'problem' | 'change' | 'slm' | 'cmdb' | 'reporting';
export const ALL_SERVICES: readonly ServiceName[] = [
  'gateway',
  'incident',
  'problem',
  'change',
  'slm',
  'cmdb',
  'reporting',
];

/** A service running as its own process from the built output, exactly as `npm start` runs it. */
export class ServiceProcess {
  private constructor(
    readonly name: ServiceName,
    readonly port: number,
    readonly metricsPort: number,
    readonly logFile: string,
    private readonly child: LoggedProcess,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Where the service serves Prometheus' `/metrics` (not on its API port). */
  get metricsUrl(): string {
    return `http://127.0.0.1:${this.metricsPort}`;
  }

  static async start(
    name: ServiceName,
    env: Record<string, string> = {},
    port?: number,
  ): Promise<ServiceProcess> {
    const chosenPort = port ?? (await freePort());
    const metricsPort = await freePort();
    const { logDirectory } = testEnvironment();
    mkdirSync(logDirectory, { recursive: true });
    const logFile = join(logDirectory, `${name}-${chosenPort}.log`);
    const child = LoggedProcess.spawn(
      process.execPath,
      // As every launcher runs a service (docs/adr/0024).
      [
        '--enable-source-maps',
        '--max-semi-space-size=8',
        join(REPO_ROOT, 'dist/services', name, 'src/main.js'),
      ],
      {
        PATH: process.env.PATH ?? '',
        ...serviceEnvironment(name, env),
        [`${name.toUpperCase()}_PORT`]: String(chosenPort),
        [`${name.toUpperCase()}_METRICS_PORT`]: String(metricsPort),
        HTTP_HOST: '127.0.0.1',
      },
      logFile,
    );
    const service = new ServiceProcess(name, chosenPort, metricsPort, logFile, child);
    try {
      await service.waitUntilReady();
    } catch (error) {
      // Not ready in time is a failed start: the process must not come up later, unowned.
      await service.kill();
      throw error;
    }
    return service;
  }

  /** 60 s, or `ITSM_TEST_READY_TIMEOUT_MS` on a machine busy enough to start services slower. */
  async waitUntilReady(
    timeoutMs = Number(process.env.ITSM_TEST_READY_TIMEOUT_MS ?? 60_000),
  ): Promise<void> {
    // A process that exits while starting fails the start at once, not at the deadline.
    const outcome = await eventually(
      async () => {
        if (this.child.exitCode !== undefined) return 'exited' as const;
        const response = await fetch(`${this.url}/health/ready`).catch(() => undefined);
        return response?.ok ? ('ready' as const) : undefined;
      },
      {
        timeoutMs,
        intervalMs: 200,
        description: `${this.name} to be ready (log: ${this.logFile})`,
      },
    );
    if (outcome === 'exited')
      throw new Error(
        `${this.name} exited with ${this.child.exitCode}; the end of ${this.logFile}:\n${logTail(this.logFile)}`,
      );
  }

  /** Graceful stop, as an orchestrator does it. */
  stop(): Promise<void> {
    return this.child.stop();
  }

  /** SIGTERM without waiting, as Kubernetes sends it: resolves to the exit code once it has exited. */
  terminate(): Promise<number | null> {
    return this.child.terminate();
  }

  /** A crash: no shutdown hook runs, nothing is flushed. */
  kill(): Promise<void> {
    return this.child.kill();
  }

  /** Freezes the process (SIGSTOP): it holds its connections but answers nothing, heartbeats included. */
  pause(): void {
    this.child.signal('SIGSTOP');
  }

  resume(): void {
    this.child.signal('SIGCONT');
  }

  /** Resolves once the process has exited, however: for a process that is expected to end itself. */
  waitForExit(): Promise<number | null> {
    return this.child.waitForExit();
  }
}

/** Several services started together and stopped together. */
export class RunningPlatform {
  private constructor(private readonly services: Map<ServiceName, ServiceProcess>) {}

  static async start(
    names: readonly ServiceName[],
    env: Record<string, string> = {},
  ): Promise<RunningPlatform> {
    const ports = new Map<ServiceName, number>();
    for (const name of names) ports.set(name, await freePort());
    const upstreams: Record<string, string> = {};
    for (const [name, port] of ports)
      upstreams[`${name.toUpperCase()}_URL`] = `http://127.0.0.1:${port}`;
    const started = await Promise.allSettled(
      names.map((name) => ServiceProcess.start(name, { ...upstreams, ...env }, ports.get(name))),
    );
    const services = new Map<ServiceName, ServiceProcess>();
    started.forEach(
      (result) => result.status === 'fulfilled' && services.set(result.value.name, result.value),
    );
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      await Promise.all([...services.values()].map((service) => service.stop()));
      throw failure.reason;
    }
    return new RunningPlatform(services);
  }

  service(name: ServiceName): ServiceProcess {
    const service = this.services.get(name);
    if (!service) throw new Error(`${name} is not part of this platform`);
    return service;
  }

  get gatewayUrl(): string {
    return this.service('gateway').url;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.services.values()].map((service) => service.stop()));
  }
}

/** The last lines of a service's log, without colours: why it stopped, in the test's own failure. */
function logTail(logFile: string, lines = 20): string {
  try {
    return stripVTControlCharacters(readFileSync(logFile, 'utf8'))
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .map((line) => line.slice(0, 500))
      .join('\n');
  } catch {
    return '(no log)';
  }
}
