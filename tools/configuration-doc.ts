/**
 * `docs/configuration.md`, rendered from the configuration schemas (`npm run docs:configuration`):
 * each variable's description is its schema's `.meta({ description })`, its default the
 * schema's own. The few variables no schema of ours reads (the OpenTelemetry SDK's,
 * `NODE_ENV`, the test harness's) are declared by hand below, and say so.
 */
import { type z } from 'zod';
import {
  baseServiceEnvironment,
  DEVELOPMENT_PASSWORD,
  servicePortEnvironment,
  type ServiceDefinition,
} from '@itsm/platform';
import { changeService } from '../services/change/src/service.definition';
import { changeEnvironment } from '../services/change/src/config/change.config';
import { cmdbClientEnvironment } from '../services/change/src/cmdb/cmdb-client.config';
import { unauthorizedEnvironment } from '../services/change/src/unauthorized/unauthorized.config';
import { cmdbService } from '../services/cmdb/src/service.definition';
import { cmdbEnvironment } from '../services/cmdb/src/config/cmdb.config';
import { gatewayService } from '../services/gateway/src/service.definition';
import { gatewayEnvironment } from '../services/gateway/src/config/gateway.config';
import { incidentService } from '../services/incident/src/service.definition';
import { incidentEnvironment } from '../services/incident/src/config/incident.config';
import { alertingEnvironment } from '../services/incident/src/alerting/alerting.config';
import { problemService } from '../services/problem/src/service.definition';
import { problemEnvironment } from '../services/problem/src/config/problem.config';
import { reportingService } from '../services/reporting/src/service.definition';
import { kpisEnvironment } from '../services/reporting/src/kpis/kpis.config';
import { readModelsEnvironment } from '../services/reporting/src/read-models/read-models.config';
import { schedulerEnvironment } from '../services/reporting/src/service-reports/jobs/report-scheduler.config';
import { thresholdsEnvironment } from '../services/reporting/src/thresholds/thresholds.config';
import { slmService } from '../services/slm/src/service.definition';
import { slmEnvironment } from '../services/slm/src/config/slm.config';

type Shape = Readonly<Record<string, z.ZodType>>;

/** One row of the document. */
export interface DocumentedVariable {
  name: string;
  /** The services that read it; `all` for every service, or who else (tests, local scripts). */
  readBy: string;
  /** Markdown: a value in backticks, `unset`, `required`, or a default per deployment mode. */
  default: string;
  description: string;
}

interface Section {
  title: string;
  intro: string[];
  variables: DocumentedVariable[];
}

/** A service's schemas, as the production and the development/test process build them. */
interface ServiceSchemas {
  definition: ServiceDefinition;
  shapes: (production: boolean) => Shape[];
}

const SERVICES: readonly ServiceSchemas[] = [
  {
    definition: gatewayService,
    shapes: (production) => [gatewayEnvironment(production).shape],
  },
  {
    definition: incidentService,
    shapes: () => [incidentEnvironment.shape, alertingEnvironment.shape],
  },
  { definition: problemService, shapes: () => [problemEnvironment.shape] },
  {
    definition: changeService,
    shapes: () => [
      changeEnvironment.shape,
      cmdbClientEnvironment.shape,
      unauthorizedEnvironment.shape,
    ],
  },
  { definition: cmdbService, shapes: () => [cmdbEnvironment] },
  { definition: slmService, shapes: () => [slmEnvironment.shape] },
  {
    definition: reportingService,
    shapes: () => [
      kpisEnvironment.shape,
      readModelsEnvironment.shape,
      schedulerEnvironment.shape,
      thresholdsEnvironment.shape,
    ],
  },
];

const OTEL_SDK_DOCS =
  'https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/';

/**
 * Read by every service outside any schema: by deployment-mode.ts (`NODE_ENV`, and
 * `PGPASSWORD` to refuse a development password) and by node-postgres (`PGPASSWORD`).
 */
const PROCESS_VARIABLES: readonly DocumentedVariable[] = [
  {
    name: 'NODE_ENV',
    readBy: 'all',
    default: 'unset: production',
    description:
      '`development` (set by `npm start`, `npm run migrate` and the benchmarks) or `test` (set by `npm test`) allow the local database credentials and the seeded users; anything else, unset included, is production (libs/platform/src/config/deployment-mode.ts).',
  },
  {
    name: 'PGPASSWORD',
    readBy: 'all',
    default: 'unset',
    description:
      "node-postgres's password when `DATABASE_URL` carries none. In production the local development passwords are refused here too.",
  },
];

