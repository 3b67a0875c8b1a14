import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { identityKeyPair, serviceIdentityKeys } from './identity-keys';
import { migrateServices } from './service-migrations';
import { REPO_ROOT, TEST_DATABASE } from './test-environment';
import { checkSchemaFallback, recreateTestDatabase } from './test-database-guard';

const run = promisify(execFile);
const SERVICES = ['gateway', 'incident', 'problem', 'change', 'slm', 'cmdb', 'reporting'];

async function ensureInfrastructure(): Promise<void> {
  if (process.env.KAFKA_BROKERS && process.env.DATABASE_URL) return;
  // Run outside `npm test` (e.g. `npx jest`): bring up, or reuse, the local Kafka and PostgreSQL.
  const { stdout } = await run('bash', [join(REPO_ROOT, 'deploy/local/infra.sh'), 'up'], {
    maxBuffer: 1 << 20,
  });
  for (const line of stdout.split('\n')) {
    const [name, ...value] = line.split('=');
    if (name && value.length > 0) process.env[name] = value.join('=');
  }
}

/**
 * Claims the test database for this run. A second Jest run started while one is going
 * (a unit test run by hand, say) would drop the database under the first one's services
 * and fail it in ways that look like bugs; it is refused instead, naming the run that holds
 * it. A claim whose process is gone is stale and taken over.
 */
function claimTestDatabase(): void {
  const lockFile = join(REPO_ROOT, '.local', `${TEST_DATABASE}.run`);
  let holder: number | undefined;
  try {
    holder = Number(readFileSync(lockFile, 'utf8'));
  } catch {
    holder = undefined;
  }
  if (holder && holder !== process.pid && isRunning(holder)) {
    throw new Error(
      `another test run (pid ${holder}) is using the ${TEST_DATABASE} database; wait for it to end, or set ITSM_TEST_DATABASE_NAME to run beside it`,
    );
  }
  mkdirSync(join(REPO_ROOT, '.local'), { recursive: true });
  writeFileSync(lockFile, String(process.pid));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A fresh test database per run; where the role may not create databases, fresh service
 * schemas in the given one. Nothing is dropped that the harness did not make (see
 * test-database-guard.ts).
 */
async function freshTestDatabase(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await recreateTestDatabase(client, TEST_DATABASE);
    const url = new URL(databaseUrl);
    url.pathname = `/${TEST_DATABASE}`;
    return url.toString();
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    checkSchemaFallback(databaseUrl, TEST_DATABASE);
    for (const schema of SERVICES) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    return databaseUrl;
  } finally {
    await client.end();
  }
}

/**
 * Once per `npm test` run, before any suite: Kafka and PostgreSQL are up, the test
 * database is new and every service's migrate step has run against it, as `npm start`
 * does before starting the services.
 */
export default async function globalSetup(): Promise<void> {
  claimTestDatabase();
  await ensureInfrastructure();
  const databaseUrl = await freshTestDatabase(process.env.DATABASE_URL as string);
  process.env.ITSM_TEST_DATABASE_URL = databaseUrl;
  process.env.ITSM_TEST_GROUP_PREFIX = `itsm-test-${Date.now().toString(36)}`;
  // The run's consumer groups skip what earlier runs (or `npm start`, or a benchmark) left on the topics.
  process.env.ITSM_TEST_STARTED_AT = new Date().toISOString();
  // A key pair of this run only, so that no key for the internal identity is ever checked in.
  const keys = identityKeyPair();
  process.env.ITSM_INTERNAL_IDENTITY_SIGNING_KEY = keys.signingKey;
  process.env.ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS = keys.verificationKeys;
  // And one per service that calls another as itself (ADR 12), with the trust each callee needs.
  process.env.ITSM_TEST_SERVICE_IDENTITY_KEYS = JSON.stringify(serviceIdentityKeys());
  process.env.ITSM_TEST_LOG_DIR ??= join(
    REPO_ROOT,
    '.local',
    'test-logs',
    process.env.ITSM_TEST_GROUP_PREFIX,
  );
  await migrateServices({
    databaseUrl,
    kafkaBrokers: process.env.KAFKA_BROKERS as string,
    consumerGroupPrefix: process.env.ITSM_TEST_GROUP_PREFIX,
  });
  // Entities changed without a migration fail the run here, before any suite.
  await run(process.execPath, [join(REPO_ROOT, 'dist/tools/check-schema-drift.js')], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`schema drift check failed:\n${error.stdout ?? ''}${error.stderr ?? ''}`);
  });
}
