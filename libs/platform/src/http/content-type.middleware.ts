import { type NextFunction, type Request, type Response } from 'express';
import { ProblemException } from '../errors/problem';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const JSON_TYPES = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function hasBody(request: Request): boolean {
  const length = request.header('content-length');
  return (
    (length !== undefined && length !== '0') || request.header('transfer-encoding') !== undefined
  );
}

/** A request body in anything but JSON is refused with 415, before any handler sees it. */
export function requireJsonBodies(request: Request, _response: Response, next: NextFunction): void {
  if (
    BODY_METHODS.has(request.method) &&
    hasBody(request) &&
    !JSON_TYPES.test(request.header('content-type') ?? '')
  ) {
    next(
      new ProblemException(
        415,
        'unsupported-media-type',
        'Unsupported Media Type',
        'Request bodies must be JSON (Content-Type: application/json).',
      ),
    );
    return;
  }
  next();
}