/**
 * The OpenTelemetry SDK's own variables the platform relies on: the SDK reads them, not a
 * schema of ours, so only what libs/observability/src/telemetry.ts does with them is ours.
 */
const OPENTELEMETRY_VARIABLES: readonly DocumentedVariable[] = [
  {
    name: 'OTEL_SERVICE_NAME',
    readBy: 'all',
    default: '`itsm-<service>`',
    description:
      'The service name in traces and logs (`service.name`); the platform sets `itsm-<service>` when it is unset.',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
    readBy: 'all',
    default: 'unset',
    description:
      'The OTLP/HTTP collector traces are exported to (the SDK adds `/v1/traces`); unset, with `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` unset too: nothing is exported, and unless `OTEL_TRACES_SAMPLER` says otherwise no new trace is recorded either (the trace context is still made and propagated: logs and events carry trace ids). The Helm chart sets it from `opentelemetry.endpoint`.',
  },
  {
    name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    readBy: 'all',
    default: 'unset',
    description:
      'The full URL traces are exported to, used as it is; either it or `OTEL_EXPORTER_OTLP_ENDPOINT` turns the export on.',
  },
  {
    name: 'OTEL_TRACES_SAMPLER',
    readBy: 'all',
    default: '`parentbased_always_on` when exporting, else `parentbased_always_off`',
    description:
      "Which traces are recorded, e.g. `parentbased_traceidratio` with `OTEL_TRACES_SAMPLER_ARG` to keep a fraction of new traces while following the caller's decision. Unset, every trace is recorded when spans are exported; without an exporter, only those a caller sampled (recording spans nobody exports costs CPU on every request; unrecorded spans keep their trace and span ids).",
  },
  {
    name: 'OTEL_TRACES_SAMPLER_ARG',
    readBy: 'all',
    default: 'SDK: `1.0`',
    description: 'The ratio for the `traceidratio` samplers, 0 to 1.',
  },
  {
    name: 'OTEL_SDK_DISABLED',
    readBy: 'all',
    default: '`false`',
    description: '`true` turns OpenTelemetry off: no spans, no trace ids in logs and events.',
  },
];

