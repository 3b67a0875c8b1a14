import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import expressStaticGzip from 'express-static-gzip';

/** Where `npm run build` puts the console: dist/console, from dist/services/gateway/src/console. */
export const DEFAULT_CONSOLE_DIR = resolve(__dirname, '..', '..', '..', '..', 'console');

/** Paths the console never answers: the API, its reference, health and keys stay as they are. */
const NOT_THE_CONSOLE = /^\/(api|docs|health|metrics|\.well-known)(\/|$)/;

const ONE_YEAR_SECONDS = 31_536_000;

/**
 * The console's content security policy: everything from this origin only (styles may be
 * inline, as the component library sets them on elements), plus the identity provider's
 * origin for the console's own calls to it (discovery and the token exchange).
 */
export function consoleContentSecurityPolicy(
  identityProviderOrigin: string | undefined,
  secure: boolean,
): string {
  const connect = ["'self'", ...(identityProviderOrigin ? [identityProviderOrigin] : [])];
  return [
    "default-src 'self'",
    "base-uri 'self'",
    `connect-src ${connect.join(' ')}`,
    "font-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "script-src 'self'",
    "script-src-attr 'none'",
    "style-src 'self' 'unsafe-inline'",
    ...(secure ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export interface ConsoleFilesOptions {
  directory: string;
  identityProviderOrigin: string | undefined;
}

/**
 * Serves the built console: its files (hashed assets cached for a year, everything else
 * revalidated; the Brotli or gzip copy the build wrote beside a file when the browser takes
 * it), and `index.html` for any other GET of a page (the console routes those in the
 * browser). Runs after every route of the gateway, so it only sees what none answered; the
 * API's paths fall through to the 404 problem as before.
 */
export function consoleFiles(options: ConsoleFilesOptions): RequestHandler | undefined {
  const index = join(options.directory, 'index.html');
  if (!existsSync(index)) return undefined;
  const files = expressStaticGzip(options.directory, {
    enableBrotli: true,
    orderPreference: ['br', 'gzip'],
    index: false,
    serveStatic: {
      index: false,
      redirect: false,
      fallthrough: true,
      etag: true,
      setHeaders: (response, path) => {
        response.setHeader(
          'cache-control',
          path.startsWith(join(options.directory, 'assets'))
            ? `public, max-age=${ONE_YEAR_SECONDS}, immutable`
            : 'no-cache',
        );
      },
    },
  });
  return (request: Request, response: Response, next: NextFunction) => {
    if (
      (request.method !== 'GET' && request.method !== 'HEAD') ||
      NOT_THE_CONSOLE.test(request.path)
    ) {
      next();
      return;
    }
    response.setHeader(
      'content-security-policy',
      consoleContentSecurityPolicy(options.identityProviderOrigin, request.secure),
    );
    files(request, response, () => {
      // A missing asset is a 404, not the page: only page paths fall back to index.html.
      if (request.path.startsWith('/assets/') || !request.accepts('html')) {
        response.removeHeader('content-security-policy');
        next();
        return;
      }
      response.setHeader('cache-control', 'no-cache');
      response.sendFile(index, { etag: true, lastModified: true }, (error) => {
        if (error) next(error);
      });
    });
  };
}
