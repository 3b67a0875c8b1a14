import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, REPO_ROOT } from '@itsm/testing';

/**
 * The chart installed, upgraded, tested and removed on a real kube-apiserver (deploy/k8s/
 * cluster.sh: etcd, kube-apiserver, controller manager and scheduler, kwok for the nodes),
 * in a namespace that enforces the `restricted` Pod Security level. Run by
 * `npm run test:k8s`, which creates the cluster and exports KUBECONFIG, ITSM_HELM_BIN and
 * ITSM_KUBECTL_BIN (and ITSM_IMAGE_REF, the image it built).
 */

const run = promisify(execFile);
const NAMESPACE = 'itsm-live';
const RELEASE = 'itsm';
const CHART = join(REPO_ROOT, 'helm/itsm');
const VALUES = join(REPO_ROOT, 'deploy/k8s/values-kwok.yaml');
const INSTANCE = `app.kubernetes.io/instance=${RELEASE}`;
const HELM_TIMEOUT = '10m';
/** Set at upgrade; it must reach every Deployment's pod template, so each one rolls. */
const UPGRADE_SET = ['--set', 'logLevel=debug'];
const UPGRADE_MARK = '"debug"';

/** Every namespaced kind the chart can create (CRD-backed kinds are not served here). */
const CHART_KINDS = [
  'deployments.apps',
  'replicasets.apps',
  'pods',
  'services',
  // The EndpointSlice controller copies a Service's labels onto its slices.
  'endpointslices.discovery.k8s.io',
  'jobs.batch',
  'cronjobs.batch',
  'secrets',
  'configmaps',
  'serviceaccounts',
  'roles.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
  'networkpolicies.networking.k8s.io',
  'ingresses.networking.k8s.io',
  'poddisruptionbudgets.policy',
  'horizontalpodautoscalers.autoscaling',
];

/**
 * The image test-k8s/image.k8s-spec.ts built and ran (deploy/k8s/test.sh exports its
 * reference), so the chart is installed with the image that was checked; kwok never pulls
 * it. Without one, values-kwok.yaml's placeholder stays.
 */
function imageValues(reference = process.env.ITSM_IMAGE_REF): string[] {
  if (!reference) return [];
  const [name, digest] = reference.split('@');
  const tagAt = name.lastIndexOf(':');
  const hasTag = tagAt > name.lastIndexOf('/');
  const values = [`image.repository=${hasTag ? name.slice(0, tagAt) : name}`];
  if (hasTag) values.push(`image.tag=${name.slice(tagAt + 1)}`);
  if (digest) values.push(`image.digest=${digest}`);
  return values.flatMap((value) => ['--set', value]);
}

/** What `helm install` and `helm upgrade` are given: the release, the chart, its values, waiting. */
function releaseArguments(extra: readonly string[] = []): string[] {
  return [
    RELEASE,
    CHART,
    '-n',
    NAMESPACE,
    '-f',
    VALUES,
    ...imageValues(),
    ...extra,
    '--wait',
    '--timeout',
    HELM_TIMEOUT,
  ];
}

const kubeconfig = requiredEnv('KUBECONFIG');
const helmBin = requiredEnv('ITSM_HELM_BIN');
const kubectlBin = requiredEnv('ITSM_KUBECTL_BIN');
const durations: Array<[string, number]> = [];

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run this suite through npm run test:k8s`);
  return value;
}

async function tool(bin: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(bin, args, {
      env: { ...process.env, KUBECONFIG: kubeconfig },
      maxBuffer: 64 << 20,
    });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${bin} ${args.join(' ')} failed:\n${stderr ?? ''}${stdout ?? ''}`, {
      cause: error,
    });
  }
}

const kubectl = (...args: string[]) => tool(kubectlBin, args);
const helm = (...args: string[]) => tool(helmBin, args);

function kubectlWithInput(input: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      kubectlBin,
      args,
      { env: { ...process.env, KUBECONFIG: kubeconfig } },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${stderr}${stdout}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const seconds = (performance.now() - started) / 1000;
    durations.push([phase, seconds]);
    process.stdout.write(`[k8s] ${phase}: ${seconds.toFixed(1)} s\n`);
  }
}

interface KubeObject {
  metadata: {
    name: string;
    resourceVersion: string;
    generation?: number;
    annotations?: Record<string, string>;
  };
  spec?: { replicas?: number; template?: unknown };
  status?: {
    succeeded?: number;
    replicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    observedGeneration?: number;
    conditions?: Array<{ type: string; status: string }>;
  };
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

/**
 * Records every change to one kind in the namespace, in the API server's order. Resource
 * versions come from one etcd, so they order events across kinds too.
 */
class Watch {
  readonly events: WatchEvent[] = [];
  readonly kind: string;
  private readonly process: ChildProcess;
  private buffer = '';

  /** Settles once the API server has answered the watch request. */
  readonly listening: Promise<void>;

