import { quantile, round } from '../stats';

/**
 * The console benchmark's arithmetic, kept free of the browser: the summary of a measure's
 * samples, the names resources are grouped under, and what a page load transferred.
 */

export interface Summary {
  n: number;
  p50: number | null;
  p95: number | null;
  min: number | null;
  max: number | null;
}

/** p50, p95 (interpolated as PostgreSQL's percentile_cont), min, max of the samples, to 0.1. */
export function summarise(values: readonly number[]): Summary {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: round(quantile(sorted, 0.5)),
    p95: round(quantile(sorted, 0.95)),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Vite's content hash before the extension: `index-DHuGGFer.js`. */
const ASSET_HASH = /-[A-Za-z0-9_-]{8}(\.(?:js|css))$/;

/**
 * The name a resource is counted under: an API call as its path with ids as `:id` and the
 * query's parameter names only (`api /incidents/:id/journal?limit`), a built asset without
 * its hash (`/assets/index.js`), anything else of the origin as `document <path>`.
 */
export function resourceLabel(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://console.invalid');
  } catch {
    return url;
  }
  const path = parsed.pathname;
  if (path.startsWith('/api/v1/')) {
    const segments = path
      .slice('/api/v1'.length)
      .split('/')
      .map((segment) => (UUID.test(segment) ? ':id' : segment));
    const names = [...new Set(parsed.searchParams.keys())].sort();
    return `api ${segments.join('/')}${names.length > 0 ? `?${names.join('&')}` : ''}`;
  }
  if (path.startsWith('/assets/')) return path.replace(ASSET_HASH, '$1');
  return `document ${path}`;
}

/** One resource as the browser's Resource or Navigation Timing saw it, times in ms from the page's time origin. */
export interface ResourceTiming {
  name: string;
  initiatorType: string;
  startTime: number;
  responseEnd: number;
  /** Bytes over the wire, headers included; 0 when served from the HTTP cache. */
  transferSize: number;
  /** The body as sent (compressed, if it was). */
  encodedBodySize: number;
  /** The body once decoded. */
  decodedBodySize: number;
}

export interface Transferred {
  requests: number;
  /** From the network (transferSize > 0). */
  fromNetwork: number;
  transferBytes: number;
  encodedBytes: number;
  decodedBytes: number;
  /** By kind: document, script, stylesheet, api, other. */
  byKind: Record<string, { requests: number; transferBytes: number; decodedBytes: number }>;
}

function kindOf(resource: ResourceTiming): string {
  const label = resourceLabel(resource.name);
  if (label.startsWith('api ')) return 'api';
  if (label.startsWith('document ')) return 'document';
  if (label.endsWith('.js')) return 'script';
  if (label.endsWith('.css')) return 'stylesheet';
  return 'other';
}

/** What a load fetched, summed over its resources (the document's navigation entry included). */
export function transferred(resources: readonly ResourceTiming[]): Transferred {
  const result: Transferred = {
    requests: 0,
    fromNetwork: 0,
    transferBytes: 0,
    encodedBytes: 0,
    decodedBytes: 0,
    byKind: {},
  };
  for (const resource of resources) {
    const kind = kindOf(resource);
    const entry = (result.byKind[kind] ??= { requests: 0, transferBytes: 0, decodedBytes: 0 });
    result.requests += 1;
    if (resource.transferSize > 0) result.fromNetwork += 1;
    result.transferBytes += resource.transferSize;
    result.encodedBytes += resource.encodedBodySize;
    result.decodedBytes += resource.decodedBodySize;
    entry.requests += 1;
    entry.transferBytes += resource.transferSize;
    entry.decodedBytes += resource.decodedBodySize;
  }
  return result;
}

export interface TimelineRow {
  label: string;
  /** In how many samples the resource was fetched. */
  samples: number;
  /** Its start and end, ms after the sample's start (navigation or click), and its duration. */
  start: Summary;
  end: Summary;
  duration: Summary;
}

/**
 * Where a measure's time goes: for each resource label, when it started and ended relative
 * to the sample's zero, over all samples; ordered by the median end. Several fetches of
 * one label in a sample count once, by the last to end.
 */
export function timeline(
  samples: readonly { zero: number; resources: readonly ResourceTiming[] }[],
): TimelineRow[] {
  const byLabel = new Map<string, { start: number[]; end: number[]; duration: number[] }>();
  for (const sample of samples) {
    const last = new Map<string, ResourceTiming>();
    for (const resource of sample.resources) {
      const label = resourceLabel(resource.name);
      const seen = last.get(label);
      if (!seen || resource.responseEnd > seen.responseEnd) last.set(label, resource);
    }
    for (const [label, resource] of last) {
      const row = byLabel.get(label) ?? { start: [], end: [], duration: [] };
      row.start.push(resource.startTime - sample.zero);
      row.end.push(resource.responseEnd - sample.zero);
      row.duration.push(resource.responseEnd - resource.startTime);
      byLabel.set(label, row);
    }
  }
  return [...byLabel]
    .map(([label, row]) => ({
      label,
      samples: row.end.length,
      start: summarise(row.start),
      end: summarise(row.end),
      duration: summarise(row.duration),
    }))
    .sort((a, b) => (a.end.p50 ?? 0) - (b.end.p50 ?? 0));
}

/** The assets index.html loads before anything else runs: its module scripts and stylesheets. */
export function entryAssets(indexHtml: string): string[] {
  const found: string[] = [];
  for (const match of indexHtml.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"[^>]*>/g)) {
    const url = match[1] ?? '';
    if (url.startsWith('/assets/')) found.push(url.slice(1));
  }
  return found;
}
