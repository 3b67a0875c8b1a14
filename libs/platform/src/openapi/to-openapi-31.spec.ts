import { Validator } from '@seriousme/openapi-schema-validator';
import { type OpenApiDocument } from './openapi-document';
import { convertSchema, toOpenApi31 } from './to-openapi-31';

describe('OpenAPI 3.0 schemas as OpenAPI 3.1 (JSON Schema 2020-12)', () => {
  it('turns nullable into a null type, and adds null to an enum', () => {
    expect(convertSchema({ type: 'string', nullable: true })).toEqual({ type: ['string', 'null'] });
    expect(convertSchema({ type: 'string', enum: ['a', 'b'], nullable: true })).toEqual({
      type: ['string', 'null'],
      enum: ['a', 'b', null],
    });
    expect(convertSchema({ type: 'integer', nullable: false })).toEqual({ type: 'integer' });
  });

  it('turns a nullable reference into "this or null", keeping annotations outside', () => {
    expect(
      convertSchema({
        allOf: [{ $ref: '#/components/schemas/Incident' }],
        nullable: true,
        description: 'The incident, if any.',
      }),
    ).toEqual({
      description: 'The incident, if any.',
      anyOf: [{ allOf: [{ $ref: '#/components/schemas/Incident' }] }, { type: 'null' }],
    });
  });

  it('turns a nullable reference with the type @nestjs/swagger adds beside it into "this or null"', () => {
    expect(
      convertSchema({
        type: 'object',
        nullable: true,
        allOf: [{ $ref: '#/components/schemas/ImportReport' }],
      }),
    ).toEqual({
      anyOf: [{ allOf: [{ $ref: '#/components/schemas/ImportReport' }] }, { type: 'null' }],
    });
  });

  it('turns boolean exclusive bounds into the numbers they qualified', () => {
    expect(
      convertSchema({ type: 'number', minimum: 0, exclusiveMinimum: true, maximum: 10 }),
    ).toEqual({ type: 'number', exclusiveMinimum: 0, maximum: 10 });
    expect(convertSchema({ type: 'number', maximum: 5, exclusiveMaximum: true })).toEqual({
      type: 'number',
      exclusiveMaximum: 5,
    });
    expect(convertSchema({ type: 'number', minimum: 1, exclusiveMinimum: false })).toEqual({
      type: 'number',
      minimum: 1,
    });
    expect(convertSchema({ type: 'number', exclusiveMinimum: 3 })).toEqual({
      type: 'number',
      exclusiveMinimum: 3,
    });
  });

  it('turns example into examples, binary and byte strings into content keywords, tuples into prefixItems', () => {
    expect(convertSchema({ type: 'string', example: 'INC0001001' })).toEqual({
      type: 'string',
      examples: ['INC0001001'],
    });
    expect(convertSchema({ type: 'string', format: 'binary' })).toEqual({
      type: 'string',
      contentMediaType: 'application/octet-stream',
    });
    expect(convertSchema({ type: 'string', format: 'byte' })).toEqual({
      type: 'string',
      contentEncoding: 'base64',
    });
    expect(
      convertSchema({ type: 'array', items: [{ type: 'string' }, { type: 'integer' }] }),
    ).toEqual({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }] });
  });

  it('converts nested schemas: properties, items, combinators, additionalProperties', () => {
    expect(
      convertSchema({
        type: 'object',
        properties: {
          nextCursor: { type: 'string', nullable: true },
          items: { type: 'array', items: { type: 'integer', nullable: true } },
          either: { oneOf: [{ type: 'string', example: 'x' }, { type: 'number' }] },
        },
        additionalProperties: { type: 'boolean', nullable: true },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        nextCursor: { type: ['string', 'null'] },
        items: { type: 'array', items: { type: ['integer', 'null'] } },
        either: { oneOf: [{ type: 'string', examples: ['x'] }, { type: 'number' }] },
      },
      additionalProperties: { type: ['boolean', 'null'] },
    });
  });

  it('leaves a property named like a keyword alone', () => {
    expect(
      convertSchema({ type: 'object', properties: { nullable: { type: 'boolean' } } }),
    ).toEqual({ type: 'object', properties: { nullable: { type: 'boolean' } } });
  });
});

describe('an OpenAPI 3.0 document as OpenAPI 3.1', () => {
  const generated: OpenApiDocument = {
    openapi: '3.0.0',
    info: { title: 'incident', version: 'v1' },
    paths: {
      '/api/v1/incidents/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        get: {
          operationId: 'IncidentsController_get',
          parameters: [
            {
              name: 'limit',
              in: 'query',
              schema: { type: 'integer', minimum: 0, exclusiveMinimum: true, example: 10 },
            },
          ],
          responses: {
            '200': {
              description: 'The incident.',
              headers: { ETag: { schema: { type: 'string', nullable: true } } },
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/Incident' },
                  example: { id: 'x' },
                },
              },
            },
          },
        },
        patch: {
          requestBody: {
            content: {
              'application/json': { schema: { type: 'object', nullable: true } },
            },
          },
          responses: { '200': { description: 'ok' } },
        },
      },
    },
    components: {
      schemas: {
        Incident: {
          type: 'object',
          properties: { closedAt: { type: 'string', format: 'date-time', nullable: true } },
        },
      },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };

  it('converts every schema of paths and components and sets the version, without touching the input', async () => {
    const before = JSON.stringify(generated);
    const converted = toOpenApi31(generated);
    expect(JSON.stringify(generated)).toBe(before);
    expect(converted.openapi).toBe('3.1.0');
    expect(converted.paths!['/api/v1/incidents/{id}']).toEqual({
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        operationId: 'IncidentsController_get',
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', exclusiveMinimum: 0, examples: [10] },
          },
        ],
        responses: {
          '200': {
            description: 'The incident.',
            headers: { ETag: { schema: { type: ['string', 'null'] } } },
            content: {
              'application/json': {
                schema: { $ref: '#/components/schemas/Incident' },
                example: { id: 'x' },
              },
            },
          },
        },
      },
      patch: {
        requestBody: {
          content: { 'application/json': { schema: { type: ['object', 'null'] } } },
        },
        responses: { '200': { description: 'ok' } },
      },
    });
    expect(converted.components!.schemas).toEqual({
      Incident: {
        type: 'object',
        properties: { closedAt: { type: ['string', 'null'], format: 'date-time' } },
      },
    });

    const validator = new Validator();
    const result = await validator.validate(converted);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });
});
