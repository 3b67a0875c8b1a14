import request from 'supertest';
import { Parser } from '@asyncapi/parser';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ALL_DOMAIN_TOPICS, EVENT_CATALOG } from '@itsm/contracts';
import {
  ALL_SERVICES,
  RunningPlatform,
  ServiceProcess,
  freePort,
  type ServiceName,
} from '@itsm/testing';

interface HttpRoute {
  method: string;
  path: string;
}

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, { $ref?: string; content?: Record<string, { schema?: unknown }> }>;
}

interface OpenApiDocument {
  openapi: string;
  security?: Record<string, string[]>[];
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
  'x-unavailable-services': string[];
}

interface AsyncApiDocument {
  asyncapi: string;
  channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>;
  components: { messages: Record<string, { payload: unknown }> };
}

/** Spectral's `DiagnosticSeverity.Error`; warnings (1), information (2) and hints (3) are allowed. */
const isError = (diagnostic: { severity: number }) => diagnostic.severity === 0;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const PUBLIC_API = /^\/api\/v1(\/|$)/;

/** `:id` and `*rest` (Express) -> `{id}`, `{rest}` (OpenAPI). */
const openApiPath = (path: string) => path.replace(/[:*]([A-Za-z_]\w*)/g, '{$1}');

function operationsOf(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

async function openApiErrors(document: unknown): Promise<unknown[]> {
  const validator = new Validator();
  const result = await validator.validate(document as Record<string, unknown>);
  expect(validator.version).toBe('3.1');
  return result.valid ? [] : [result.errors];
}

describe('the API reference documents', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    platform = await RunningPlatform.start(ALL_SERVICES);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const openApi = async (gatewayUrl = platform.gatewayUrl): Promise<OpenApiDocument> => {
    const response = await request(gatewayUrl)
      .get('/api/v1/openapi.json')
      .expect(200)
      .expect('content-type', /application\/json/);
    return response.body as OpenApiDocument;
  };

  /** What each service's HTTP server serves, from its own router. */
  const servedRoutes = async (name: ServiceName): Promise<HttpRoute[]> => {
    const response = await request(platform.service(name).url).get('/internal/routes').expect(200);
    return response.body as HttpRoute[];
  };

  it('serves the public API as one OpenAPI 3.1 document, without a token, that validates', async () => {
    const document = await openApi();
    expect(document.openapi).toBe('3.1.0');
    expect(await openApiErrors(document)).toEqual([]);
    expect(document['x-unavailable-services']).toEqual([]);
  });

  it('documents every route the services serve under /api/v1, and nothing else', async () => {
    const document = await openApi();
    const served = new Set<string>();
    for (const name of ALL_SERVICES) {
      for (const route of await servedRoutes(name)) {
        if (!PUBLIC_API.test(route.path)) continue;
        // The gateway's catch-alls forward to the services, whose own routes are checked here.
        if (name === 'gateway' && route.method === 'ALL') continue;
        served.add(`${route.method} ${openApiPath(route.path)}`);
      }
    }
    const documented = operationsOf(document);
    expect(served).toContain('POST /api/v1/auth/token');
    expect(served).toContain('POST /api/v1/incidents');
    expect(served).toContain('GET /api/v1/openapi.json');
    expect([...served].filter((operation) => !documented.includes(operation))).toEqual([]);
    expect(documented.filter((operation) => !served.has(operation))).toEqual([]);
    for (const path of Object.keys(document.paths)) {
      expect(path).toMatch(PUBLIC_API);
    }
  });

  it('asks for a bearer token except where the gateway does not, and answers errors as problem+json', async () => {
    const document = await openApi();
    expect(document.security).toEqual([{ bearer: [] }]);
    expect(document.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    for (const path of ['/api/v1/auth/token', '/api/v1/openapi.json', '/api/v1/asyncapi.json']) {
      const [operation] = Object.values(document.paths[path]);
      expect(operation.security).toEqual([]);
    }
    const create = document.paths['/api/v1/incidents'].post;
    expect(create.security).toBeUndefined();
    expect(create.responses['400'].content?.['application/problem+json'].schema).toEqual({
      $ref: '#/components/schemas/ProblemDocument',
    });
    expect(create.responses['401']).toBeDefined();
    expect(create.responses.default).toEqual({ $ref: '#/components/responses/Problem' });
    expect(document.components.schemas.ProblemDocument).toMatchObject({
      required: ['type', 'title', 'status'],
    });
  });

  it('leaves out a service that does not answer and names it, and still validates', async () => {
    const upstreams: Record<string, string> = {};
    for (const name of ALL_SERVICES.filter((service) => service !== 'gateway')) {
      upstreams[`${name.toUpperCase()}_URL`] = platform.service(name).url;
    }
    upstreams.REPORTING_URL = `http://127.0.0.1:${await freePort()}`;
    const gateway = await ServiceProcess.start('gateway', upstreams);
    try {
      const document = await openApi(gateway.url);
      expect(document['x-unavailable-services']).toEqual(['reporting']);
      expect(Object.keys(document.paths).some((path) => path.startsWith('/api/v1/reports'))).toBe(
        false,
      );
      expect(document.paths['/api/v1/incidents']).toBeDefined();
      expect(await openApiErrors(document)).toEqual([]);
    } finally {
      await gateway.stop();
    }
  });

  it('serves the events as an AsyncAPI 3 document the parser reads without errors', async () => {
    const response = await request(platform.gatewayUrl)
      .get('/api/v1/asyncapi.json')
      .expect(200)
      .expect('content-type', /application\/json/);
    const document = response.body as AsyncApiDocument;
    expect(document.asyncapi).toBe('3.0.0');
    const { diagnostics } = await new Parser().parse(response.text);
    expect(diagnostics.filter(isError)).toEqual([]);

    const addresses = Object.values(document.channels).map((channel) => channel.address);
    for (const topic of ALL_DOMAIN_TOPICS) expect(addresses).toContain(topic);
    for (const definition of EVENT_CATALOG) {
      expect(document.components.messages[definition.type].payload).toEqual(definition.schema);
      const channel = Object.values(document.channels).find(
        (candidate) => candidate.address === definition.topic,
      );
      expect(Object.keys(channel?.messages ?? {})).toContain(definition.type);
    }
  });

  it('serves a browsable reference at /docs, from local files only', async () => {
    const page = await request(platform.gatewayUrl)
      .get('/docs')
      .expect(200)
      .expect('content-type', /text\/html/);
    expect(page.text).toContain('/api/v1/openapi.json');
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...page.text.matchAll(/(?:src|href)="(\/docs\/assets\/[^"]+)"/g)].map(
      (match) => match[1],
    );
    expect(assets).toEqual(
      expect.arrayContaining(['/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css']),
    );
    for (const asset of assets) await request(platform.gatewayUrl).get(asset).expect(200);
    await request(platform.gatewayUrl).get('/docs/assets/package.json').expect(404);
  });
});
