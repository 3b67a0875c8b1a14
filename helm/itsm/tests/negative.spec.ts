import {
  MINIMAL,
  helmLint,
  helmTemplate,
  validateManifests,
  writeManifests,
  type RenderOptions,
} from './chart';

/**
 * Values a platform engineer could get wrong, each of which must stop `helm lint` and
 * `helm install` (the same schema and templates as `helm template`) before anything is
 * created, naming what is wrong.
 */
const BAD_VALUES: [string, RenderOptions, RegExp][] = [
  ['no values at all', {}, /kafka\/brokers/],
  ['an unknown key', { valuesFiles: [MINIMAL], set: { replicaCount: 3 } }, /replicaCount/],
  [
    'an unknown key in a service',
    { valuesFiles: [MINIMAL], set: { 'gateway.replica': 3 } },
    /replica/,
  ],
  [
    'a wrong type',
    { valuesFiles: [MINIMAL], set: { 'serviceDefaults.replicas': 'two' } },
    /replicas/,
  ],
  [
    'a wrong type in a flag',
    { valuesFiles: [MINIMAL], set: { 'kafka.tls.enabled': 'yes' } },
    /enabled/,
  ],
  [
    'an unknown authentication mode',
    { valuesFiles: [MINIMAL], set: { 'auth.mode': 'ldap' } },
    /mode/,
  ],
  [
    'an unknown SASL mechanism',
    { valuesFiles: [MINIMAL], set: { 'kafka.sasl.mechanism': 'gssapi' } },
    /mechanism/,
  ],
  ['an unknown log level', { valuesFiles: [MINIMAL], set: { logLevel: 'verbose' } }, /logLevel/],
  [
    'the local issuer without its password Secret',
    { valuesFiles: [MINIMAL], set: { 'auth.mode': 'local' } },
    /local\/existingSecret/,
  ],
  ['OIDC without an issuer', { valuesFiles: [MINIMAL], set: { 'auth.issuer': '' } }, /issuer/],
  ['OIDC without a key set', { valuesFiles: [MINIMAL], set: { 'auth.jwksUrl': '' } }, /jwksUrl/],
  ['no database', { valuesFiles: [MINIMAL], set: { 'database.existingSecret': '' } }, /database/],
  [
    'a database URL that is not PostgreSQL’s',
    {
      valuesFiles: [MINIMAL],
      set: { 'database.existingSecret': '', 'database.url': 'mysql://db/itsm' },
    },
    /url/,
  ],
  [
    'SASL without a password',
    {
      valuesFiles: [MINIMAL],
      set: { 'kafka.sasl.mechanism': 'scram-sha-512', 'kafka.sasl.username': 'itsm' },
    },
    /existingSecret|password/,
  ],
  [
    'SASL PLAIN without TLS, which would send the password in clear',
    {
      valuesFiles: [MINIMAL],
      set: {
        'kafka.sasl.mechanism': 'plain',
        'kafka.sasl.username': 'itsm',
        'kafka.sasl.existingSecret': 'k',
      },
    },
    /tls\/enabled/,
  ],
  [
    'Strimzi topics without the cluster',
    { valuesFiles: [MINIMAL], set: { 'kafka.topics.strimzi.enabled': true } },
    /clusterName/,
  ],
  [
    'an Ingress without hosts',
    { valuesFiles: [MINIMAL], set: { 'ingress.enabled': true } },
    /hosts/,
  ],
  [
    'an HTTPRoute without a Gateway',
    { valuesFiles: [MINIMAL], set: { 'httpRoute.enabled': true } },
    /parentRefs/,
  ],
  [
    'helm test with OIDC but no client',
    { valuesFiles: [MINIMAL], set: { 'tests.oidc.existingSecret': '' } },
    /tests\/oidc\/existingSecret/,
  ],
  [
    'a malformed image digest',
    { valuesFiles: [MINIMAL], set: { 'image.digest': 'latest' } },
    /digest/,
  ],
  [
    'a Secret name Kubernetes refuses',
    { valuesFiles: [MINIMAL], set: { 'database.existingSecret': 'DB_Secret' } },
    /existingSecret/,
  ],
  [
    'an environment entry without a name',
    { valuesFiles: [MINIMAL], set: { 'incident.extraEnv': [{ value: 'x' }] } },
    /extraEnv\/0.*name/,
  ],
  [
    'a CPU target over 100%',
    {
      valuesFiles: [MINIMAL],
      set: { 'serviceDefaults.autoscaling.targetCPUUtilizationPercentage': 150 },
    },
    /targetCPU/,
  ],
  [
    'a dashboards flag that is no boolean',
    { valuesFiles: [MINIMAL], set: { 'metrics.dashboards.enabled': 'yes' } },
    /dashboards.*enabled|enabled.*boolean/,
  ],
  [
    'an unknown key beside the dashboards',
    { valuesFiles: [MINIMAL], set: { 'metrics.dashboards.folder': 'ITSM' } },
    /folder/,
  ],
  [
    'a runbook base that is no http(s) URL',
    { valuesFiles: [MINIMAL], set: { 'metrics.prometheusRule.runbookBaseUrl': 'wiki/runbooks' } },
    /runbookBaseUrl/,
  ],
];

describe.each(BAD_VALUES)('%s', (_, options, problem) => {
  it('fails helm lint --strict, naming the value', () => {
    const result = helmLint(options);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(problem);
  });

  it('fails helm template', () => {
    const result = helmTemplate(options);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(problem);
  });
});

describe('the schema check of the renders', () => {
  it('refuses an object with a field Kubernetes does not know', () => {
    const result = helmTemplate({ valuesFiles: [MINIMAL] });
    const tampered = result.stdout.replace(
      'revisionHistoryLimit: 5',
      'revisionHistoryLimit: 5\n  replica: 2',
    );
    expect(tampered).not.toBe(result.stdout);
    const { render } = writeManifests({ render: tampered });
    expect(validateManifests([render], '1.31').get(render)!.join('\n')).toMatch(/ERROR.*replica/);
  });
});
