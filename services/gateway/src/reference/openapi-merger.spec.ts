import { Validator } from '@seriousme/openapi-schema-validator';
import { type OpenApiDocument, type OperationObject } from '@itsm/platform';
import { mergeOpenApiDocuments, type DocumentSource } from './openapi-merger';

const INFO = { title: 'ITSM platform API', version: 'v1' };
const BEARER = { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' };
const PROBLEM = { type: 'object', required: ['type', 'title', 'status'] };

const ok = (schema: string) => ({
  '200': {
    description: 'ok',
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } },
  },
  default: {
    description: 'error',
    content: {
      'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDocument' } },
    },
  },
});

function service(overrides: Partial<OpenApiDocument> = {}): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 'service', version: 'v1' },
    security: [{ bearer: [] }],
    paths: {},
    components: { securitySchemes: { bearer: BEARER }, schemas: { ProblemDocument: PROBLEM } },
    ...overrides,
  };
}

const gateway: DocumentSource = {
  name: 'gateway',
  document: service({
    tags: [{ name: 'auth', description: 'Tokens.' }],
    paths: {
      '/api/v1/auth/token': {
        post: {
          operationId: 'AuthController_token',
          tags: ['auth'],
          security: [],
          responses: ok('TokenResponse'),
        },
      },
      '/.well-known/jwks.json': { get: { operationId: 'AuthController_jwks', responses: {} } },
    },
    components: {
      securitySchemes: { bearer: BEARER },
      schemas: { ProblemDocument: PROBLEM, TokenResponse: { type: 'object' } },
    },
  }),
};

const incident: DocumentSource = {
  name: 'incident',
  document: service({
    paths: {
      '/api/v1/incidents/{id}': {
        get: {
          operationId: 'IncidentsController_get',
          tags: ['incidents'],
          responses: ok('Incident'),
        },
      },
      '/health/ready': { get: { operationId: 'HealthController_ready', responses: ok('Health') } },
    },
    components: {
      securitySchemes: { bearer: BEARER },
      schemas: {
        ProblemDocument: PROBLEM,
        Incident: {
          type: 'object',
          properties: { assignee: { $ref: '#/components/schemas/Person' } },
        },
        Person: { type: 'object', properties: { username: { type: 'string' } } },
        Health: { type: 'object' },
      },
    },
  }),
};