  constructor(kind: string) {
    this.kind = kind;
    // -v=6 logs each request with its status: the watch's own 200 says it is established.
    this.process = spawn(
      kubectlBin,
      ['get', kind, '-n', NAMESPACE, '--watch', '--output-watch-events', '-o', 'json', '-v=6'],
      { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.listening = new Promise((resolve, reject) => {
      let log = '';
      this.process.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
        log += chunk;
        if (/watch=true[^\n]*200 OK/.test(log)) resolve();
      });
      this.process.on('exit', (code) =>
        reject(new Error(`kubectl watch of ${kind} ended (${code}):\n${log}`)),
      );
    });
    // kubectl prints each event as one line of JSON.
    this.process.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, end).trim();
        this.buffer = this.buffer.slice(end + 1);
        if (line) this.events.push(JSON.parse(line) as WatchEvent);
      }
    });
  }

  stop(): void {
    this.process.kill();
  }
}

const rv = (object: KubeObject) => BigInt(object.metadata.resourceVersion);

interface HookRun {
  kind: string;
  name: string;
  weight: number;
  created: bigint;
  /** For a Job, when it succeeded; anything else is done once it exists. */
  done: bigint;
}

/** Kinds the chart's pre-install/pre-upgrade hooks are made of. */
const HOOK_KINDS = ['jobs.batch', 'secrets', 'serviceaccounts', 'configmaps'];

/**
 * The hooks of `phase` (pre-install, pre-upgrade) the watches saw from `since` on (an index
 * per watch, taken before the helm command), in creation order.
 */
function hookRuns(hookWatches: Watch[], since: number[], phase: string): HookRun[] {
  const runs = new Map<string, HookRun>();
  hookWatches.forEach((watch, index) => {
    for (const { type, object } of watch.events.slice(since[index])) {
      const hooks = object.metadata.annotations?.['helm.sh/hook']?.split(',') ?? [];
      if (!hooks.includes(phase)) continue;
      const key = `${watch.kind}/${object.metadata.name}`;
      if (type === 'ADDED') {
        const isJob = watch.kind === 'jobs.batch';
        runs.set(key, {
          kind: watch.kind,
          name: object.metadata.name,
          weight: Number(object.metadata.annotations?.['helm.sh/hook-weight'] ?? 0),
          created: rv(object),
          done: isJob ? -1n : rv(object),
        });
      }
      const hookRun = runs.get(key);
      if (hookRun && hookRun.done < 0n && (object.status?.succeeded ?? 0) > 0) {
        hookRun.done = rv(object);
      }
    }
  });
  return [...runs.values()].sort((a, b) => (a.created < b.created ? -1 : 1));
}

function expectHooksInWeightOrderBefore(runs: HookRun[], firstWorkloadChange: bigint): void {
  const describe = (hook: HookRun) => `${hook.kind}/${hook.name} (weight ${hook.weight})`;
  process.stdout.write(
    `[k8s] hooks in creation order: ${runs.map(describe).join(', ')}; then the Deployments\n`,
  );
  expect(runs.filter((hook) => hook.kind === 'jobs.batch').length).toBeGreaterThan(0);
  runs.forEach((hook, index) => {
    expect({ hook: describe(hook), done: hook.done > 0n }).toEqual({
      hook: describe(hook),
      done: true,
    });
    expect(hook.done).toBeLessThan(firstWorkloadChange);
    for (const earlier of runs.slice(0, index)) {
      // Helm creates hooks by ascending weight and waits for each Job before the next hook.
      expect({
        hook: describe(hook),
        after: describe(earlier),
        ordered: earlier.weight <= hook.weight,
      }).toEqual({
        hook: describe(hook),
        after: describe(earlier),
        ordered: true,
      });
      if (earlier.kind === 'jobs.batch') expect(hook.created).toBeGreaterThan(earlier.done);
    }
  });
}

async function deployments(): Promise<KubeObject[]> {
  const list = JSON.parse(
    await kubectl('get', 'deployments', '-n', NAMESPACE, '-l', INSTANCE, '-o', 'json'),
  ) as { items: KubeObject[] };
  return list.items;
}

function expectAvailable(deployment: KubeObject): void {
  const { name } = deployment.metadata;
  const available = deployment.status?.conditions?.find((c) => c.type === 'Available')?.status;
  expect({ name, available, ready: deployment.status?.availableReplicas }).toEqual({
    name,
    available: 'True',
    ready: deployment.status?.replicas,
  });
  expect(deployment.status?.availableReplicas ?? 0).toBeGreaterThan(0);
}

async function leftovers(): Promise<string[]> {
  const labelled = await kubectl(
    'get',
    CHART_KINDS.join(','),
    '-n',
    NAMESPACE,
    '-l',
    INSTANCE,
    '-o',
    'name',
  );
  // Helm's own record of the release, which carries Helm's labels rather than the chart's.
  const records = await kubectl(
    'get',
    'secrets',
    '-n',
    NAMESPACE,
    '-l',
    `owner=helm,name=${RELEASE}`,
    '-o',
    'name',
  );
  return `${labelled}${records}`.split('\n').filter(Boolean);
}

