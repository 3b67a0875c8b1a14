import { readFileSync } from 'node:fs';

/**
 * Where a process's main-thread CPU went, from a V8 `.cpuprofile` (`node --cpu-prof`, or the
 * inspector's `Profiler.stop`): the self time of every sample, attributed to a category of
 * the platform's request path (authentication, identity, proxying, validation, ORM, logging,
 * tracing, outbox, relay, consumer, framework, ...).
 *
 * A sample belongs to the nearest frame on its stack, leaf first, that names a category.
 * Some frames are transparent: V8 builtins (`JSON.stringify`), Node's internals, `jose`,
 * `tslib`. They do the work of whoever called them, so a signature check inside `jose` is
 * counted as authentication when the bearer-token verifier called it and as identity signing
 * when the gateway's identity minter did. A sample whose stack holds only transparent frames
 * gets the most telling fallback on it (`JWT verification`, `node: crypto`, `node: other`, ...).
 */

export interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: CpuProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

interface Classification {
  category: string;
  /** Does the work of its caller: the category goes to the nearest non-transparent ancestor. */
  transparent: boolean;
  /**
   * For a transparent frame, how telling its fallback is when no ancestor names a category:
   * the stack's most telling fallback wins (leaf first among equals). 0: a V8 builtin; 1: a
   * Node module; 2: a known operation (an ECDSA signature, jose's claims check).
   */
  weight?: number;
}

const opaque = (category: string): Classification => ({ category, transparent: false });
const transparent = (fallback: string, weight = 1): Classification => ({
  category: fallback,
  transparent: true,
  weight,
});

export const CATEGORY = {
  authentication: 'authentication (bearer token, API key)',
  identitySigning: 'internal identity: signing',
  identityVerification: 'internal identity: verification',
  proxying: 'proxying (forwarder, undici)',
  validation: 'validation (class-validator/transformer)',
  orm: 'ORM (TypeORM)',
  driver: 'pg driver',
  logging: 'logging (pino)',
  tracing: 'tracing (OpenTelemetry)',
  outbox: 'outbox (write)',
  relay: 'relay (outbox to Kafka)',
  consumer: 'consumer (inbox)',
  kafka: 'kafkajs (other)',
  idempotency: 'idempotency',
  rateLimit: 'rate limiting',
  directory: 'gateway directory (admit)',
  metrics: 'metrics (prom-client)',
  framework: 'framework (Nest, Express, helmet)',
  http: 'Node http/net (HTTP parsing, every socket read and write)',
  application: 'application code',
  jwtSign: 'JWT sign (jose+ECDSA, async part)',
  jwtVerify: 'JWT verify (jose+ECDSA, async part)',
  warnings: 'process warnings (MaxListenersExceeded)',
  gc: 'garbage collection (main thread)',
  program: 'V8/native (program)',
  other: 'other',
} as const;

const FRAMEWORK_PACKAGES = new Set([
  '@nestjs/core',
  '@nestjs/common',
  '@nestjs/platform-express',
  '@nestjs/swagger',
  '@nestjs/terminus',
  'express',
  'router',
  'body-parser',
  'raw-body',
  'rxjs',
  'path-to-regexp',
  'helmet',
  'qs',
  'finalhandler',
  'send',
  'accepts',
  'type-is',
  'content-type',
  'iconv-lite',
  'on-finished',
  'depd',
  'debug',
  'cookie',
  'encodeurl',
  'statuses',
  'http-errors',
  'mime-types',
  'mime-db',
  'negotiator',
  'forwarded',
  'proxy-addr',
  'fresh',
  'etag',
  'parseurl',
  'media-typer',
  'vary',
  'merge-descriptors',
  'setprototypeof',
  'range-parser',
  'reflect-metadata',
  'iterare',
  'fast-safe-stringify',
  'uid',
  'bytes',
  'unpipe',
  'ee-first',
  'content-disposition',
  'cors',
  'object-assign',
]);

const LOGGING_PACKAGES = new Set([
  'pino',
  'pino-http',
  'nestjs-pino',
  'pino-std-serializers',
  'sonic-boom',
  'fast-redact',
  '@pinojs/redact',
  'thread-stream',
  'on-exit-leak-free',
  'atomic-sleep',
  'quick-format-unescaped',
  'safe-stable-stringify',
  'process-warning',
  'get-caller-file',
]);

const DRIVER_PACKAGES = new Set([
  'pg',
  'pg-protocol',
  'pg-pool',
  'pg-types',
  'pg-int8',
  'pg-connection-string',
  'pgpass',
  'postgres-array',
  'postgres-date',
  'postgres-interval',
  'postgres-bytea',
  'split2',
]);

