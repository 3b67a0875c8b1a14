import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { eventually, freePort, identityKeyPair, REPO_ROOT, TEST_DATABASE } from '@itsm/testing';

// The platform's image (deploy/image), as the Helm chart runs it: built (or reused from the
// layer cache), inspected, then the incident service's migrate step and the service itself
// run from it with Debian's podman under the restrictions of Kubernetes' restricted Pod
// Security level, in production mode, against the local Kafka and PostgreSQL.

const run = promisify(execFile);
const ENGINE_SCRIPT = join(REPO_ROOT, 'deploy/image/engine.sh');
const BUILD_SCRIPT = join(REPO_ROOT, 'deploy/image/build.sh');
const INCIDENT = 'dist/services/incident/src';

interface ImageConfig {
  User: string;
  Entrypoint: string[];
  Cmd: string[];
  Env: string[];
  WorkingDir: string;
  Labels: Record<string, string>;
}

async function bash(script: string, args: string[] = [], env = process.env): Promise<string> {
  const { stdout } = await run('bash', [script, ...args], {
    env,
    maxBuffer: 64 << 20,
    cwd: REPO_ROOT,
  });
  return stdout;
}

const lines = (text: string) => text.split('\n').filter(Boolean);

/** The image is built into podman's storage, so that podman runs it here. */
const builderEnvironment = {
  ...process.env,
  ITSM_IMAGE_BUILDER: process.env.ITSM_IMAGE_BUILDER === 'buildah' ? 'buildah' : 'podman',
};

let image: string;
let podmanOptions: string[];
let limits: string[];
const containers: string[] = [];

async function podman(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string }> {
  return run('podman', [...podmanOptions, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    maxBuffer: 64 << 20,
  });
}

/**
 * `podman run` options of a pod under the restricted Pod Security level with a read-only
 * root filesystem: a numeric non-root user, no capabilities, /tmp the only writable place.
 */
function restrictedRunOptions(name: string, env: Record<string, string>): string[] {
  containers.push(name);
  return [
    '--name',
    name,
    '--network',
    'host',
    '--read-only',
    '--tmpfs',
    '/tmp',
    '--user',
    '10001',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    ...limits,
    // By name only: the values (a password, a key) reach podman through its environment, not its arguments.
    ...Object.keys(env).flatMap((variable) => ['--env', variable]),
  ];
}

/** Runs a short-lived command in a container of the image (entry point node) and returns its output. */
async function nodeInImage(script: string): Promise<string> {
  const name = `itsm-image-probe-${randomBytes(4).toString('hex')}`;
  const { stdout } = await podman([
    'run',
    '--rm',
    ...restrictedRunOptions(name, {}),
    image,
    '-e',
    script,
  ]);
  return stdout;
}

beforeAll(async () => {
  await bash(ENGINE_SCRIPT, ['ensure-podman']);
  podmanOptions = lines(await bash(ENGINE_SCRIPT, ['storage-options', 'podman']));
  // runc where it is installed: crun refuses hybrid cgroup hierarchies such as this machine's.
  const runc = await run('bash', ['-c', 'command -v runc']).catch(() => undefined);
  if (runc) podmanOptions.push('--runtime', 'runc');
  // Within this machine's limits: podman's defaults (1048576 open files, 4194304
  // processes) are above the hard limits a sandboxed runner allows, and the runtime may not
  // raise them. 4096 processes are plenty for one Node.js process and its threads.
  const [softFiles, hardFiles] = lines(
    (await run('bash', ['-c', 'ulimit -Sn; ulimit -Hn'])).stdout,
  ).map((value) => (value === 'unlimited' ? '-1' : value));
  limits = ['--ulimit', `nofile=${softFiles}:${hardFiles}`, '--ulimit', 'nproc=4096:4096'];
  image =
    process.env.ITSM_IMAGE_REF ?? lines(await bash(BUILD_SCRIPT, [], builderEnvironment)).pop()!;
}, 1_800_000);

afterAll(async () => {
  if (containers.length > 0) await podman(['rm', '--force', '--ignore', ...containers]);
});