describe('the Helm chart on a live API server', () => {
  let hookWatches: Watch[] = [];
  let workloads: Watch;
  const positions = () => hookWatches.map((watch) => watch.events.length);

  beforeAll(async () => {
    await timed('namespace', async () => {
      await kubectl('delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait');
      await kubectl('create', 'namespace', NAMESPACE);
      await kubectl(
        'label',
        'namespace',
        NAMESPACE,
        'pod-security.kubernetes.io/enforce=restricted',
        'pod-security.kubernetes.io/enforce-version=latest',
      );
    });
    hookWatches = HOOK_KINDS.map((kind) => new Watch(kind));
    workloads = new Watch('deployments.apps');
    // Every watch must be listening before the first hook is created.
    await Promise.all([...hookWatches, workloads].map((watch) => watch.listening));
  });

  afterAll(() => {
    hookWatches.forEach((watch) => watch.stop());
    workloads?.stop();
    const total = durations.reduce((sum, [, seconds]) => sum + seconds, 0);
    process.stdout.write(
      `[k8s] phases: ${durations.map(([phase, s]) => `${phase} ${s.toFixed(1)} s`).join(', ')}; total ${total.toFixed(1)} s\n`,
    );
  });

  it('refuses a pod that breaks the restricted Pod Security level in the namespace', async () => {
    const rootPod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'runs-privileged', namespace: NAMESPACE },
      spec: {
        containers: [{ name: 'main', image: 'busybox', securityContext: { privileged: true } }],
      },
    };
    const refusal = await timed('pod-security check', () =>
      kubectlWithInput(JSON.stringify(rootPod), ['create', '-f', '-']).then(
        () => 'created',
        (error: Error) => error.message,
      ),
    );
    expect(refusal).toMatch(/violates PodSecurity "restricted:latest"/);
  });

  it('installs: hook Jobs run in weight order before any Deployment exists, every Deployment becomes available', async () => {
    const since = positions();
    await timed('helm install --wait', () => helm('install', ...releaseArguments()));
    const created = workloads.events
      .filter((event) => event.type === 'ADDED')
      .map((event) => rv(event.object));
    expect(created.length).toBeGreaterThan(0);
    const firstDeployment = created.reduce((a, b) => (a < b ? a : b));
    expectHooksInWeightOrderBefore(hookRuns(hookWatches, since, 'pre-install'), firstDeployment);

    const installed = await deployments();
    expect(installed.length).toBe(created.length);
    installed.forEach(expectAvailable);
  });

  it('upgrades: hooks run again first, and every Deployment rolls out the changed value', async () => {
    const before = new Map(
      (await deployments()).map((d) => [d.metadata.name, d.metadata.generation ?? 0]),
    );
    const watched = workloads.events.length;
    const since = positions();
    await timed('helm upgrade --wait', () => helm('upgrade', ...releaseArguments(UPGRADE_SET)));
    // The first change to a Deployment's spec (its generation moving on) is Helm's patch.
    const specChanges = workloads.events
      .slice(watched)
      .filter(
        ({ object }) => (object.metadata.generation ?? 0) > (before.get(object.metadata.name) ?? 0),
      );
    expect(specChanges.length).toBeGreaterThan(0);
    const firstChange = rv(specChanges[0].object);
    expectHooksInWeightOrderBefore(hookRuns(hookWatches, since, 'pre-upgrade'), firstChange);

    const upgraded = await deployments();
    expect(upgraded.map((d) => d.metadata.name).sort()).toEqual([...before.keys()].sort());
    for (const deployment of upgraded) {
      const { name, generation = 0 } = deployment.metadata;
      expect({ name, rolled: generation > (before.get(name) ?? 0) }).toEqual({
        name,
        rolled: true,
      });
      expect(JSON.stringify(deployment.spec?.template)).toContain(UPGRADE_MARK);
      expect(deployment.status?.observedGeneration).toBe(generation);
      expect(deployment.status?.updatedReplicas).toBe(deployment.status?.replicas);
      expectAvailable(deployment);
    }
  });

  it('passes helm test', async () => {
    const output = await timed('helm test', () =>
      helm('test', RELEASE, '-n', NAMESPACE, '--timeout', HELM_TIMEOUT),
    );
    expect(output).toMatch(/Phase:\s+Succeeded/);
    expect(output).not.toMatch(/Phase:\s+Failed/);
  });

  it('uninstalls and leaves nothing of the release in the namespace', async () => {
    await timed('helm uninstall --wait', () =>
      helm('uninstall', RELEASE, '-n', NAMESPACE, '--wait', '--timeout', HELM_TIMEOUT),
    );
    // Pods and ReplicaSets go through the garbage collector after their owners are gone.
    const left = await timed('garbage collection', () =>
      eventually(async () => ((await leftovers()).length === 0 ? [] : undefined), {
        timeoutMs: 120_000,
        intervalMs: 1_000,
        description: 'the release to be gone',
      }).catch(() => leftovers()),
    );
    expect(left).toEqual([]);
  });
});
