// One Jest run, three tiers: unit (pure logic), integration (real Kafka and PostgreSQL,
// in-process or one service process) and end-to-end (the services as processes, through
// the gateway). Kafka and PostgreSQL are brought up once, by the global set-up.
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    `<rootDir>/${target}`,
  ]),
);

const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2023',
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

const common = { rootDir: __dirname, transform, moduleNameMapper, testEnvironment: 'node' };
// Suites that start processes: none may outlive its test file.
const withProcesses = {
  ...common,
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/leftover-processes.setup.ts'],
};

module.exports = {
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,services,tools,bench}/**/*.spec.ts'],
    },
    {
      ...withProcesses,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,deploy}/**/*.integration-spec.ts'],
    },
    { ...withProcesses, displayName: 'e2e', testMatch: ['<rootDir>/test-e2e/**/*.e2e-spec.ts'] },
    // Faults injected into a platform on a Kafka and a PostgreSQL of the suite's own
    // (docs/reliability.md): short profile in `npm test`, long with `npm run test:faults`.
    {
      ...withProcesses,
      displayName: 'faults',
      testMatch: ['<rootDir>/test-faults/**/*.faults-spec.ts'],
    },
    // The web console in a real browser (Debian's Chromium through playwright-core), against
    // the gateway and the incident service as processes: `npm run test:console`
    // (deploy/local/test-console.sh), or `ITSM_CONSOLE_TESTS=1 npm test` to add it to the rest.
    ...(process.env.ITSM_CONSOLE_TESTS
      ? [
          {
            ...withProcesses,
            displayName: 'console',
            testMatch: ['<rootDir>/test-console/**/*.console-spec.ts'],
          },
        ]
      : []),
    // What the platform ships for deployment, checked without a cluster: the Helm chart,
    // rendered (helm and kubernetes-validate from deploy/local/helm.sh), and the Prometheus
    // alert rules (promtool from deploy/local/promtool.sh).
    {
      ...common,
      displayName: 'chart',
      testMatch: ['<rootDir>/helm/**/*.spec.ts', '<rootDir>/deploy/**/*.spec.ts'],
    },
  ],
};
