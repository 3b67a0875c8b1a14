import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The services the create pipeline benchmark runs. */
export type PipelineService = 'gateway' | 'incident' | 'reporting';
export type BenchedService = PipelineService | 'slm' | 'cmdb' | 'problem' | 'change';

/** A TCP port free on the loopback interface right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no free port')),
      );
    });
  });
}

/** What start.sh (deploy/local/common.sh) holds each service's own identity keys under. */
const LOCAL_IDENTITY_KEY = /^ITSM_LOCAL_[A-Z]+_(SIGNING_KEY|TRUSTED_SERVICE_KEYS)$/;

/**
 * A service's environment with only its own key material, as `npm start` hands it out
 * (docs/adr/0009, 0012): the gateway's private key to the gateway alone; a service that
 * calls others as itself its own private key (from `ITSM_LOCAL_<SERVICE>_SIGNING_KEY`); a
 * service called the public keys of its callers (`ITSM_LOCAL_<SERVICE>_TRUSTED_SERVICE_KEYS`).
 * run.sh exports those; a benchmark that passes only some variables gets them from its own
 * environment.
 */
export function withOwnIdentityKeys(
  name: BenchedService,
  env: Record<string, string>,
): Record<string, string> {
  const own: Record<string, string> = {};
  for (const [variable, value] of Object.entries(env)) {
    const foreign =
      LOCAL_IDENTITY_KEY.test(variable) ||
      variable.startsWith('ITSM_SERVICE_IDENTITY_SIGNING_KEY') ||
      (name !== 'gateway' && variable.startsWith('ITSM_INTERNAL_IDENTITY_SIGNING_KEY'));
    if (!foreign) own[variable] = value;
  }
  const local = (suffix: string) => {
    const variable = `ITSM_LOCAL_${name.toUpperCase()}_${suffix}`;
    return env[variable] ?? process.env[variable];
  };
  const signingKey = local('SIGNING_KEY');
  const trustedKeys = local('TRUSTED_SERVICE_KEYS');
  if (signingKey) own.ITSM_SERVICE_IDENTITY_SIGNING_KEY = signingKey;
  if (trustedKeys) own.ITSM_TRUSTED_SERVICE_KEYS = trustedKeys;
  return own;
}

/**
 * One service run from the build output as its own process, as `npm start` runs it. Unlike
 * the test harness's ServiceProcess it exposes the pid, for RSS and CPU sampling.
 */
export class BenchService {
  private readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: BenchedService,
    readonly port: number,
    readonly logFile: string,
    private readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        resolve(code);
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  static spawn(
    repoRoot: string,
    name: BenchedService,
    port: number,
    env: Record<string, string>,
    logDirectory: string,
    pidFile: string | undefined,
    /** Extra Node options, e.g. `--inspect=127.0.0.1:<port>` for the profiler. */
    nodeArgs: readonly string[] = [],
  ): BenchService {
    mkdirSync(logDirectory, { recursive: true });
    const logFile = join(logDirectory, `${name}.log`);
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(
      process.execPath,
      // As npm start, the image and the tests run a service (docs/adr/0024).
      [
        '--enable-source-maps',
        '--max-semi-space-size=8',
        ...nodeArgs,
        join(repoRoot, 'dist/services', name, 'src/main.js'),
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          // A benchmark runs the platform on this machine, with its local credentials and seeded users.
          NODE_ENV: 'development',
          ...withOwnIdentityKeys(name, env),
          [`${name.toUpperCase()}_PORT`]: String(port),
          // Nothing scrapes a benchmark's services; off, so that they never collide with `npm start`'s.
          [`${name.toUpperCase()}_METRICS_PORT`]: 'off',
          HTTP_HOST: '127.0.0.1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    // run.sh kills what is still listed here if this process dies without cleaning up.
    if (pidFile && child.pid) appendFileSync(pidFile, `${child.pid} ${name}\n`);
    return new BenchService(name, port, logFile, child);
  }

  async waitUntilReady(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running)
        throw new Error(`${this.name} exited during start-up; see ${this.logFile}`);
      const response = await fetch(`${this.url}/health/ready`).catch(() => undefined);
      if (response?.ok) return;
      if (Date.now() > deadline)
        throw new Error(`${this.name} was not ready after ${timeoutMs} ms; see ${this.logFile}`);
      await sleep(200);
    }
  }

  /** Graceful stop (SIGTERM), SIGKILL after 15 s. Resolves to whether it had to be killed. */
  async stop(): Promise<boolean> {
    if (!this.running) return false;
    this.child.kill('SIGTERM');
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      this.child.kill('SIGKILL');
    }, 15_000);
    await this.exited;
    clearTimeout(timer);
    return killed;
  }

  /** Lines the service logged, by pino level (the services run with LOG_LEVEL=warn). */
  logSummary(): { lines: number; byLevel: Record<string, number>; samples: string[] } {
    let text: string;
    try {
      text = readFileSync(this.logFile, 'utf8');
    } catch {
      return { lines: 0, byLevel: {}, samples: [] };
    }
    const names: Record<number, string> = {
      10: 'trace',
      20: 'debug',
      30: 'info',
      40: 'warn',
      50: 'error',
      60: 'fatal',
    };
    const byLevel: Record<string, number> = {};
    const samples = new Map<string, number>();
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    for (const line of lines) {
      let level = 'unparsed';
      let message = line;
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; context?: string };
        level = names[entry.level ?? -1] ?? String(entry.level);
        message = `[${level}] ${entry.context ? `${entry.context}: ` : ''}${entry.msg ?? ''}`;
      } catch {
        // not JSON (e.g. a Node warning on stderr): counted as is
      }
      byLevel[level] = (byLevel[level] ?? 0) + 1;
      const key = message.slice(0, 300);
      samples.set(key, (samples.get(key) ?? 0) + 1);
    }
    return {
      lines: lines.length,
      byLevel,
      samples: [...samples]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([message, count]) => `${count}x ${message}`),
    };
  }
}

/** Gateway, incident and reporting on free ports, the gateway pointed at the other two. */
export async function startServices(
  repoRoot: string,
  env: Record<string, string>,
  logDirectory: string,
  pidFile: string | undefined,
  register: (service: BenchService) => void,
): Promise<Record<PipelineService, BenchService>> {
  const names: PipelineService[] = ['incident', 'reporting', 'gateway'];
  const ports = new Map<PipelineService, number>();
  for (const name of names) ports.set(name, await freePort());
  const upstreams = {
    INCIDENT_URL: `http://127.0.0.1:${ports.get('incident')}`,
    REPORTING_URL: `http://127.0.0.1:${ports.get('reporting')}`,
  };
  const services = names.map((name) => {
    // As in a deployment, each gets only its own keys (withOwnIdentityKeys, in spawn).
    const service = BenchService.spawn(
      repoRoot,
      name,
      ports.get(name) ?? 0,
      { ...env, ...upstreams },
      logDirectory,
      pidFile,
    );
    register(service);
    return service;
  });
  await Promise.all(services.map((service) => service.waitUntilReady()));
  const [incident, reporting, gateway] = services as [BenchService, BenchService, BenchService];
  return { incident, reporting, gateway };
}

/** A bearer token for one of local mode's seeded users (named after their role), from the gateway. */
export async function issueToken(gatewayUrl: string, username: string): Promise<string> {
  const response = await fetch(`${gatewayUrl}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: process.env.ITSM_DEV_PASSWORD ?? 'itsm-dev' }),
  });
  if (!response.ok)
    throw new Error(`POST /api/v1/auth/token for ${username} answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}
