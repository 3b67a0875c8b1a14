import { type LoopResult } from '../incident/closed-loop';
import { type PlanSummary } from './service-sql';
import { CI_CLASSES, COMPONENTS, HTTP_CODES, ORA_CODES, ciId, genericCode } from './dataset';

/**
 * The known-error searches a service desk sends (`GET /api/v1/known-errors`): each shape
 * rotates over a few values drawn from the dataset's vocabulary, so one cached answer does
 * not stand for the shape.
 */

export interface SearchShape {
  name: string;
  /** The query parameters of each request, taken in turn. */
  variants: Record<string, string>[];
}

export interface SearchShapeResult {
  name: string;
  paths: string[];
  /** Through the gateway, per client count. */
  http: LoopResult[];
  /** Items on the first page of the first variant (the page size caps it). */
  items?: number;
  /** The service's SQL of every variant, straight to PostgreSQL, one connection (closed loop). */
  sqlLoop?: LoopResult;
  /** The service's SQL for the first variant, as its repository builds it. */
  sql?: { text: string; values: unknown[] };
  plan?: PlanSummary;
  planError?: string;
}

/** The p99 the search should stay under through the gateway (issue 16). */
export const SEARCH_P99_GOAL_MS = 50;

export function searchShapes(): SearchShape[] {
  const q = (...values: string[]) => values.map((value) => ({ q: value }));
  return [
    {
      name: 'q: common word (a top component)',
      variants: q(...COMPONENTS.slice(0, 5)),
    },
    {
      name: 'q: two words',
      variants: q(
        'outlook certificate',
        'vpn disconnect',
        'sap replication',
        'citrix session',
        'oracle snapshot',
      ),
    },
    {
      name: 'q: phrase',
      variants: q('"snapshot too old"', '"connection pool"', '"intermediate certificate"'),
    },
    {
      name: 'q: error code as text',
      variants: q('ORA-01555', 'HTTP-503', genericCode(4711), '0x80070005'),
    },
    {
      name: 'ciId: hot CI',
      variants: Array.from({ length: 20 }, (_, n) => ({ ciId: ciId(n * 37) })),
    },
    {
      name: 'ciId: ordinary CI',
      variants: Array.from({ length: 20 }, (_, n) => ({ ciId: ciId(5000 + n * 311) })),
    },
    {
      name: 'errorCode: common (ORA-, HTTP-)',
      variants: [...ORA_CODES.slice(0, 5), ...HTTP_CODES.slice(0, 3)].map((errorCode) => ({
        errorCode,
      })),
    },
    {
      name: 'errorCode: rare (E####)',
      variants: Array.from({ length: 20 }, (_, n) => ({ errorCode: genericCode(n * 487) })),
    },
    {
      name: 'ciClass + q',
      variants: [
        { ciClass: 'database', q: 'snapshot' },
        { ciClass: 'load_balancer', q: 'certificate' },
        { ciClass: 'workstation', q: 'add-in' },
        { ciClass: 'virtual_server', q: 'disk' },
        { ciClass: CI_CLASSES[3] ?? 'application', q: 'session' },
      ],
    },
    { name: 'no filter (newest first)', variants: [{}] },
  ];
}

export function searchPath(params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  return `/api/v1/known-errors${query ? `?${query}` : ''}`;
}