describe('the platform image', () => {
  let config: ImageConfig;

  beforeAll(async () => {
    const { stdout } = await podman(['image', 'inspect', image]);
    [{ Config: config }] = JSON.parse(stdout) as { Config: ImageConfig }[];
  });

  it('runs as the numeric non-root user 10001, so that runAsNonRoot can verify it', async () => {
    expect(config.User).toBe('10001:10001');
    expect(await nodeInImage('console.log(process.getuid(), process.getgid())')).toBe(
      '10001 10001\n',
    );
  });

  it('starts node with source maps and an 8 MiB young generation from /app, serving the gateway unless told otherwise', () => {
    expect(config.WorkingDir).toBe('/app');
    expect(config.Entrypoint).toEqual(['node', '--enable-source-maps', '--max-semi-space-size=8']);
    expect(config.Cmd).toEqual(['dist/services/gateway/src/main.js']);
    expect(config.Env).toContain('NODE_ENV=production');
  });

  it('runs the Node.js version package.json pins', async () => {
    const pinned = (
      JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
        devDependencies: Record<string, string>;
      }
    ).devDependencies.node;
    expect(await nodeInImage('console.log(process.versions.node)')).toBe(`${pinned}\n`);
  });

  it('says what it is in the OCI labels', () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(config.Labels).toMatchObject({
      'org.opencontainers.image.title': 'ITSM platform',
      'org.opencontainers.image.licenses': 'Apache-2.0',
      'org.opencontainers.image.version': version,
    });
    expect(Object.keys(config.Labels)).toEqual(
      expect.arrayContaining([
        'org.opencontainers.image.source',
        'org.opencontainers.image.revision',
      ]),
    );
  });

  it('holds every entry point the chart runs, and no development package, benchmark or npm', async () => {
    const lockfile = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    // Top-level packages only development needs, e.g. jest and typescript.
    const developmentOnly = Object.entries(lockfile.packages)
      .filter(([path, entry]) => entry.dev && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path))
      .map(([path]) => path.slice('node_modules/'.length));
    expect(developmentOnly).toEqual(expect.arrayContaining(['jest', 'typescript', 'eslint', 'nx']));
    const contents = JSON.parse(
      await nodeInImage(`
        const { existsSync, readdirSync } = require('node:fs');
        const packages = readdirSync('node_modules').flatMap((name) =>
          name.startsWith('@') ? readdirSync('node_modules/' + name).map((inner) => name + '/' + inner) : [name]);
        const files = readdirSync('dist', { recursive: true });
        console.log(JSON.stringify({
          packages,
          entryPoints: files.filter((file) => /(main|migrate|smoke-test)\\.js$/.test(file)),
          specs: files.filter((file) => /spec\\.js$/.test(file)),
          bench: existsSync('dist/bench'),
          npm: existsSync('/usr/local/bin/npm') || existsSync('/usr/local/lib/node_modules/npm'),
        }));`),
    ) as {
      packages: string[];
      entryPoints: string[];
      specs: string[];
      bench: boolean;
      npm: boolean;
    };
    expect(contents.packages).toEqual(expect.arrayContaining(['@nestjs/core', 'kafkajs', 'pg']));
    expect(contents.packages.filter((name) => developmentOnly.includes(name))).toEqual([]);
    for (const service of ['gateway', 'incident', 'problem', 'change', 'slm', 'cmdb', 'reporting'])
      expect(contents.entryPoints).toEqual(
        expect.arrayContaining([
          `services/${service}/src/main.js`,
          `services/${service}/src/migrate.js`,
        ]),
      );
    expect(contents).toMatchObject({ specs: [], bench: false, npm: false });
  });
});

