import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { join } from 'node:path';
import {
  CHART,
  MINIMAL,
  NAMESPACE,
  RELEASE,
  SERVICES,
  type K8sObject,
  named,
  ofKind,
  podSpecOf,
  podSpecs,
  type Container,
  type EnvVar,
  render,
  scenarios,
} from './chart';

interface PolicyPeer {
  podSelector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; values: string[] }[];
  };
  namespaceSelector?: { matchLabels?: Record<string, string> };
}
interface PolicyRule {
  ports: { port: number; protocol: string }[];
  from?: PolicyPeer[];
  to?: PolicyPeer[];
}

const ci = (name: string) => join(CHART, 'ci', `${name}-values.yaml`);
const fullname = `${RELEASE}`;
const component = (service: string) => `${fullname}-${service}`;

const containersOf = (objects: K8sObject[]) =>
  podSpecs(objects).flatMap(({ owner, spec }) =>
    spec.containers.map((container) => ({ owner, spec, container })),
  );
const envOf = (container: Container): Record<string, EnvVar> =>
  Object.fromEntries(container.env.map((entry) => [entry.name, entry]));
const deployment = (objects: K8sObject[], service: string) =>
  named(objects, 'Deployment', component(service));
const mainContainer = (objects: K8sObject[], service: string): Container =>
  podSpecOf(deployment(objects, service)).containers[0];
const hookOf = (object: K8sObject): Record<string, string | undefined> => ({
  hook: object.metadata.annotations?.['helm.sh/hook'],
  weight: object.metadata.annotations?.['helm.sh/hook-weight'],
  deletePolicy: object.metadata.annotations?.['helm.sh/hook-delete-policy'],
});

/** Every scenario's render, once: most properties must hold in all of them. */
const renders = scenarios().map((scenario) => ({
  name: scenario.name,
  objects: render({ valuesFiles: [scenario.file], apiVersions: scenario.apiVersions }),
}));
const defaults = render({ valuesFiles: [MINIMAL] });

