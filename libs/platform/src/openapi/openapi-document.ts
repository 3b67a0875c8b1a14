/**
 * The parts of an OpenAPI 3.1 document the platform reads and writes. Kept loose on
 * purpose: schemas are plain JSON Schema objects, and whatever else a document holds is
 * carried along untouched.
 */
export type SchemaObject = Record<string, unknown>;

export type SecurityRequirement = Record<string, string[]>;

export interface OperationObject {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: SecurityRequirement[];
  responses?: Record<string, unknown>;
  [key: string]: unknown;
}

/** A path item: operations by lower-case method, plus `parameters`, `summary`, ... */
export type PathItemObject = Record<string, unknown>;

export interface TagObject {
  name: string;
  description?: string;
  [key: string]: unknown;
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string; [key: string]: unknown };
  servers?: { url: string; description?: string }[];
  paths?: Record<string, PathItemObject>;
  components?: Record<string, Record<string, unknown> | undefined>;
  security?: SecurityRequirement[];
  tags?: TagObject[];
  [key: string]: unknown;
}

export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;

export type HttpMethod = (typeof HTTP_METHODS)[number];

export function isHttpMethod(key: string): key is HttpMethod {
  return (HTTP_METHODS as readonly string[]).includes(key);
}

/** Each operation of a document with its path and method. */
export function* operationsOf(
  document: Pick<OpenApiDocument, 'paths'>,
): Generator<{ path: string; method: HttpMethod; operation: OperationObject }> {
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (isHttpMethod(method) && operation && typeof operation === 'object') {
        yield { path, method, operation: operation as OperationObject };
      }
    }
  }
}