/** Read by the test harness (libs/testing) and the local infrastructure's scripts, never by a service. */
const TEST_VARIABLES: readonly DocumentedVariable[] = [
  {
    name: 'ITSM_STATE_DIR',
    readBy: 'local scripts, tests',
    default: '`<repo>/.local`',
    description: 'Where the local Kafka, PostgreSQL and logs keep their state.',
  },
  {
    name: 'ITSM_KAFKA_PORT',
    readBy: 'local scripts',
    default: '`19092`',
    description: "The local broker's PLAINTEXT listener on 127.0.0.1.",
  },
  {
    name: 'ITSM_KAFKA_CONTROLLER_PORT',
    readBy: 'local scripts',
    default: '`19093`',
    description: "The local broker's KRaft controller listener on 127.0.0.1.",
  },
  {
    name: 'ITSM_PG_PORT',
    readBy: 'local scripts',
    default: '`54329`',
    description: 'The local PostgreSQL port on 127.0.0.1.',
  },
  {
    name: 'JAVA_HOME',
    readBy: 'local scripts, tests',
    default: '`java` on `PATH`',
    description:
      'The Java (17 or later: Kafka 4.x needs it) the local broker, and the secured brokers of the tests, run on.',
  },
  {
    name: 'ITSM_TEST_DATABASE_NAME',
    readBy: 'tests',
    default: '`itsm_test`',
    description:
      'The database the suites migrate fresh and use; another name lets several checkouts run their suites against one PostgreSQL at once.',
  },
  {
    name: 'ITSM_TEST_READY_TIMEOUT_MS',
    readBy: 'tests',
    default: '`60000`',
    description:
      'How long a suite waits for a service process it started to be ready, on a machine busy enough to start services slower.',
  },
  {
    name: 'ITSM_TEST_LOG_DIR',
    readBy: 'tests',
    default: '`.local/test-logs/<run>`',
    description: 'Where the service processes the suites start write their logs.',
  },
  {
    name: 'ITSM_ALERTMANAGER_BIN',
    readBy: 'tests',
    default: '`/usr/bin/prometheus-alertmanager`',
    description:
      'The Alertmanager the Alertmanager webhook suites run (`deploy/local/alertmanager.sh ensure` installs it).',
  },
  {
    name: 'ITSM_PROMTOOL_BIN',
    readBy: 'tests',
    default: '`promtool` on `PATH`',
    description:
      'The promtool that checks and unit-tests the alert rules in `deploy/prometheus` (`deploy/local/promtool.sh ensure` installs it; `npm test` exports it).',
  },
  {
    name: 'ITSM_TEST_DATABASE_URL',
    readBy: 'tests',
    default: 'set by the global set-up',
    description: "The run's freshly migrated test database; set for the suites, not by hand.",
  },
  {
    name: 'ITSM_TEST_GROUP_PREFIX',
    readBy: 'tests',
    default: 'set by the global set-up',
    description:
      "The run's consumer group prefix (`itsm-test-<time>`), so that runs never share a group; set for the suites, not by hand.",
  },
  {
    name: 'ITSM_TEST_STARTED_AT',
    readBy: 'tests',
    default: 'set by the global set-up',
    description:
      'When the run started: its consumer groups start there (`KAFKA_CONSUMER_START`), skipping what earlier runs left on the topics; set for the suites, not by hand.',
  },
  {
    name: 'ITSM_TEST_SERVICE_IDENTITY_KEYS',
    readBy: 'tests',
    default: 'set by the global set-up',
    description:
      "The run's own key pairs for services calling services (ADR 12), so that no key is ever checked in; set for the suites, not by hand.",
  },
];

/** The schema's own default, without running its transforms, or why there is none. */
type Default = { kind: 'value'; value: unknown } | { kind: 'unset' } | { kind: 'required' };

function defaultOf(schema: z.ZodType): Default {
  const def = schema._zod.def as unknown as {
    type: string;
    defaultValue?: unknown;
    in?: z.ZodType;
    innerType?: z.ZodType;
  };
  switch (def.type) {
    case 'default':
      return { kind: 'value', value: def.defaultValue };
    case 'optional':
      return { kind: 'unset' };
    case 'pipe':
      return defaultOf(def.in as z.ZodType);
    default:
      return { kind: 'required' };
  }
}

function formatDefault(schema: z.ZodType): string {
  const found = defaultOf(schema);
  if (found.kind === 'unset') return 'unset';
  if (found.kind === 'required') return '**required**';
  const value = Array.isArray(found.value) ? found.value.join(',') : found.value;
  if (value === '') return 'empty';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return `\`${value}\``;
  throw new Error(`a default the document cannot show: ${JSON.stringify(value)}`);
}

function descriptionOf(name: string, schema: z.ZodType): string {
  const description = schema.meta()?.description;
  if (!description)
    throw new Error(`${name} has no description: give its schema .meta({ description })`);
  return description;
}

/** The rows of a service's shapes; a default that differs by deployment mode says both. */
function rowsOf(
  production: readonly Shape[],
  development: readonly Shape[],
  readBy: (name: string) => string,
): DocumentedVariable[] {
  const developmentSchemas = new Map(development.flatMap((shape) => Object.entries(shape)));
  return production.flatMap((shape) =>
    Object.entries(shape).map(([name, schema]) => {
      const inProduction = formatDefault(schema);
      const elsewhere = developmentSchemas.get(name);
      const inDevelopment = elsewhere ? formatDefault(elsewhere) : inProduction;
      return {
        name,
        readBy: readBy(name),
        default:
          inProduction === inDevelopment
            ? inProduction
            : `production: ${inProduction}; development and test: ${inDevelopment}`,
        description: descriptionOf(name, schema),
      };
    }),
  );
}

function serviceShapes(service: ServiceSchemas, production: boolean): Shape[] {
  const { name, defaultPort } = service.definition;
  return [servicePortEnvironment(name, defaultPort), ...service.shapes(production)];
}