describe.each(renders)('every pod of the $name scenario', ({ objects }) => {
  const pods = podSpecs(objects);
  const containers = containersOf(objects);

  it('runs at the restricted Pod Security level, without a service account token', () => {
    expect(pods.length).toBeGreaterThan(0);
    for (const { owner, spec } of pods) {
      expect({
        owner,
        automount: spec.automountServiceAccountToken,
        ...spec.securityContext,
      }).toMatchObject({
        owner,
        automount: false,
        runAsNonRoot: true,
        runAsUser: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    for (const { owner, container } of containers) {
      expect({ owner, ...container.securityContext }).toEqual({
        owner,
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
  });

  it('has CPU and memory requests and a memory limit, and a writable /tmp', () => {
    for (const { owner, spec, container } of containers) {
      expect({ owner, ...container.resources }).toMatchObject({
        owner,
        requests: { cpu: expect.anything(), memory: expect.anything() },
        limits: { memory: expect.anything() },
      });
      const tmp = container.volumeMounts.find((mount) => mount.mountPath === '/tmp');
      expect(spec.volumes.find((volume) => volume.name === tmp?.name)).toMatchObject({
        emptyDir: {},
      });
    }
  });

  it('mounts Secrets readable by its own group only', () => {
    for (const { owner, spec } of pods)
      for (const volume of spec.volumes.filter((candidate) => candidate.secret))
        expect([owner, volume.name, volume.secret!.defaultMode]).toEqual([
          owner,
          volume.name,
          0o440,
        ]);
  });

  it('runs the one image with a dist/ entry point', () => {
    for (const { owner, container } of containers) {
      expect({ owner, image: container.image, args: container.args }).toMatchObject({
        image: expect.stringMatching(/^ghcr\.io\/itsm-platform\/itsm[:@]/),
        args: [
          expect.stringMatching(
            /^dist\/(services\/[a-z]+\/src\/(main|migrate)|tools\/smoke-test)\.js$/,
          ),
        ],
      });
    }
  });
});

describe.each(renders)('the Deployments of the $name scenario', ({ objects }) => {
  const deployments = ofKind(objects, 'Deployment');

  it('each has startup, readiness and liveness probes on the health endpoints', () => {
    for (const object of deployments) {
      const container = object.spec.template.spec.containers[0];
      expect([
        object.metadata.name,
        container.startupProbe.httpGet,
        container.readinessProbe.httpGet,
        container.livenessProbe.httpGet,
      ]).toEqual([
        object.metadata.name,
        { path: '/health/live', port: 'http' },
        { path: '/health/ready', port: 'http' },
        { path: '/health/live', port: 'http' },
      ]);
    }
  });

  it('each drains before SIGTERM, within its grace period', () => {
    for (const object of deployments) {
      const spec = object.spec.template.spec;
      const sleep = spec.containers[0].lifecycle.preStop.sleep.seconds as number;
      expect(sleep).toBeGreaterThan(0);
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(sleep);
    }
  });

  it('each has a PodDisruptionBudget selecting its pods, unless turned off for it', () => {
    const budgets = ofKind(objects, 'PodDisruptionBudget');
    for (const object of deployments) {
      const budget = budgets.find((candidate) => candidate.metadata.name === object.metadata.name);
      if (budget) expect(budget.spec.selector).toEqual(object.spec.selector);
    }
    expect(budgets.length).toBeGreaterThanOrEqual(deployments.length - 1);
  });

  it('each spreads its pods over nodes and zones', () => {
    for (const object of deployments) {
      const keys = podSpecOf(object).topologySpreadConstraints!.map(
        (constraint) => constraint.topologyKey,
      );
      expect(keys).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone']);
    }
  });

  it('each has replicas exactly when no HorizontalPodAutoscaler scales it', () => {
    const scaled = new Set(
      ofKind(objects, 'HorizontalPodAutoscaler').map(
        (hpa) => hpa.spec.scaleTargetRef.name as string,
      ),
    );
    for (const object of deployments)
      expect([object.metadata.name, 'replicas' in object.spec]).toEqual([
        object.metadata.name,
        !scaled.has(object.metadata.name),
      ]);
  });
});

describe.each(renders)('the labels of the $name scenario', ({ objects }) => {
  it('are the app.kubernetes.io set and helm.sh/chart on every object', () => {
    for (const object of objects) {
      expect({
        kind: object.kind,
        name: object.metadata.name,
        ...object.metadata.labels,
      }).toMatchObject({
        'app.kubernetes.io/name': 'itsm',
        'app.kubernetes.io/instance': RELEASE,
        'app.kubernetes.io/version': '0.1.0',
        'app.kubernetes.io/component': expect.any(String),
        'app.kubernetes.io/part-of': 'itsm',
        'app.kubernetes.io/managed-by': 'Helm',
        'helm.sh/chart': 'itsm-0.1.0',
      });
    }
  });
});

describe('the defaults', () => {
  it('deploy the seven services with two replicas each, a Service and a PodDisruptionBudget per service', () => {
    expect(
      ofKind(defaults, 'Deployment').map((object) => [
        object.metadata.name,
        object.spec.replicas as number,
      ]),
    ).toEqual(SERVICES.map((service) => [component(service), 2]));
    expect(ofKind(defaults, 'Service').map((object) => object.metadata.name)).toEqual(
      SERVICES.map(component),
    );
    expect(ofKind(defaults, 'PodDisruptionBudget')).toHaveLength(7);
    expect(ofKind(defaults, 'HorizontalPodAutoscaler')).toHaveLength(0);
  });

  it('authenticate with OIDC, against the issuer given', () => {
    expect(envOf(mainContainer(defaults, 'gateway'))).toMatchObject({
      AUTH_MODE: { value: 'oidc' },
      AUTH_ISSUER: { value: 'https://login.example.com/realms/itsm' },
      AUTH_JWKS_URL: { value: expect.stringMatching(/^https:\/\//) },
      AUTH_AUDIENCE: { value: 'itsm-api' },
    });
    expect(envOf(mainContainer(defaults, 'gateway'))).not.toHaveProperty('ITSM_DEV_PASSWORD');
    expect(ofKind(defaults, 'Secret').map((secret) => secret.metadata.name)).toEqual([
      `${fullname}-identity-keys`,
    ]);
  });

  it('run every service as production, on the ports its Service and probes name', () => {
    for (const service of SERVICES) {
      const container = mainContainer(defaults, service);
      expect(envOf(container)).toMatchObject({
        NODE_ENV: { value: 'production' },
        [`${service.toUpperCase()}_PORT`]: { value: '8080' },
        [`${service.toUpperCase()}_METRICS_PORT`]: { value: '9090' },
        DATABASE_URL: { valueFrom: { secretKeyRef: { name: 'itsm-db-app', key: 'uri' } } },
        KAFKA_BROKERS: { value: 'kafka-bootstrap.kafka:9092' },
      });
      expect(container.ports).toEqual([
        { name: 'http', containerPort: 8080, protocol: 'TCP' },
        { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
      ]);
    }
  });

  it('point the gateway at each service, and change at cmdb, through their Services', () => {
    const services = new Map(
      ofKind(defaults, 'Service').map((object) => [object.metadata.name, object]),
    );
    const urls = {
      ...envOf(mainContainer(defaults, 'gateway')),
      CMDB_URL_OF_CHANGE: envOf(mainContainer(defaults, 'change')).CMDB_URL,
    };
    for (const name of [
      'INCIDENT_URL',
      'PROBLEM_URL',
      'CHANGE_URL',
      'SLM_URL',
      'CMDB_URL',
      'REPORTING_URL',
      'CMDB_URL_OF_CHANGE',
    ]) {
      const url = new URL(urls[name as keyof typeof urls].value!);
      const service = services.get(url.hostname);
      expect([
        name,
        (service?.spec.ports as { name: string; port: number }[]).find(
          (port) => port.name === 'http',
        )?.port,
      ]).toEqual([name, Number(url.port || 80)]);
    }
  });
});

describe('the internal identity keys', () => {
  const identityFiles = (objects: K8sObject[], service: string): string[] => {
    const spec = podSpecOf(deployment(objects, service));
    const volume = spec.volumes.find((candidate) => candidate.name === 'identity-keys');
    return volume!.secret!.items!.map((item) => item.path);
  };

  it('go to their owners only: the gateway signs, change signs as itself, cmdb trusts change, the others verify', () => {
    expect(
      Object.fromEntries(SERVICES.map((service) => [service, identityFiles(defaults, service)])),
    ).toEqual({
      gateway: ['gateway-signing-key.pem'],
      incident: ['gateway-verification-keys.pem'],
      problem: ['gateway-verification-keys.pem'],
      change: ['gateway-verification-keys.pem', 'change-signing-key.pem'],
      slm: ['gateway-verification-keys.pem'],
      cmdb: ['gateway-verification-keys.pem', 'trusted-service-keys.json'],
      reporting: ['gateway-verification-keys.pem'],
    });
    expect(
      envOf(mainContainer(defaults, 'gateway')).ITSM_INTERNAL_IDENTITY_SIGNING_KEY_FILE.value,
    ).toBe('/etc/itsm/identity/gateway-signing-key.pem');
    expect(
      envOf(mainContainer(defaults, 'change')).ITSM_SERVICE_IDENTITY_SIGNING_KEY_FILE.value,
    ).toBe('/etc/itsm/identity/change-signing-key.pem');
    expect(envOf(mainContainer(defaults, 'cmdb')).ITSM_TRUSTED_SERVICE_KEYS_FILE.value).toBe(
      '/etc/itsm/identity/trusted-service-keys.json',
    );
    for (const service of SERVICES.filter((name) => name !== 'gateway'))
      expect(
        envOf(mainContainer(defaults, service)).ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS_FILE.value,
      ).toBe('/etc/itsm/identity/gateway-verification-keys.pem');
  });

  it('are generated as EC P-256 keys whose certificates carry their public halves', () => {
    const data = named(defaults, 'Secret', `${fullname}-identity-keys`).data as Record<
      string,
      string
    >;
    const text = (key: string) => Buffer.from(data[key], 'base64').toString('utf8');
    const gatewayKey = createPrivateKey(text('gateway-signing-key.pem'));
    const changeKey = createPrivateKey(text('change-signing-key.pem'));
    expect([
      gatewayKey.asymmetricKeyDetails?.namedCurve,
      changeKey.asymmetricKeyDetails?.namedCurve,
    ]).toEqual(['prime256v1', 'prime256v1']);
    const publicHalf = (key: ReturnType<typeof createPrivateKey>) =>
      createPublicKey(key).export({ format: 'jwk' });
    expect(
      new X509Certificate(text('gateway-verification-keys.pem')).publicKey.export({
        format: 'jwk',
      }),
    ).toEqual(publicHalf(gatewayKey));
    const trusted = JSON.parse(text('trusted-service-keys.json')) as Record<string, string>;
    expect(Object.keys(trusted)).toEqual(['change']);
    expect(new X509Certificate(trusted.change).publicKey.export({ format: 'jwk' })).toEqual(
      publicHalf(changeKey),
    );
  });

  it('are not made when an existing Secret holds them', () => {
    const objects = render({ valuesFiles: [ci('existing-secrets')] });
    expect(ofKind(objects, 'Secret')).toEqual([]);
    expect(identityFiles(objects, 'gateway')).toEqual(['gateway-signing-key.pem']);
    const volume = podSpecOf(deployment(objects, 'cmdb')).volumes.find(
      (candidate) => candidate.name === 'identity-keys',
    );
    expect(volume!.secret!.secretName).toBe('itsm-identity-keys');
  });
});

describe('the local issuer', () => {
  const objects = render({ valuesFiles: [ci('local-issuer')] });
  const gateway = mainContainer(objects, 'gateway');

  it('takes the seeded users’ password from the Secret named, and signs with a key every replica shares', () => {
    expect(envOf(gateway)).toMatchObject({
      AUTH_MODE: { value: 'local' },
      ITSM_DEV_PASSWORD: {
        valueFrom: { secretKeyRef: { name: 'itsm-seeded-users', key: 'password' } },
      },
      AUTH_SIGNING_KEY_FILE: { value: '/etc/itsm/local-issuer/signing-key.pem' },
    });
    const volume = podSpecOf(deployment(objects, 'gateway')).volumes.find(
      (candidate) => candidate.name === 'local-issuer',
    );
    expect(volume!.secret!.secretName).toBe(`${fullname}-local-issuer`);
    const key = Buffer.from(
      named(objects, 'Secret', `${fullname}-local-issuer`).data!['signing-key.pem'],
      'base64',
    );
    expect(createPrivateKey(key).asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(deployment(objects, 'gateway').spec.replicas).toBe(3);
  });

  it('is off, and its key absent, by default', () => {
    expect(
      ofKind(defaults, 'Secret').some((secret) => secret.metadata.name.endsWith('local-issuer')),
    ).toBe(false);
  });

  it('lets helm test log in as a seeded user', () => {
    const env = envOf(podSpecOf(named(objects, 'Pod', `${fullname}-test`)).containers[0]);
    expect(env).toMatchObject({
      ITSM_SMOKE_BASE_URL: { value: `http://${component('gateway')}.${NAMESPACE}.svc:80` },
      ITSM_SMOKE_USERNAME: { value: 'agent' },
      ITSM_SMOKE_PASSWORD_FILE: { value: '/etc/itsm/smoke/password' },
    });
    expect(env).not.toHaveProperty('ITSM_SMOKE_TOKEN_URL');
  });
});

describe('credentials', () => {
  it('given inline are kept in a Secret of the chart, which the services read', () => {
    const objects = render({ valuesFiles: [ci('local-issuer')] });
    const secret = named(objects, 'Secret', fullname);
    expect(Object.keys(secret.data as object).sort()).toEqual([
      'database-url',
      'kafka-sasl-password',
    ]);
    expect(envOf(mainContainer(objects, 'incident')).DATABASE_URL.valueFrom?.secretKeyRef).toEqual({
      name: fullname,
      key: 'database-url',
    });
    const sasl = podSpecOf(deployment(objects, 'incident')).volumes.find(
      (volume) => volume.name === 'kafka-sasl',
    );
    expect(sasl!.secret).toMatchObject({
      secretName: fullname,
      items: [{ key: 'kafka-sasl-password', path: 'password' }],
    });
  });

  it('from existing Secrets are mounted where the services look for them, and no Secret is made', () => {
    const objects = render({ valuesFiles: [ci('existing-secrets')] });
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const container = mainContainer(objects, 'slm');
    expect(envOf(container)).toMatchObject({
      KAFKA_SSL: { value: 'true' },
      KAFKA_SSL_CA_FILE: { value: '/etc/itsm/kafka-ca/ca.crt' },
      KAFKA_SSL_CERT_FILE: { value: '/etc/itsm/kafka-client/tls.crt' },
      KAFKA_SSL_KEY_FILE: { value: '/etc/itsm/kafka-client/tls.key' },
      KAFKA_SASL_MECHANISM: { value: 'scram-sha-256' },
      KAFKA_SASL_USERNAME: { value: 'itsm' },
      KAFKA_SASL_PASSWORD_FILE: { value: '/etc/itsm/kafka-sasl/password' },
    });
    const volumes = Object.fromEntries(
      podSpecOf(deployment(objects, 'slm')).volumes.map((volume) => [volume.name, volume]),
    );
    const mounts = Object.fromEntries(
      container.volumeMounts.map((mount) => [mount.name, mount.mountPath]),
    );
    expect(mounts).toMatchObject({
      'kafka-ca': '/etc/itsm/kafka-ca',
      'kafka-client': '/etc/itsm/kafka-client',
      'kafka-sasl': '/etc/itsm/kafka-sasl',
      'database-ca': '/etc/itsm/database-ca',
    });
    expect(volumes['kafka-ca'].configMap!.name).toBe('kafka-ca');
    expect(volumes['kafka-client'].secret!.secretName).toBe('itsm-kafka-user');
    expect(volumes['kafka-sasl'].secret).toMatchObject({
      secretName: 'itsm-kafka-credentials',
      items: [{ key: 'password', path: 'password' }],
    });
    expect(volumes['database-ca'].secret!.secretName).toBe('itsm-db-ca');
    expect(podSpecOf(deployment(objects, 'slm')).serviceAccountName).toBe('itsm');
    expect(ofKind(objects, 'ServiceAccount')).toEqual([]);
  });

  // From the local-issuer scenario, which has every part inline or generated.
  it.each([
    ['the database URL', { 'database.existingSecret': 'db' }, `${fullname}:database-url`],
    [
      'the Kafka password',
      { 'kafka.sasl.existingSecret': 'kafka' },
      `${fullname}:kafka-sasl-password`,
    ],
    ['the identity keys', { 'identityKeys.existingSecret': 'keys' }, `${fullname}-identity-keys:*`],
    [
      'the local issuer’s key',
      { 'auth.local.signingKey.existingSecret': 'issuer' },
      `${fullname}-local-issuer:*`,
    ],
  ])('leave %s out of the chart’s Secrets when an existing Secret holds it', (_, set, dropped) => {
    const entries = (objects: K8sObject[]) =>
      ofKind(objects, 'Secret')
        .filter((secret) => !secret.metadata.annotations?.['helm.sh/hook'])
        .flatMap((secret) =>
          Object.keys(secret.data!).map((key) => `${secret.metadata.name}:${key}`),
        );
    const before = entries(render({ valuesFiles: [ci('local-issuer')] }));
    const after = entries(render({ valuesFiles: [ci('local-issuer')], set }));
    const [secret, key] = dropped.split(':');
    expect(before.filter((entry) => !after.includes(entry))).toEqual(
      before.filter(
        (entry) => entry.startsWith(`${secret}:`) && (key === '*' || entry.endsWith(`:${key}`)),
      ),
    );
    expect(after.filter((entry) => !before.includes(entry))).toEqual([]);
  });

  it('change the pods’ checksum, so they roll, when a value behind them changes', () => {
    const checksum = (objects: K8sObject[]) =>
      deployment(objects, 'incident').spec.template.metadata.annotations[
        'checksum/secrets'
      ] as string;
    const moved = render({
      valuesFiles: [MINIMAL],
      set: { 'database.existingSecret': 'another-db' },
    });
    expect(checksum(moved)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum(moved)).not.toBe(checksum(defaults));
    expect(checksum(render({ valuesFiles: [MINIMAL] }))).toBe(checksum(defaults));
  });
});

describe('the migrate hook', () => {
  const hooks = (objects: K8sObject[]) =>
    objects.filter((object) => object.metadata.annotations?.['helm.sh/hook']);

  it('runs each enabled service’s migrate step, before install and upgrade, after what it reads', () => {
    const objects = render({ valuesFiles: [ci('local-issuer')] });
    const job = named(objects, 'Job', `${fullname}-migrate`);
    expect(hookOf(job)).toEqual({
      hook: 'pre-install,pre-upgrade',
      weight: '0',
      deletePolicy: 'before-hook-creation,hook-succeeded',
    });
    expect(podSpecOf(job).containers.map((container) => container.args)).toEqual(
      SERVICES.map((service) => [`dist/services/${service}/src/migrate.js`]),
    );
    expect(podSpecOf(job).restartPolicy).toBe('Never');
    // What the Job reads is a hook too, made before it: the release's own Secret and
    // ServiceAccount do not exist yet at pre-install.
    const copy = named(objects, 'Secret', `${fullname}-migrate`);
    const account = named(objects, 'ServiceAccount', `${fullname}-migrate`);
    expect([hookOf(copy), hookOf(account)]).toEqual([
      {
        hook: 'pre-install,pre-upgrade',
        weight: '-10',
        deletePolicy: 'before-hook-creation,hook-succeeded',
      },
      {
        hook: 'pre-install,pre-upgrade',
        weight: '-10',
        deletePolicy: 'before-hook-creation,hook-succeeded',
      },
    ]);
    expect(copy.data).toEqual(named(objects, 'Secret', fullname).data);
    expect(podSpecOf(job).serviceAccountName).toBe(`${fullname}-migrate`);
    const env = envOf(podSpecOf(job).containers[0]);
    expect(env.DATABASE_URL.valueFrom?.secretKeyRef?.name).toBe(`${fullname}-migrate`);
    const sasl = podSpecOf(job).volumes.find((volume) => volume.name === 'kafka-sasl');
    expect(sasl!.secret!.secretName).toBe(`${fullname}-migrate`);
  });

  it('leaves nothing behind once it has succeeded: every hook, the test pod too, is deleted then', () => {
    for (const { name, objects } of renders)
      for (const object of hooks(objects))
        expect([name, object.kind, object.metadata.name, hookOf(object).deletePolicy]).toEqual([
          name,
          object.kind,
          object.metadata.name,
          expect.stringMatching(/(^|,)hook-succeeded(,|$)/),
        ]);
  });

  it('reads existing Secrets directly, and makes no copy of them', () => {
    const objects = render({ valuesFiles: [ci('existing-secrets')] });
    expect(
      hooks(objects)
        .filter((object) => hookOf(object).hook !== 'test')
        .map((object) => object.kind),
    ).toEqual(['Job']);
    expect(
      envOf(podSpecOf(named(objects, 'Job', `${fullname}-migrate`)).containers[0]).DATABASE_URL
        .valueFrom?.secretKeyRef,
    ).toEqual({ name: 'itsm-db-app', key: 'uri' });
  });

  it('creates the topics itself unless Strimzi declares them', () => {
    const skips = (objects: K8sObject[]) =>
      podSpecOf(named(objects, 'Job', `${fullname}-migrate`)).containers.map(
        (container) => envOf(container).ITSM_MIGRATE_TOPICS?.value,
      );
    expect(skips(defaults)).toEqual(SERVICES.map(() => undefined));
    expect(
      skips(render({ valuesFiles: [join(CHART, 'examples', 'strimzi-cloudnativepg.yaml')] })),
    ).toEqual(SERVICES.map(() => 'false'));
  });

  it('migrates only the services enabled', () => {
    const objects = render({
      valuesFiles: [MINIMAL],
      set: { 'reporting.enabled': false, 'slm.enabled': false },
    });
    expect(
      podSpecOf(named(objects, 'Job', `${fullname}-migrate`)).containers.map(
        (container) => container.name,
      ),
    ).toEqual(['gateway', 'incident', 'problem', 'change', 'cmdb']);
    expect(ofKind(objects, 'Deployment')).toHaveLength(5);
  });
});

describe('helm test', () => {
  it('takes a token with the OIDC client given, from its Secret', () => {
    const pod = named(defaults, 'Pod', `${fullname}-test`);
    expect(hookOf(pod)).toMatchObject({ hook: 'test' });
    expect(envOf(podSpecOf(pod).containers[0])).toMatchObject({
      ITSM_SMOKE_TOKEN_URL: { value: expect.stringMatching(/\/token$/) },
      ITSM_SMOKE_CLIENT_ID: { value: 'itsm-smoke-test' },
      ITSM_SMOKE_CLIENT_SECRET_FILE: { value: '/etc/itsm/smoke/client-secret' },
    });
    const volume = podSpecOf(pod).volumes.find((candidate) => candidate.name === 'credentials');
    expect(volume!.secret).toMatchObject({
      secretName: 'itsm-smoke-test-client',
      items: [{ key: 'client-secret', path: 'client-secret' }],
    });
  });
});

describe('autoscaling', () => {
  const objects = render({ valuesFiles: [ci('autoscaling')] });

  it('replaces the replicas of the services it scales, on CPU and memory', () => {
    const gateway = named(objects, 'HorizontalPodAutoscaler', component('gateway'));
    expect(gateway.spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: component('gateway') },
      minReplicas: 2,
      maxReplicas: 12,
    });
    expect(
      (
        gateway.spec.metrics as {
          resource: { name: string; target: { averageUtilization: number } };
        }[]
      ).map((metric) => [metric.resource.name, metric.resource.target.averageUtilization]),
    ).toEqual([
      ['cpu', 75],
      ['memory', 80],
    ]);
    expect(deployment(objects, 'gateway').spec).not.toHaveProperty('replicas');
    expect(deployment(objects, 'reporting').spec.replicas).toBe(1);
    expect(ofKind(objects, 'HorizontalPodAutoscaler')).toHaveLength(6);
    expect(
      ofKind(objects, 'PodDisruptionBudget').map((budget) => budget.metadata.name),
    ).not.toContain(component('reporting'));
  });
});

describe('exposure', () => {
  it('routes an Ingress to the gateway’s Service', () => {
    const ingress = named(
      render({ valuesFiles: [ci('ingress')] }),
      'Ingress',
      component('gateway'),
    );
    expect(ingress.spec).toMatchObject({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['itsm.example.com'], secretName: 'itsm-tls' }],
      rules: [
        {
          host: 'itsm.example.com',
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: component('gateway'), port: { name: 'http' } } },
              },
            ],
          },
        },
      ],
    });
  });

  it('routes an HTTPRoute to the gateway’s Service', () => {
    const route = named(
      render({ valuesFiles: [ci('httproute')] }),
      'HTTPRoute',
      component('gateway'),
    );
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec).toMatchObject({
      parentRefs: [{ name: 'public', namespace: 'gateway-system', sectionName: 'https' }],
      hostnames: ['itsm.example.com'],
      rules: [{ backendRefs: [{ name: component('gateway'), port: 80 }] }],
    });
  });

  it('has neither by default', () => {
    expect(defaults.filter((object) => ['Ingress', 'HTTPRoute'].includes(object.kind))).toEqual([]);
  });
});