const TRACING_PACKAGES =
  /^(@opentelemetry\/|require-in-the-middle$|import-in-the-middle$|shimmer$)/;

/** `@scope/name` or `name` of the innermost node_modules package a script lives in. */
export function packageOf(url: string): string | undefined {
  const index = url.lastIndexOf('/node_modules/');
  if (index < 0) return undefined;
  const parts = url.slice(index + '/node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : parts[0];
}

function packageCategory(name: string, url: string): Classification {
  if (name === 'jose') {
    // An await inside jose resumes without its caller on the stack: by what jose is doing.
    if (/sign|produce|encode/i.test(url.slice(url.lastIndexOf('/'))))
      return transparent(CATEGORY.jwtSign, 2);
    if (/verify|claims|validate|decode/i.test(url.slice(url.lastIndexOf('/'))))
      return transparent(CATEGORY.jwtVerify, 2);
    return transparent(CATEGORY.other);
  }
  if (name === 'tslib' || name === 'uuid') return transparent(CATEGORY.other);
  if (TRACING_PACKAGES.test(name)) return opaque(CATEGORY.tracing);
  if (LOGGING_PACKAGES.has(name)) return opaque(CATEGORY.logging);
  if (DRIVER_PACKAGES.has(name)) return opaque(CATEGORY.driver);
  if (name === 'typeorm' || name === '@nestjs/typeorm') return opaque(CATEGORY.orm);
  if (name === 'class-validator' || name === 'class-transformer' || name === 'validator')
    return opaque(CATEGORY.validation);
  if (name === 'kafkajs') return transparent(CATEGORY.kafka);
  // The gateway's upstream client (Node's fetch is built on it too: node:internal/deps/undici).
  if (name === 'undici') return opaque(CATEGORY.proxying);
  if (name === '@nestjs/microservices') return opaque(CATEGORY.consumer);
  if (name === '@nestjs/throttler') return opaque(CATEGORY.rateLimit);
  if (name === 'prom-client' || name === 'tdigest' || name === 'bintrees')
    return opaque(CATEGORY.metrics);
  if (FRAMEWORK_PACKAGES.has(name)) return opaque(CATEGORY.framework);
  return opaque(`package ${name}`);
}

/** The platform's own compiled code (`dist/services/...`, `dist/libs/...`), by path. */
function ownCodeCategory(path: string, functionName: string): Classification | undefined {
  const rules: [RegExp, string][] = [
    [/services\/gateway\/src\/auth\//, CATEGORY.authentication],
    [/services\/gateway\/src\/api-keys\//, CATEGORY.authentication],
    [/services\/gateway\/src\/directory\//, CATEGORY.directory],
    [/services\/gateway\/src\/routing\//, CATEGORY.proxying],
    [/services\/gateway\/src\/rate-limit\//, CATEGORY.rateLimit],
    [/libs\/auth\/src\/internal-identity\/replay-cache/, CATEGORY.identityVerification],
    [/libs\/auth\/src\/nest\/internal-identity\.guard/, CATEGORY.identityVerification],
    [/libs\/platform\/src\/errors\/validation/, CATEGORY.validation],
    [/libs\/platform\/src\/http\/refuse-nul-characters/, CATEGORY.validation],
    [/libs\/platform\/src\/idempotency\//, CATEGORY.idempotency],
    [/libs\/observability\/src\/logging\//, CATEGORY.logging],
    [/libs\/observability\/src\/metrics\//, CATEGORY.metrics],
    [/libs\/observability\/src\/telemetry/, CATEGORY.tracing],
    [/libs\/messaging\/src\/tracing\//, CATEGORY.tracing],
    [/libs\/messaging\/src\/outbox\/outbox-writer/, CATEGORY.outbox],
    [/libs\/messaging\/src\/outbox\//, CATEGORY.relay],
    [/libs\/messaging\/src\/(inbox|kafka)\//, CATEGORY.consumer],
  ];
  if (/libs\/auth\/src\/internal-identity\/identity/.test(path)) {
    return opaque(
      /verif|callerOf/i.test(functionName)
        ? CATEGORY.identityVerification
        : CATEGORY.identitySigning,
    );
  }
  for (const [pattern, category] of rules) if (pattern.test(path)) return opaque(category);
  if (/\/(services|libs)\/[^/]+\/src\//.test(path)) return opaque(CATEGORY.application);
  return undefined;
}

export function classifyFrame(url: string, functionName: string): Classification {
  if (url === '') {
    if (functionName === '(garbage collector)') return opaque(CATEGORY.gc);
    if (functionName === '(program)') return opaque(CATEGORY.program);
    // V8 builtins and native functions (JSON.stringify, Promise machinery): their caller's work.
    return transparent(CATEGORY.other, 0);
  }
  if (url.startsWith('node:') || !url.includes('/')) {
    // WebCrypto's ECDSA job, resumed without its caller: which operation it is.
    if (/webcrypto/.test(url) && functionName === 'signImpl')
      return transparent(CATEGORY.jwtSign, 2);
    if (/webcrypto/.test(url) && functionName === 'verifyImpl')
      return transparent(CATEGORY.jwtVerify, 2);
    if (/warning/.test(url) || functionName === 'warnMaxListenersExceeded')
      return opaque(CATEGORY.warnings);
    if (/^node:internal\/deps\/undici/.test(url)) return opaque(CATEGORY.proxying);
    if (/^node:(_http_|net|internal\/(http|net|stream_base|js_stream))/.test(url))
      return opaque(CATEGORY.http);
    if (/crypto/.test(url)) return transparent('node: crypto');
    if (/stream/.test(url)) return transparent('node: streams');
    if (/async_hooks|async_context/.test(url)) return transparent('node: async context');
    if (/timers/.test(url)) return transparent('node: timers');
    return transparent('node: other');
  }
  const name = packageOf(url);
  if (name) return packageCategory(name, url);
  return ownCodeCategory(url, functionName) ?? opaque(CATEGORY.other);
}

export interface CategoryTotals {
  /** Microseconds sampled busy (everything but `(idle)`) and per category. */
  busyUs: number;
  idleUs: number;
  byCategory: Map<string, number>;
  /** Self time by package (or `dist/...` file, `node:` module), for the detail table. */
  byPackage: Map<string, number>;
}

function packageLabel(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const name = packageOf(url);
  if (name) return name;
  if (url.startsWith('node:')) return url.replace(/^node:(internal\/)?([^/]+).*$/, 'node:$2');
  const own = /\/dist\/((services|libs)\/[^/]+\/src\/[^/]+)/.exec(url);
  return own?.[1] ?? url;
}

/** Self time of each category and package in one profile. */
export function aggregate(profile: CpuProfile): CategoryTotals {
  const byId = new Map<number, CpuProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const categoryOf = new Map<number, string>();
  const resolve = (id: number): string => {
    const known = categoryOf.get(id);
    if (known !== undefined) return known;
    let fallback: Classification | undefined;
    let category: string | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || frame.functionName === '(root)') break;
      const classification = classifyFrame(frame.url, frame.functionName);
      if (!classification.transparent) {
        category = classification.category;
        break;
      }
      if (!fallback || (classification.weight ?? 1) > (fallback.weight ?? 1))
        fallback = classification;
    }
    const result = category ?? fallback?.category ?? CATEGORY.other;
    categoryOf.set(id, result);
    return result;
  };

  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const totals: CategoryTotals = {
    busyUs: 0,
    idleUs: 0,
    byCategory: new Map(),
    byPackage: new Map(),
  };
  const add = (map: Map<string, number>, key: string, us: number) =>
    map.set(key, (map.get(key) ?? 0) + us);
  for (let i = 0; i < samples.length; i += 1) {
    // Each sample stands for the time until the next one (the last: the mean interval).
    const us = Math.max(
      0,
      deltas[i + 1] ?? (profile.endTime - profile.startTime) / Math.max(samples.length, 1),
    );
    const node = byId.get(samples[i] ?? -1);
    if (!node) continue;
    if (node.callFrame.functionName === '(idle)') {
      totals.idleUs += us;
      continue;
    }
    totals.busyUs += us;
    add(totals.byCategory, resolve(node.id), us);
    add(totals.byPackage, packageLabel(node.callFrame.url, node.callFrame.functionName), us);
  }
  return totals;
}

export function readProfile(path: string): CpuProfile {
  return JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
}

/** Rows of `category, ms, share` sorted by time, optionally with ms per request. */
export function categoryRows(
  totals: CategoryTotals,
  requests?: number,
  limit = Number.POSITIVE_INFINITY,
  map: Map<string, number> = totals.byCategory,
): string[][] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => [
      name,
      (us / 1000).toFixed(0),
      `${((us / (totals.busyUs || 1)) * 100).toFixed(1)}%`,
      ...(requests ? [(us / 1000 / requests).toFixed(3)] : []),
    ]);
}
