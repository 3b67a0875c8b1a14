import { ENTITY_TAG_PATTERN } from '../http/entity-tag';
import { operationsOf, type OpenApiDocument, type SchemaObject } from './openapi-document';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const COMPONENT_REF = /^#\/components\/schemas\/(.+)$/;

/** The component schemas a schema reaches through `$ref`s, at any depth. */
function referencedSchemas(schema: unknown, found: Set<string>, components: Json): void {
  if (Array.isArray(schema)) {
    for (const item of schema) referencedSchemas(item, found, components);
    return;
  }
  if (!isObject(schema)) return;
  const name = typeof schema.$ref === 'string' ? COMPONENT_REF.exec(schema.$ref)?.[1] : undefined;
  if (name && !found.has(name)) {
    found.add(name);
    referencedSchemas(components[name], found, components);
  }
  for (const value of Object.values(schema)) referencedSchemas(value, found, components);
}

/**
 * Documents what the validation pipe enforces on every request body: a property the body
 * schema does not name is refused (`forbidNonWhitelisted`), so each object schema a body
 * reaches says `additionalProperties: false`, unless it declares what else it takes (a
 * map of attributes, say).
 */
export function closeRequestBodySchemas(document: OpenApiDocument): void {
  const components = (document.components?.schemas ?? {}) as Json;
  const reached = new Set<string>();
  for (const { operation } of operationsOf(document)) {
    referencedSchemas(operation.requestBody, reached, components);
  }
  for (const name of reached) {
    const schema = components[name];
    if (isObject(schema) && isObject(schema.properties) && !('additionalProperties' in schema))
      schema.additionalProperties = false;
  }
}

/** How every `If-Match` is read (`ExpectedVersion`): an ETag the API issued, nothing else. */
export const IF_MATCH_SCHEMA: SchemaObject = {
  type: 'string',
  pattern: ENTITY_TAG_PATTERN.source,
  examples: ['"3"'],
};

export function documentIfMatchHeaders(document: OpenApiDocument): void {
  for (const { operation } of operationsOf(document)) {
    for (const parameter of (operation.parameters ?? []) as Json[]) {
      if (parameter.in === 'header' && String(parameter.name).toLowerCase() === 'if-match')
        parameter.schema = IF_MATCH_SCHEMA;
    }
  }
}
