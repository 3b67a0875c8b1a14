import { type OpenApiDocument } from './openapi-document';
import {
  IF_MATCH_SCHEMA,
  closeRequestBodySchemas,
  documentIfMatchHeaders,
} from './request-conventions';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('the request conventions, written into the generated document', () => {
  const document = (): OpenApiDocument => ({
    openapi: '3.1.0',
    info: { title: 't', version: 'v1' },
    paths: {
      '/api/v1/things/{id}': {
        patch: {
          parameters: [
            { name: 'If-Match', in: 'header', required: true, schema: { type: 'string' } },
          ],
          requestBody: { content: { 'application/json': { schema: ref('UpdateThing') } } },
          responses: { '200': { content: { 'application/json': { schema: ref('Thing') } } } },
        },
      },
    },
    components: {
      schemas: {
        UpdateThing: {
          type: 'object',
          properties: { parts: { type: 'array', items: ref('Part') }, labels: ref('Labels') },
        },
        Part: { type: 'object', properties: { name: { type: 'string' } } },
        Labels: { type: 'object', additionalProperties: { type: 'string' } },
        Thing: { type: 'object', properties: { id: { type: 'string' } } },
      },
    },
  });

  // The fuzzer sent bodies with properties the document allowed and the service refused.
  it('closes every object schema a request body reaches, and leaves maps and responses open', () => {
    const result = document();
    closeRequestBodySchemas(result);
    const schemas = result.components?.schemas as Record<string, Record<string, unknown>>;
    expect(schemas.UpdateThing.additionalProperties).toBe(false);
    expect(schemas.Part.additionalProperties).toBe(false);
    expect(schemas.Labels.additionalProperties).toEqual({ type: 'string' });
    expect(schemas.Thing).not.toHaveProperty('additionalProperties');
  });

  it('documents each If-Match as an ETag the API issued', () => {
    const result = document();
    documentIfMatchHeaders(result);
    const patch = result.paths?.['/api/v1/things/{id}'].patch as {
      parameters: { schema: unknown }[];
    };
    expect(patch.parameters[0].schema).toEqual(IF_MATCH_SCHEMA);
    const pattern = new RegExp(IF_MATCH_SCHEMA.pattern as string);
    expect(['"3"', 'W/"12"'].every((tag) => pattern.test(tag))).toBe(true);
    expect(['*', '3', '""', '"a"'].some((tag) => pattern.test(tag))).toBe(false);
  });
});
