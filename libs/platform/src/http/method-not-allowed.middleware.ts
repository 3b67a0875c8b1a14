import { type NestExpressApplication } from '@nestjs/platform-express';
import { type NextFunction, type Request, type Response } from 'express';
import { ProblemException } from '../errors/problem';
import { listHttpRoutes, type HttpRoute } from '../openapi/http-routes';

interface ServedPath {
  pattern: RegExp;
  /** Its `:parameter`s and `*rest`s: where several paths match, the most literal serves. */
  parameters: number;
  methods: Set<string>;
}

/** An Express path pattern as a regular expression: `:id` is one segment, `*rest` the rest of the path. */
function patternOf(path: string): RegExp {
  const source = path
    .split(/([:*][A-Za-z_]\w*)/)
    .map((part) => {
      if (part.startsWith(':')) return '[^/]+';
      if (part.startsWith('*')) return '.+';
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}/?$`);
}

/** The methods each path pattern serves. */
export function servedPaths(routes: HttpRoute[]): ServedPath[] {
  const byPath = new Map<string, Set<string>>();
  for (const { method, path } of routes) {
    const methods = byPath.get(path) ?? new Set<string>();
    methods.add(method);
    byPath.set(path, methods);
  }
  return [...byPath].map(([path, methods]) => ({
    pattern: patternOf(path),
    parameters: path.split(/[:*]/).length - 1,
    methods,
  }));
}

const METHOD_ORDER = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Methods in the order `Allow` lists them, wherever it is written. */
export function inAllowOrder(methods: Iterable<string>): string[] {
  return [...methods].sort((a, b) => METHOD_ORDER.indexOf(a) - METHOD_ORDER.indexOf(b));
}

/**
 * The methods a path answers, when it exists and `method` is not one of them; undefined
 * when the request is for a path no route serves (a 404) or a method it serves. HEAD is
 * served wherever GET is, as Express does.
 */
export function unservedMethod(
  paths: ServedPath[],
  method: string,
  path: string,
): string[] | undefined {
  const matching = paths.filter((served) => served.pattern.test(path));
  if (matching.length === 0) return undefined;
  // As OpenAPI reads paths: `/cis/impact` is its own path, not a `/cis/:id`.
  const fewest = Math.min(...matching.map((served) => served.parameters));
  const methods = new Set(
    matching
      .filter((served) => served.parameters === fewest)
      .flatMap((served) => [...served.methods]),
  );
  if (methods.has('ALL') || methods.has(method) || (method === 'HEAD' && methods.has('GET')))
    return undefined;
  return inAllowOrder(methods);
}

/**
 * Answers a method a path does not serve with 405 and `Allow` listing those it does
 * (RFC 9110), instead of the router's 404, which would say the path does not exist.
 * The routes are read from the router on the first request, when every one is registered.
 */
export function answerUnservedMethods(app: NestExpressApplication): void {
  let paths: ServedPath[] | undefined;
  app.use((request: Request, response: Response, next: NextFunction) => {
    paths ??= servedPaths(listHttpRoutes(app));
    const allowed = unservedMethod(paths, request.method, request.path);
    if (!allowed) {
      next();
      return;
    }
    response.setHeader('Allow', allowed.join(', '));
    next(
      new ProblemException(
        405,
        'method-not-allowed',
        'Method Not Allowed',
        `${request.path} accepts ${allowed.join(', ')}.`,
      ),
    );
  });
}
