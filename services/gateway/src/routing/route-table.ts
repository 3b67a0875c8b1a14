import { type UpstreamService } from '../config/gateway.config';

/** Which service owns each public path family. The gateway forwards the path unchanged. */
export const ROUTE_TABLE: readonly { prefix: string; service: UpstreamService }[] = [
  { prefix: '/api/v1/incidents', service: 'incident' },
  { prefix: '/api/v1/reports', service: 'reporting' },
];

export function ownerOf(path: string): UpstreamService | undefined {
  return ROUTE_TABLE.find(
    (route) =>
      path === route.prefix ||
      path.startsWith(`${route.prefix}/`) ||
      path.startsWith(`${route.prefix}?`),
  )?.service;
}