function sections(): Section[] {
  const readers = new Map<string, string[]>();
  for (const service of SERVICES)
    for (const shape of serviceShapes(service, true))
      for (const name of Object.keys(shape))
        readers.set(name, [...(readers.get(name) ?? []), service.definition.name]);
  const readBy = (name: string) => (readers.get(name) ?? []).join(', ');
  const everyService: Shape[] = [baseServiceEnvironment.shape];
  return [
    {
      title: 'Every service',
      intro: ['Read by each of the seven services (and its migrate step), beside its own below.'],
      variables: [...rowsOf(everyService, everyService, () => 'all'), ...PROCESS_VARIABLES],
    },
    {
      title: 'Every service: OpenTelemetry',
      intro: [
        'These are the OpenTelemetry SDK’s own variables, read by the SDK rather than validated by',
        'the platform; the ones below are those the platform relies on, and the SDK reads the',
        `others too: [the SDK's environment variables](${OTEL_SDK_DOCS}). What the platform adds:`,
        'the default service name, and the metrics and logs exporters off by default',
        '(libs/observability/src/telemetry.ts).',
      ],
      variables: [...OPENTELEMETRY_VARIABLES],
    },
    ...SERVICES.map((service) => ({
      title: service.definition.name,
      intro: [],
      variables: rowsOf(serviceShapes(service, true), serviceShapes(service, false), readBy),
    })),
    {
      title: 'Test-only',
      intro: [
        'Read by the test harness (libs/testing) and the local infrastructure’s scripts, never by',
        'a service. The scripts have a few more knobs (heap, timeouts, binaries), listed in',
        '[deploy/local/README.md](../deploy/local/README.md).',
      ],
      variables: [...TEST_VARIABLES],
    },
  ];
}

/** Every variable the document describes, by name. */
export function documentedVariables(): DocumentedVariable[] {
  return sections().flatMap((section) => section.variables);
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

function table(variables: readonly DocumentedVariable[]): string[] {
  return [
    '| variable | services | default | description |',
    '| --- | --- | --- | --- |',
    ...variables.map(
      (variable) =>
        `| \`${variable.name}\` | ${cell(variable.readBy)} | ${cell(variable.default)} | ${cell(variable.description)} |`,
    ),
  ];
}

export function renderConfigurationDoc(): string {
  const all = sections();
  const anchor = (title: string) =>
    title
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-');
  return [
    '# Configuration',
    '',
    '<!-- Rendered from the configuration schemas by `npm run docs:configuration` (tools/configuration-doc.ts); do not edit by hand. -->',
    '',
    'Every service is configured by environment variables, read and validated once when it',
    'starts (and by its migrate step) against the zod schemas this page is rendered from:',
    '`libs/platform/src/config/service-config.ts` for the variables every service reads, and each',
    'service’s own (`services/*/src/**/*.config.ts`). A value that does not validate stops the',
    'service as it starts, before it serves anything, with every problem listed at once, each',
    'naming its variable (`invalid configuration: - KAFKA_CONSUMER_MAX_ATTEMPTS: …`).',
    '',
    'Outside development and test (`NODE_ENV` unset or anything but `development` and `test` is',
    `production) development-only values are refused as well: \`DATABASE_URL\` or \`PGPASSWORD\``,
    `with the local database's credentials, and \`ITSM_DEV_PASSWORD=${DEVELOPMENT_PASSWORD}\`. A`,
    'service refuses them even when it does not read the variable itself (a copied `.env`), and',
    'the gateway defaults to `AUTH_MODE=oidc` (README, "Development mode and production").',
    '',
    'A variable whose name ends in `_FILE` gives the path of a file that holds the value, as a',
    'mounted Kubernetes Secret does. Durations written as ISO 8601 (`P3D`, `PT24H`) say so;',
    'other times are in the unit their name ends with (`_MS`, `_SECONDS`, `_HOURS`, `_DAYS`).',
    'Flags take `true`/`false` (or `1`/`0`).',
    '',
    ...all.map((section) => `- [${section.title}](#${anchor(section.title)})`),
    ...all.flatMap((section) => [
      '',
      `## ${section.title}`,
      '',
      ...(section.intro.length > 0 ? [...section.intro, ''] : []),
      ...table(section.variables),
    ]),
    '',
  ].join('\n');
}