describe('the ServiceMonitor', () => {
  const file = ci('servicemonitor');

  it('scrapes every service’s metrics port where the cluster has the Prometheus Operator', () => {
    const monitor = named(
      render({ valuesFiles: [file], apiVersions: ['monitoring.coreos.com/v1/ServiceMonitor'] }),
      'ServiceMonitor',
      fullname,
    );
    expect(monitor.metadata.labels!.release).toBe('kube-prometheus-stack');
    expect(monitor.spec).toMatchObject({
      selector: {
        matchLabels: { 'app.kubernetes.io/name': 'itsm', 'app.kubernetes.io/instance': RELEASE },
      },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: '15s' }],
    });
  });

  it('is left out, not failed on, where the cluster does not serve its API', () => {
    expect(ofKind(render({ valuesFiles: [file] }), 'ServiceMonitor')).toEqual([]);
  });
});

describe('the NetworkPolicies', () => {
  const policies = ofKind(defaults, 'NetworkPolicy');
  const policy = (name: string) => named(defaults, 'NetworkPolicy', name);
  const ingressOf = (name: string) => policy(name).spec.ingress as PolicyRule[];
  const fromComponents = (rule: PolicyRule): string[] =>
    rule.from!.map((peer) => peer.podSelector!.matchLabels!['app.kubernetes.io/component']);

  it('deny everything to and from the release’s pods but what they allow', () => {
    expect(policy(`${fullname}-default-deny`).spec).toEqual({
      podSelector: {
        matchLabels: { 'app.kubernetes.io/name': 'itsm', 'app.kubernetes.io/instance': RELEASE },
      },
      policyTypes: ['Ingress', 'Egress'],
    });
  });

  it('let the gateway take requests from anyone, the services from the gateway only, cmdb from change too', () => {
    expect(policy(component('gateway')).spec.ingress[0]).toEqual({
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
    for (const service of ['incident', 'problem', 'change', 'slm', 'reporting'])
      expect(fromComponents(ingressOf(component(service))[0])).toEqual(['gateway']);
    expect(fromComponents(ingressOf(component('cmdb'))[0])).toEqual(['gateway', 'change']);
  });

  it('let the metrics be scraped from the monitoring namespace only', () => {
    for (const service of SERVICES)
      expect(policy(component(service)).spec.ingress[1]).toEqual({
        ports: [{ port: 9090, protocol: 'TCP' }],
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        ],
      });
  });

  it('let the pods reach DNS, Kafka and PostgreSQL, and the gateway the identity provider', () => {
    const ports = (policy(`${fullname}-egress`).spec.egress as PolicyRule[]).map((rule) =>
      rule.ports.map((port) => `${port.port}/${port.protocol}`),
    );
    expect(ports).toEqual([['53/UDP', '53/TCP'], ['9092/TCP', '9093/TCP'], ['5432/TCP']]);
    const gatewayEgress = policy(component('gateway')).spec.egress;
    expect(gatewayEgress[0].to[0].podSelector.matchExpressions[0].values).toEqual([
      'incident',
      'problem',
      'change',
      'slm',
      'cmdb',
      'reporting',
    ]);
    expect(gatewayEgress[1].ports).toEqual([{ port: 443, protocol: 'TCP' }]);
    expect(
      policy(component('change')).spec.egress[0].to[0].podSelector.matchLabels[
        'app.kubernetes.io/component'
      ],
    ).toBe('cmdb');
  });

  it('let the OTLP collector be reached when there is one, and the brokers named be the only ones', () => {
    const monitored = render({ valuesFiles: [ci('servicemonitor')] });
    const egress = named(monitored, 'NetworkPolicy', `${fullname}-egress`).spec
      .egress as PolicyRule[];
    expect(egress.map((rule) => rule.ports[0].port)).toEqual([53, 9092, 5432, 4318]);
    const strimzi = render({
      valuesFiles: [join(CHART, 'examples', 'strimzi-cloudnativepg.yaml')],
    });
    const kafka = named(strimzi, 'NetworkPolicy', `${fullname}-egress`).spec.egress[1];
    expect(kafka.to[0].podSelector.matchLabels).toEqual({ 'strimzi.io/cluster': 'itsm-kafka' });
  });

  it('let a restricted gateway still be reached by helm test', () => {
    const objects = render({ valuesFiles: [ci('ingress')] });
    const from = named(objects, 'NetworkPolicy', component('gateway')).spec.ingress[0].from;
    expect(from[0].namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': 'ingress-nginx',
    });
    expect(from[1].podSelector.matchLabels['app.kubernetes.io/component']).toBe('test');
  });

  it('are not made when turned off', () => {
    expect(policies.length).toBeGreaterThan(0);
    expect(ofKind(render({ valuesFiles: [ci('networkpolicy-off')] }), 'NetworkPolicy')).toEqual([]);
  });
});