describe('merging the services’ OpenAPI documents', () => {
  it('keeps the public API’s paths only, with exactly the components they reference', () => {
    const merged = mergeOpenApiDocuments([gateway, incident], { info: INFO });
    expect(Object.keys(merged.paths!)).toEqual(['/api/v1/auth/token', '/api/v1/incidents/{id}']);
    expect(Object.keys(merged.components!.schemas!)).toEqual([
      'Incident',
      'Person',
      'ProblemDocument',
      'TokenResponse',
    ]);
    expect(merged.components!.securitySchemes).toEqual({ bearer: BEARER });
    expect(merged.openapi).toBe('3.1.0');
    expect(merged.info).toEqual(INFO);
  });

  it('keeps a component two services define alike once, and renames one they define differently', () => {
    const reporting: DocumentSource = {
      name: 'reporting',
      document: service({
        paths: {
          '/api/v1/reports/people': {
            get: { operationId: 'ReportsController_people', responses: ok('Person') },
          },
        },
        components: {
          securitySchemes: { bearer: BEARER },
          schemas: {
            ProblemDocument: PROBLEM,
            Person: { type: 'object', properties: { name: { type: 'string' } } },
          },
        },
      }),
    };
    const merged = mergeOpenApiDocuments([gateway, incident, reporting], { info: INFO });
    const schemas = merged.components!.schemas!;
    expect(schemas.ProblemDocument).toEqual(PROBLEM);
    expect(schemas.Person).toEqual(incident.document.components!.schemas!.Person);
    expect(schemas['reporting.Person']).toEqual(reporting.document.components!.schemas!.Person);
    expect(merged.paths!['/api/v1/reports/people'].get).toMatchObject({
      responses: {
        '200': {
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/reporting.Person' } },
          },
        },
      },
    });
  });

  it('renames a component that is alike but references one that had to be renamed', () => {
    const other: DocumentSource = {
      name: 'problem',
      document: service({
        paths: {
          '/api/v1/problems/{id}': {
            get: { operationId: 'ProblemsController_get', responses: ok('Incident') },
          },
        },
        components: {
          securitySchemes: { bearer: BEARER },
          schemas: {
            ProblemDocument: PROBLEM,
            Incident: incident.document.components!.schemas!.Incident,
            Person: { type: 'string' },
          },
        },
      }),
    };
    const merged = mergeOpenApiDocuments([gateway, incident, other], { info: INFO });
    expect(merged.components!.schemas).toMatchObject({
      'problem.Person': { type: 'string' },
      'problem.Incident': {
        properties: { assignee: { $ref: '#/components/schemas/problem.Person' } },
      },
      Incident: { properties: { assignee: { $ref: '#/components/schemas/Person' } } },
    });
  });

  it('takes the first document’s security, keeps operations’ own, and gives the others what their document required', () => {
    const open: DocumentSource = {
      name: 'cmdb',
      document: service({
        security: undefined,
        paths: { '/api/v1/cis': { get: { operationId: 'CisController_list', responses: {} } } },
      }),
    };
    const keyed: DocumentSource = {
      name: 'slm',
      document: service({
        security: [{ bearer: [] }],
        paths: { '/api/v1/slas': { get: { operationId: 'SlasController_list', responses: {} } } },
        components: {
          securitySchemes: { bearer: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
        },
      }),
    };
    const merged = mergeOpenApiDocuments([gateway, incident, open, keyed], { info: INFO });
    expect(merged.security).toEqual([{ bearer: [] }]);
    const operation = (path: string) => Object.values(merged.paths![path])[0] as OperationObject;
    expect(operation('/api/v1/auth/token').security).toEqual([]);
    expect(operation('/api/v1/incidents/{id}').security).toBeUndefined();
    expect(operation('/api/v1/cis').security).toEqual([]);
    expect(operation('/api/v1/slas').security).toEqual([{ 'slm.bearer': [] }]);
    expect(merged.components!.securitySchemes).toEqual({
      bearer: BEARER,
      'slm.bearer': { type: 'apiKey', in: 'header', name: 'x-api-key' },
    });
  });

  it('keeps the first definition of a repeated operation and makes operation ids unique', () => {
    const twin: DocumentSource = {
      name: 'change',
      document: service({
        paths: {
          '/api/v1/incidents/{id}': {
            get: { operationId: 'Other_get', summary: 'shadowed', responses: {} },
            delete: { operationId: 'IncidentsController_get', responses: {} },
          },
        },
      }),
    };
    const merged = mergeOpenApiDocuments([gateway, incident, twin], { info: INFO });
    expect(merged.paths!['/api/v1/incidents/{id}']).toMatchObject({
      get: { operationId: 'IncidentsController_get' },
      delete: { operationId: 'change_IncidentsController_get' },
    });
  });

  it('keeps a path another service documents under a family’s prefix as that service’s, once', () => {
    const problem: DocumentSource = {
      name: 'problem',
      document: service({
        paths: {
          '/api/v1/incidents/{id}/known-errors': {
            get: {
              operationId: 'IncidentKnownErrorsController_list',
              tags: ['known-errors'],
              responses: ok('KnownErrorOffersResponse'),
            },
          },
        },
        components: {
          securitySchemes: { bearer: BEARER },
          schemas: { ProblemDocument: PROBLEM, KnownErrorOffersResponse: { type: 'object' } },
        },
      }),
    };
    const merged = mergeOpenApiDocuments([gateway, incident, problem], { info: INFO });
    expect(
      Object.keys(merged.paths!).filter((path) => path.startsWith('/api/v1/incidents')),
    ).toEqual(['/api/v1/incidents/{id}', '/api/v1/incidents/{id}/known-errors']);
    expect(merged.paths!['/api/v1/incidents/{id}/known-errors']).toEqual({
      get: expect.objectContaining({
        operationId: 'IncidentKnownErrorsController_list',
      }) as unknown,
    });
    expect(merged.paths!['/api/v1/incidents/{id}'].get).toMatchObject({
      operationId: 'IncidentsController_get',
    });
  });

  it('names the services that could not be reached, and carries the tags the operations use', () => {
    const merged = mergeOpenApiDocuments([gateway, incident], {
      info: INFO,
      unavailable: ['reporting'],
    });
    expect(merged['x-unavailable-services']).toEqual(['reporting']);
    expect(merged.tags).toEqual([{ name: 'auth', description: 'Tokens.' }, { name: 'incidents' }]);
    expect(mergeOpenApiDocuments([gateway], { info: INFO })['x-unavailable-services']).toEqual([]);
  });

  it('makes a document that validates as OpenAPI 3.1, and leaves its inputs alone', async () => {
    const before = JSON.stringify([gateway, incident]);
    const merged = mergeOpenApiDocuments([gateway, incident], { info: INFO, unavailable: ['slm'] });
    expect(JSON.stringify([gateway, incident])).toBe(before);
    const result = await new Validator().validate(merged);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
  });
});
