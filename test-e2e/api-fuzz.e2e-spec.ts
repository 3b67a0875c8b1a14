import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLES, type Role } from '@itsm/auth';
import {
  ALL_SERVICES,
  REPO_ROOT,
  RunningPlatform,
  TEST_DATABASE,
  dropDatabase,
  freshDatabaseBeside,
  migrateServices,
  testEnvironment,
  tokenFor,
} from '@itsm/testing';

/**
 * Schemathesis against the gateway's OpenAPI document, once per role, with the checks
 * of docs/development.md ("API fuzzing"). `npm test` runs the quick profile with a fixed
 * seed, so a failure is reproducible; `npm run fuzz` the long one.
 */
interface Profile {
  /** Examples per operation and the phases, for `admin` (who reaches every operation) and the other roles. */
  admin: { maxExamples: number; phases: string };
  others: { maxExamples: number; phases: string };
  seed: number;
  /** Jest's deadline for one role's run. */
  timeoutMs: number;
}

const PROFILES: Record<'quick' | 'long', Profile> = {
  quick: {
    admin: { maxExamples: 10, phases: 'examples,coverage,fuzzing,stateful' },
    others: { maxExamples: 3, phases: 'examples,fuzzing' },
    seed: 19_2026,
    // Admin's run takes about 5 minutes on a busy CI machine; past the deadline Jest stops
    // the platform under the fuzzer, which then reports the 503s as the API's failures.
    timeoutMs: 12 * 60_000,
  },
  long: {
    admin: { maxExamples: 100, phases: 'examples,coverage,fuzzing,stateful' },
    others: { maxExamples: 50, phases: 'examples,coverage,fuzzing,stateful' },
    seed: Number(process.env.ITSM_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31)),
    timeoutMs: 60 * 60_000,
  },
};

const profileName = process.env.ITSM_FUZZ_PROFILE === 'long' ? 'long' : 'quick';
const profile: Profile = {
  ...PROFILES[profileName],
  seed: Number(process.env.ITSM_FUZZ_SEED ?? PROFILES[profileName].seed),
};

/**
 * What every response must satisfy; `problem_json_errors` is ours (test-e2e/fuzz/hooks.py).
 * Not `positive_data_acceptance`: business rules no schema states (a name taken, `to`
 * before `from`) refuse requests the document allows, rightly.
 */
const CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'unsupported_method',
  'allow_header_conformance',
  'problem_json_errors',
];

/** Its own database: what the fuzzer creates, changes and deletes never reaches the other suites' records. */
const DATABASE = `${TEST_DATABASE}_fuzz`;

interface Outcome {
  exitCode: number | null;
  output: string;
}

/** Runs `st` in `directory`, where it keeps the cases `st replay <id>` repeats. */
function schemathesis(args: string[], directory: string): Promise<Outcome> {
  const executable = process.env.ITSM_SCHEMATHESIS_BIN ?? join(REPO_ROOT, '.local/venv/bin/st');
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, {
      cwd: directory,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? REPO_ROOT,
        SCHEMATHESIS_HOOKS: join(REPO_ROOT, 'test-e2e/fuzz/hooks.py'),
        // The report's width, so long paths and values are not cut to a terminal's.
        COLUMNS: '160',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) =>
      reject(
        new Error(
          `cannot run ${executable} (${error.message}): install it with deploy/local/schemathesis.sh ensure`,
        ),
      ),
    );
    child.on('close', (exitCode) => resolve({ exitCode, output }));
  });
}

describe(`the API under Schemathesis (${profileName} profile, seed ${profile.seed})`, () => {
  let platform: RunningPlatform;

  beforeAll(
    async () => {
      const environment = testEnvironment();
      const databaseUrl = await freshDatabaseBeside(DATABASE);
      const consumerGroupPrefix = `${environment.consumerGroupPrefix}-fuzz`;
      await migrateServices({ ...environment, databaseUrl, consumerGroupPrefix });
      platform = await RunningPlatform.start(ALL_SERVICES, {
        DATABASE_URL: databaseUrl,
        // Topics are shared: the fuzzed records' events stay in this database's outbox, so no
        // other suite's consumers see them, and this platform's consumers join groups of their own.
        OUTBOX_RELAY_ENABLED: 'false',
        KAFKA_CONSUMER_GROUP_PREFIX: consumerGroupPrefix,
        KAFKA_CONSUMER_START: new Date().toISOString(),
        // The fuzzer sends far more than a person would; 429s would hide what it looks for.
        RATE_LIMIT_PER_MINUTE: '1000000',
      });
    },
    // Migrating a database and starting seven services: the services' readiness deadline, and the migrations.
    Number(process.env.ITSM_TEST_READY_TIMEOUT_MS ?? 60_000) + 120_000,
  );

  afterAll(async () => {
    await platform?.stop();
    await dropDatabase(DATABASE);
  });

  it.each(ROLES.map((role) => [role]))(
    'finds nothing wrong as %s',
    async (role: Role) => {
      const token = await tokenFor(platform.gatewayUrl, role);
      const settings = role === 'admin' ? profile.admin : profile.others;
      const reportDirectory = join(testEnvironment().logDirectory, 'api-fuzz', role);
      mkdirSync(reportDirectory, { recursive: true });
      const { exitCode, output } = await schemathesis(
        [
          'run',
          `${platform.gatewayUrl}/api/v1/openapi.json`,
          '--header',
          `Authorization: Bearer ${token}`,
          '--checks',
          CHECKS.join(','),
          '--phases',
          settings.phases,
          '--max-examples',
          String(settings.maxExamples),
          // The live update stream answers for as long as the client reads: a request that
          // never completes, which the fuzzer cannot judge (live-updates.integration-spec.ts).
          '--exclude-path',
          '/api/v1/stream',
          '--seed',
          String(profile.seed),
          // Reproducible: no examples carried over from an earlier run.
          '--generation-database',
          'none',
          '--workers',
          '2',
          '--no-color',
          '--report',
          'junit',
          '--report-dir',
          reportDirectory,
        ],
        reportDirectory,
      );
      writeFileSync(join(reportDirectory, 'output.txt'), output);
      if (exitCode !== 0) {
        throw new Error(`Schemathesis found failures as ${role} (exit ${exitCode}):\n\n${output}`);
      }
    },
    profile.timeoutMs,
  );
});
