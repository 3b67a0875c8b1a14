import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const CHART = join(REPO_ROOT, 'helm', 'itsm');
export const SERVICES = ['gateway', 'incident', 'problem', 'change', 'slm', 'cmdb', 'reporting'];
/** The Kubernetes versions the chart supports, lowest and highest: every render is validated against both. */
export const KUBERNETES_VERSIONS = ['1.31', '1.37'];
export const RELEASE = 'itsm';
export const NAMESPACE = 'itsm';

export interface Metadata {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A rendered Kubernetes object; the tests read into its spec by the field names they know. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- specs are untyped YAML, typed where read (PodSpec...)
  spec?: any;
  data?: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}

export interface Volume {
  name: string;
  emptyDir?: object;
  secret?: { secretName: string; defaultMode?: number; items?: { key: string; path: string }[] };
  configMap?: { name: string; items?: { key: string; path: string }[] };
}

export interface Container {
  name: string;
  image: string;
  args: string[];
  env: EnvVar[];
  ports?: { name: string; containerPort: number; protocol: string }[];
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string }[];
  lifecycle?: { preStop?: { sleep?: { seconds: number } } };
}

export interface PodSpec {
  automountServiceAccountToken?: boolean;
  securityContext: Record<string, unknown>;
  serviceAccountName?: string;
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number;
  topologySpreadConstraints?: { topologyKey: string }[];
  containers: Container[];
  volumes: Volume[];
}

/** The pod of a bare Pod, or the pod template of a Deployment or Job. */
export function podSpecOf(object: K8sObject): PodSpec {
  if (object.kind === 'Pod') return object.spec as PodSpec;
  return (object.spec as { template: { spec: PodSpec } }).template.spec;
}

let helmPath: string | undefined;
/** helm, installed by deploy/local/helm.sh when missing (the first run downloads it). */
export function helm(): string {
  helmPath ??= execFileSync('bash', [join(REPO_ROOT, 'deploy/local/helm.sh'), 'ensure'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
  return helmPath;
}

/** What a cluster with the Prometheus Operator serves, for the ServiceMonitor and PrometheusRule. */
export const PROMETHEUS_OPERATOR_APIS = [
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
];

export interface Scenario {
  name: string;
  file: string;
  /** What the cluster is told to serve beyond the built-in APIs. */
  apiVersions: string[];
}

/**
 * Every values file under ci/ and examples/: the scenarios `helm lint`, `helm template` and
 * the schemas check (the examples are what users start from, so they are scenarios too).
 */
export function scenarios(): Scenario[] {
  const valuesFiles = (dir: string, suffix: string) =>
    readdirSync(join(CHART, dir))
      .filter((file) => file.endsWith(suffix))
      .sort()
      .map((file) => ({ name: basename(file, suffix), file: join(CHART, dir, file) }));
  return [...valuesFiles('ci', '-values.yaml'), ...valuesFiles('examples', '.yaml')].map(
    (scenario) => ({
      ...scenario,
      // The ServiceMonitor and the PrometheusRule are rendered only where the cluster has
      // the Prometheus Operator's API.
      apiVersions: scenario.name.startsWith('servicemonitor') ? PROMETHEUS_OPERATOR_APIS : [],
    }),
  );
}

export interface RenderOptions {
  valuesFiles?: string[];
  /** Values by path (`kafka.sasl.mechanism`), with their JSON types: `--set-json` each. */
  set?: Record<string, unknown>;
  apiVersions?: string[];
}

function valueArgs({ valuesFiles = [], set = {} }: RenderOptions): string[] {
  return [
    ...valuesFiles.flatMap((file) => ['--values', file]),
    ...Object.entries(set).flatMap(([key, value]) => [
      '--set-json',
      `${key}=${JSON.stringify(value)}`,
    ]),
  ];
}

export interface HelmResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runHelm(args: string[]): HelmResult {
  const result = spawnSync(helm(), args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function helmTemplate(options: RenderOptions = {}): HelmResult {
  return runHelm([
    'template',
    RELEASE,
    CHART,
    '--namespace',
    NAMESPACE,
    ...(options.apiVersions ?? []).flatMap((api) => ['--api-versions', api]),
    ...valueArgs(options),
  ]);
}

export function helmLint(options: RenderOptions = {}): HelmResult {
  return runHelm(['lint', '--strict', CHART, '--namespace', NAMESPACE, ...valueArgs(options)]);
}

/** The objects of a render that must succeed. */
export function render(options: RenderOptions = {}): K8sObject[] {
  const result = helmTemplate(options);
  if (result.status !== 0) throw new Error(`helm template failed:\n${result.stderr}`);
  return parseManifests(result.stdout);
}

export function parseManifests(manifest: string): K8sObject[] {
  return parseAllDocuments(manifest)
    .map((document) => {
      if (document.errors.length > 0) throw document.errors[0];
      return document.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);
}

/** The least values an install needs (ci/defaults-values.yaml). */
export const MINIMAL = join(CHART, 'ci', 'defaults-values.yaml');

export function ofKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((object) => object.kind === kind);
}

export function named(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the render`);
  return found;
}

/**
 * The problems kubernetes-validate --strict finds in each manifest file, for one Kubernetes
 * version: its warnings and errors by file (an empty list: every object passed).
 */
export function validateManifests(files: string[], version: string): Map<string, string[]> {
  const validator = execFileSync(
    'bash',
    [join(REPO_ROOT, 'deploy/local/helm.sh'), 'kubernetes-validate'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ).trim();
  const python = join(dirname(validator), 'python');
  // Its command line loads the schemas again for each object; cached, a render takes a
  // fraction of a second rather than seconds.
  const program = [
    'import functools, sys',
    'import kubernetes_validate.utils as utils',
    'utils.schema_contents = functools.lru_cache(maxsize=None)(utils.schema_contents)',
    'from kubernetes_validate.__main__ import main',
    'sys.exit(main())',
  ].join('\n');
  const result = spawnSync(
    python,
    ['-c', program, '--strict', '--quiet', '-k', version, ...files],
    {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    },
  );
  if (result.error) throw result.error;
  const problems = new Map(files.map((file) => [file, [] as string[]]));
  for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) {
    const file = files.find((candidate) => line.includes(` ${candidate} `));
    if (file && !line.startsWith('INFO')) problems.get(file)!.push(line);
  }
  if (result.status !== 0 && [...problems.values()].every((lines) => lines.length === 0))
    throw new Error(`kubernetes-validate failed:\n${result.stdout}${result.stderr}`);
  return problems;
}

/** Writes manifests to files kubernetes-validate can read, by name. */
export function writeManifests(manifests: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'itsm-chart-'));
  return Object.fromEntries(
    Object.entries(manifests).map(([name, manifest]) => {
      const file = join(dir, `${name}.yaml`);
      writeFileSync(file, manifest);
      return [name, file];
    }),
  );
}

/** Every pod of a render, with where it comes from: Deployments, Jobs, bare Pods. */
export function podSpecs(objects: K8sObject[]): { owner: string; spec: PodSpec }[] {
  return objects
    .filter((object) => ['Deployment', 'Job', 'Pod'].includes(object.kind))
    .map((object) => ({
      owner: `${object.kind} ${object.metadata.name}`,
      spec: podSpecOf(object),
    }));
}
