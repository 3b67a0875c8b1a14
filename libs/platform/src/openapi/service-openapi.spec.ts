import { type OpenApiDocument, type OperationObject } from './openapi-document';
import { belongsTo, type RouteAccess } from './route-access';
import { applyRouteAccess } from './service-openapi';

const route = (overrides: Partial<RouteAccess>): RouteAccess => ({
  controller: 'IncidentsController',
  handler: 'get',
  isPublic: false,
  catchAll: false,
  ...overrides,
});

describe('operation ids and routes', () => {
  it('matches a handler, its aliases and, for catch-alls, each method', () => {
    const get = route({});
    expect(belongsTo('IncidentsController_get', get)).toBe(true);
    expect(belongsTo('IncidentsController_get[1]', get)).toBe(true);
    expect(belongsTo('IncidentsController_getAll', get)).toBe(false);
    expect(belongsTo('IncidentsController_get_post', get)).toBe(false);
    const proxy = route({ controller: 'ProxyController', handler: 'forward', catchAll: true });
    expect(belongsTo('ProxyController_forward_search', proxy)).toBe(true);
    expect(belongsTo('ProxyController_forwardAll', proxy)).toBe(false);
  });
});

describe('what the guards enforce, applied to the generated document', () => {
  const document = (): OpenApiDocument => ({
    openapi: '3.1.0',
    info: { title: 't', version: 'v1' },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/auth/token': {
        post: { operationId: 'AuthController_token', responses: { '200': { description: 'ok' } } },
      },
      '/api/v1/incidents/{id}': {
        get: {
          operationId: 'IncidentsController_get',
          description: 'Reads one.',
          responses: { '200': { description: 'ok' } },
        },
      },
      '/api/v1/problems/{rest}': {
        get: { operationId: 'ProxyController_forward_get', responses: {} },
        search: { operationId: 'ProxyController_forward_search', responses: {} },
      },
    },
  });
  const routes = [
    route({ controller: 'AuthController', handler: 'token', isPublic: true }),
    route({ permission: 'incident:read' }),
    route({ controller: 'ProxyController', handler: 'forward', catchAll: true }),
  ];

  it('drops catch-all routes, whatever method name they were given', () => {
    const result = document();
    applyRouteAccess(result, routes);
    expect(Object.keys(result.paths!)).toEqual(['/api/v1/auth/token', '/api/v1/incidents/{id}']);
  });

  it('lets public routes go without a token and documents 401 on the others', () => {
    const result = document();
    applyRouteAccess(result, routes);
    const token = result.paths!['/api/v1/auth/token'].post as OperationObject;
    expect(token.security).toEqual([]);
    expect(token.responses).not.toHaveProperty('401');
    const get = result.paths!['/api/v1/incidents/{id}'].get as OperationObject;
    expect(get.security).toBeUndefined();
    expect(get.responses).toMatchObject({
      '401': {
        content: {
          'application/problem+json': {
            schema: { $ref: '#/components/schemas/ProblemDocument' },
          },
        },
      },
    });
  });

  it('names the permission a route needs, and answers every error as a problem', () => {
    const result = document();
    applyRouteAccess(result, routes);
    const get = result.paths!['/api/v1/incidents/{id}'].get as OperationObject;
    expect(get['x-required-permission']).toBe('incident:read');
    expect(get.description).toBe('Reads one.\n\nNeeds the permission `incident:read`.');
    expect(get.responses).toHaveProperty('403');
    expect(get.responses).toMatchObject({
      default: { $ref: '#/components/responses/Problem' },
    });
  });
});