describe('a service run from the image with a read-only root filesystem', () => {
  const suffix = randomBytes(4).toString('hex');
  const role = `itsm_image_${suffix}`;
  const database = `${TEST_DATABASE}_image`;
  let admin: Client;
  let environment: Record<string, string>;
  let port: number;

  /**
   * Production refuses the local development credentials, so the service gets a role and
   * database of its own. Creating a role needs CREATEROLE, which the local `itsm` role
   * lacks: then the local superuser does it (or ITSM_TEST_ADMIN_DATABASE_URL's).
   */
  async function administrator(): Promise<Client> {
    const viaTestRole = new Client({ connectionString: process.env.DATABASE_URL });
    await viaTestRole.connect();
    const { rows } = await viaTestRole.query<{ allowed: boolean }>(
      'SELECT rolcreaterole OR rolsuper AS allowed FROM pg_roles WHERE rolname = current_user',
    );
    if (rows[0]?.allowed) return viaTestRole;
    await viaTestRole.end();
    const url = new URL(process.env.DATABASE_URL as string);
    url.username = 'postgres';
    url.password = 'postgres';
    const superuser = new Client({
      connectionString: process.env.ITSM_TEST_ADMIN_DATABASE_URL ?? url.toString(),
    });
    await superuser.connect();
    return superuser;
  }

  beforeAll(async () => {
    admin = await administrator();
    const password = randomBytes(24).toString('hex');
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
    await admin.query(`CREATE DATABASE "${database}" OWNER "${role}"`);
    const databaseUrl = new URL(process.env.DATABASE_URL as string);
    databaseUrl.username = role;
    databaseUrl.password = password;
    databaseUrl.pathname = `/${database}`;
    port = await freePort();
    environment = {
      DATABASE_URL: databaseUrl.toString(),
      KAFKA_BROKERS: process.env.KAFKA_BROKERS as string,
      KAFKA_CONSUMER_GROUP_PREFIX: `itsm-image-test-${suffix}`,
      // Only what happens from now on: the topics hold every earlier run's events.
      KAFKA_CONSUMER_START: 'latest',
      ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: identityKeyPair().verificationKeys,
      HTTP_HOST: '127.0.0.1',
      INCIDENT_PORT: String(port),
      INCIDENT_METRICS_PORT: String(await freePort()),
    };
  });

  afterAll(async () => {
    if (!admin) return;
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.query(`DROP ROLE IF EXISTS "${role}"`);
    await admin.end();
  });

  it('migrates, answers ready against Kafka and PostgreSQL, and stops cleanly on SIGTERM', async () => {
    const migrate = `itsm-image-migrate-${suffix}`;
    await podman(
      [
        'run',
        '--rm',
        ...restrictedRunOptions(migrate, environment),
        image,
        `${INCIDENT}/migrate.js`,
      ],
      environment,
    );

    const service = `itsm-image-incident-${suffix}`;
    await podman(
      [
        'run',
        '--detach',
        ...restrictedRunOptions(service, environment),
        image,
        `${INCIDENT}/main.js`,
      ],
      environment,
    );
    const logs = async () => {
      const { stdout, stderr } = await podman(['logs', service]);
      return stdout + stderr;
    };
    await eventually(
      async () => {
        const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
        return response.status === 200 ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500, description: 'the incident service to be ready' },
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}\n${await logs()}`);
    });
    expect(await logs()).toContain('(production mode)');
    // Nothing written, not even to the one writable place a pod would have.
    const { stdout: temporaryFiles } = await podman([
      'exec',
      service,
      'node',
      '-e',
      'console.log(JSON.stringify(require("node:fs").readdirSync("/tmp")))',
    ]);
    expect(JSON.parse(temporaryFiles)).toEqual([]);

    // podman stop sends SIGTERM, and SIGKILL only after the 30 s grace period.
    const stopping = Date.now();
    await podman(['stop', '--time', '30', service]);
    const stoppedInMs = Date.now() - stopping;
    const { stdout } = await podman(['inspect', service, '--format', '{{.State.ExitCode}}']);
    const output = await logs();
    // Exit code 0: the service exited by itself, not by the SIGKILL (137) after the grace period.
    expect(stdout.trim()).toBe('0');
    expect(stoppedInMs).toBeLessThan(15_000);
    expect(output).toContain('SIGTERM: shutting down');
    expect(output).toMatch(/shut down in \d+ ms/);
  });
});
