import { METHODS } from 'node:http';
import { type NestExpressApplication } from '@nestjs/platform-express';

export interface HttpRoute {
  /** Upper-case HTTP method, or `ALL` for a catch-all. */
  method: string;
  /** The Express path pattern, e.g. `/api/v1/incidents/:id` or `/api/v1/incidents/*rest`. */
  path: string;
}

/** What Express 5's router keeps of each route (not in its type declarations). */
interface ExpressRouter {
  stack?: { route?: { path?: unknown; methods?: Record<string, boolean> } }[];
}

/**
 * The routes the Express application actually serves, read from its router: what a
 * request can reach, whatever registered it.
 */
export function listHttpRoutes(app: NestExpressApplication): HttpRoute[] {
  const router = (app.getHttpAdapter().getInstance() as unknown as { router?: ExpressRouter })
    .router;
  const routes: HttpRoute[] = [];
  for (const layer of router?.stack ?? []) {
    const route = layer.route;
    if (!route) continue;
    const paths = (Array.isArray(route.path) ? route.path : [route.path]).filter(
      (path): path is string => typeof path === 'string',
    );
    const enabled = Object.entries(route.methods ?? {})
      .filter(([, on]) => on)
      .map(([method]) => method.toUpperCase());
    // `all()` registers every method Node knows (or `_all`): one catch-all, not dozens of routes.
    const catchAll =
      enabled.includes('_ALL') || METHODS.every((method) => enabled.includes(method));
    const methods = catchAll ? ['ALL'] : enabled;
    for (const path of paths) for (const method of methods) routes.push({ method, path });
  }
  return routes;
}

/** An Express path pattern as an OpenAPI path template: `:id` -> `{id}`, `*rest` -> `{rest}`. */
export function openApiPathOf(expressPath: string): string {
  return expressPath.replace(/[:*]([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}
