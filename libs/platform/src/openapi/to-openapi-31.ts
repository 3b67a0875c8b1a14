import { isHttpMethod, type OpenApiDocument, type SchemaObject } from './openapi-document';

export const OPENAPI_VERSION = '3.1.0';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keywords that describe a schema rather than constrain it: they stay outside an `anyOf` made for `nullable`. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'externalDocs',
  'xml',
]);

/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = [
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'contentSchema',
];
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYWORDS = [
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
];

function convertChildren(schema: Json): Json {
  const result: Json = { ...schema };
  for (const keyword of SCHEMA_KEYWORDS) {
    if (isObject(result[keyword])) result[keyword] = convertSchema(result[keyword]);
  }
  for (const keyword of SCHEMA_LIST_KEYWORDS) {
    const value = result[keyword];
    if (Array.isArray(value)) result[keyword] = value.map((item) => convertSchema(item));
  }
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const value = result[keyword];
    if (isObject(value)) {
      result[keyword] = Object.fromEntries(
        Object.entries(value).map(([name, item]) => [name, convertSchema(item)]),
      );
    }
  }
  const items = result.items;
  if (Array.isArray(items)) {
    // A tuple, in draft 4 spelling: 2020-12 calls it prefixItems.
    delete result.items;
    result.prefixItems = items.map((item) => convertSchema(item));
  } else if (isObject(items)) {
    result.items = convertSchema(items);
  }
  return result;
}

function convertBounds(schema: Json): void {
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (schema[exclusive] === true && typeof schema[bound] === 'number') {
      schema[exclusive] = schema[bound];
      delete schema[bound];
    } else if (typeof schema[exclusive] === 'boolean') {
      delete schema[exclusive];
    }
  }
}

function convertFormats(schema: Json): void {
  if (schema.type !== 'string' && !(Array.isArray(schema.type) && schema.type.includes('string')))
    return;
  if (schema.format === 'binary') {
    delete schema.format;
    schema.contentMediaType ??= 'application/octet-stream';
  } else if (schema.format === 'byte') {
    delete schema.format;
    schema.contentEncoding ??= 'base64';
  }
}

function convertNullable(schema: Json): Json {
  const nullable = schema.nullable;
  delete schema.nullable;
  if (nullable !== true) return schema;
  // @nestjs/swagger writes a nullable reference as `{ type: 'object', allOf: [{ $ref }] }`:
  // widening that type alone still leaves the referenced schema refusing null.
  const composes = ['$ref', 'allOf', 'anyOf', 'oneOf'].some((keyword) => keyword in schema);
  if (!composes && (typeof schema.type === 'string' || Array.isArray(schema.type))) {
    const types = Array.isArray(schema.type) ? (schema.type as unknown[]) : [schema.type];
    schema.type = types.includes('null') ? types : [...types, 'null'];
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) {
      schema.enum = [...(schema.enum as unknown[]), null];
    }
    return schema;
  }
  // A composition ($ref, allOf, ...): "this, or null". The generator's `type: 'object'` beside it says nothing the reference does not.
  const annotations: Json = {};
  const constraints: Json = {};
  if (schema.type === 'object') delete schema.type;
  for (const [key, value] of Object.entries(schema)) {
    (ANNOTATIONS.has(key) ? annotations : constraints)[key] = value;
  }
  return { ...annotations, anyOf: [constraints, { type: 'null' }] };
}

/**
 * One OpenAPI 3.0 Schema Object as the JSON Schema 2020-12 that OpenAPI 3.1 uses:
 * `nullable` becomes a `null` type (or an `anyOf` with null), boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become the numbers they qualified, `example`
 * becomes `examples`, `binary`/`byte` strings use the content keywords, and tuple
 * `items` become `prefixItems`. Schemas already in 3.1 form pass through unchanged.
 */
export function convertSchema(input: unknown): SchemaObject {
  if (!isObject(input)) return input as SchemaObject;
  const schema = convertChildren(input);
  convertBounds(schema);
  convertFormats(schema);
  if ('example' in schema) {
    if (!Array.isArray(schema.examples)) schema.examples = [schema.example];
    delete schema.example;
  }
  return convertNullable(schema);
}

function convertContent(content: unknown): unknown {
  if (!isObject(content)) return content;
  return Object.fromEntries(
    Object.entries(content).map(([mediaType, media]) => [
      mediaType,
      isObject(media) && isObject(media.schema)
        ? { ...media, schema: convertSchema(media.schema) }
        : media,
    ]),
  );
}

/** A parameter or header: a schema, or content with schemas. */
function convertParameterLike(value: unknown): unknown {
  if (!isObject(value)) return value;
  const result: Json = { ...value };
  if (isObject(result.schema)) result.schema = convertSchema(result.schema);
  if (result.content) result.content = convertContent(result.content);
  return result;
}

function convertMap(value: unknown, convert: (item: unknown) => unknown): unknown {
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, convert(item)]));
}

function convertResponse(value: unknown): unknown {
  if (!isObject(value)) return value;
  const result: Json = { ...value };
  if (result.content) result.content = convertContent(result.content);
  if (result.headers) result.headers = convertMap(result.headers, convertParameterLike);
  return result;
}

function convertRequestBody(value: unknown): unknown {
  if (!isObject(value)) return value;
  return value.content ? { ...value, content: convertContent(value.content) } : value;
}

function convertOperation(value: unknown): unknown {
  if (!isObject(value)) return value;
  const result: Json = { ...value };
  if (Array.isArray(result.parameters)) {
    result.parameters = result.parameters.map(convertParameterLike);
  }
  if (result.requestBody) result.requestBody = convertRequestBody(result.requestBody);
  if (result.responses) result.responses = convertMap(result.responses, convertResponse);
  if (result.callbacks) {
    result.callbacks = convertMap(result.callbacks, (callback) =>
      convertMap(callback, convertPathItem),
    );
  }
  return result;
}

function convertPathItem(value: unknown): unknown {
  if (!isObject(value)) return value;
  const result: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (isHttpMethod(key)) result[key] = convertOperation(item);
    else if (key === 'parameters' && Array.isArray(item))
      result[key] = item.map(convertParameterLike);
    else result[key] = item;
  }
  return result;
}

const COMPONENT_CONVERTERS: Record<string, (value: unknown) => unknown> = {
  schemas: convertSchema,
  parameters: convertParameterLike,
  headers: convertParameterLike,
  requestBodies: convertRequestBody,
  responses: convertResponse,
  pathItems: convertPathItem,
};

/**
 * An OpenAPI 3.0 document (what @nestjs/swagger generates) as OpenAPI 3.1: the version
 * field and every schema in it converted (see {@link convertSchema}). The input is not
 * changed.
 */
export function toOpenApi31(document: OpenApiDocument): OpenApiDocument {
  const result: OpenApiDocument = { ...document, openapi: OPENAPI_VERSION };
  if (document.paths) {
    result.paths = Object.fromEntries(
      Object.entries(document.paths).map(([path, item]) => [
        path,
        convertPathItem(item) as Record<string, unknown>,
      ]),
    );
  }
  if (isObject(document.webhooks)) result.webhooks = convertMap(document.webhooks, convertPathItem);
  if (document.components) {
    result.components = Object.fromEntries(
      Object.entries(document.components).map(([kind, entries]) => {
        const convert = COMPONENT_CONVERTERS[kind];
        return [kind, convert ? (convertMap(entries, convert) as Json) : entries];
      }),
    );
  }
  return result;
}
