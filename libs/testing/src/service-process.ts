import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually';
import { freePort } from './free-port';
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
  private exited: Promise<number | null>;

  private constructor(
    readonly name: ServiceName,
    readonly port: number,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(
    name: ServiceName,
    env: Record<string, string> = {},
    port?: number,
  ): Promise<ServiceProcess> {
    const chosenPort = port ?? (await freePort());
    const { logDirectory } = testEnvironment();
    mkdirSync(logDirectory, { recursive: true });
    const logFile = join(logDirectory, `${name}-${chosenPort}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(
      process.execPath,
      ['--enable-source-maps', join(REPO_ROOT, 'dist/services', name, 'src/main.js')],
      {
        env: {
          PATH: process.env.PATH ?? '',
          ...serviceEnvironment(env),
          [`${name.toUpperCase()}_PORT`]: String(chosenPort),
          HTTP_HOST: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const service = new ServiceProcess(name, chosenPort, logFile, child);
    await service.waitUntilReady();
    return service;
  }

  async waitUntilReady(timeoutMs = 60_000): Promise<void> {
    let exitCode: number | null | undefined;
    void this.exited.then((code) => (exitCode = code));
    await eventually(
      async () => {
        if (exitCode !== undefined)
          throw new Error(`${this.name} exited with ${exitCode}; see ${this.logFile}`);
        const response = await fetch(`${this.url}/health/ready`).catch(() => undefined);
        return response?.ok ? true : undefined;
      },
      {
        timeoutMs,
        intervalMs: 200,
        description: `${this.name} to be ready (log: ${this.logFile})`,
      },
    );
  }

  /** Graceful stop, as an orchestrator does it. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** A crash: no shutdown hook runs, nothing is flushed. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
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
