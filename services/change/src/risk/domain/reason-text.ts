import type { ImpactedService } from './risk-facts';

/** Wording shared by the risk reasons, so that every source reads alike. */

const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** `36 hours`, `2.5 days`, `90 days`: precise enough for a lead time or a look-back window. */
export function durationText(ms: number): string {
  if (ms < HOUR_MS) return plural(Math.max(1, Math.round(ms / 60_000)), 'minute');
  if (ms < 2 * DAY_MS) return plural(Math.round(ms / HOUR_MS), 'hour');
  return plural(Math.round((ms / DAY_MS) * 10) / 10, 'day');
}

/** `12 %`, one decimal only when it matters. */
export function percentText(ratio: number): string {
  return `${Math.round(ratio * 1000) / 10} %`;
}

const LISTED_SERVICES = 3;

/** `business services "Payments" (criticality 1) and "Intranet" (criticality 3)`, at most three named. */
export function servicesText(services: readonly ImpactedService[]): string {
  const named = services.slice(0, LISTED_SERVICES).map(serviceText);
  const more = services.length - named.length;
  const items = more > 0 ? [...named, `${more} more`] : named;
  const list =
    items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : items[0];
  return `${services.length === 1 ? 'business service' : 'business services'} ${list}`;
}

function serviceText(service: ImpactedService): string {
  const criticality =
    service.criticality === null ? 'criticality unknown' : `criticality ${service.criticality}`;
  return `"${service.name}" (${criticality})`;
}

/** Most critical first; unknown criticality last, then by name, so reasons name the worst first. */
export function byCriticality(a: ImpactedService, b: ImpactedService): number {
  const rank = (service: ImpactedService) => service.criticality ?? Number.POSITIVE_INFINITY;
  return rank(a) - rank(b) || a.name.localeCompare(b.name);
}
