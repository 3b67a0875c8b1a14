import { servedPaths, unservedMethod } from './method-not-allowed.middleware';

describe('the methods a path serves', () => {
  const paths = servedPaths([
    { method: 'GET', path: '/api/v1/incidents' },
    { method: 'POST', path: '/api/v1/incidents' },
    { method: 'GET', path: '/api/v1/incidents/:id' },
    { method: 'PATCH', path: '/api/v1/incidents/:id' },
    { method: 'POST', path: '/api/v1/incidents/:id/transitions' },
    { method: 'ALL', path: '/api/v1/cis/*rest' },
    { method: 'GET', path: '/api/v1/slas/:id' },
    { method: 'POST', path: '/api/v1/slas/impact' },
  ]);

  it('lets a method the path serves through, and HEAD where GET is served', () => {
    expect(unservedMethod(paths, 'GET', '/api/v1/incidents/42')).toBeUndefined();
    expect(unservedMethod(paths, 'PATCH', '/api/v1/incidents/42')).toBeUndefined();
    expect(unservedMethod(paths, 'HEAD', '/api/v1/incidents')).toBeUndefined();
  });

  it('names exactly the methods of that path, not of its neighbours', () => {
    // The fuzzer found `Allow: GET, POST, PATCH` here: the methods of a whole route family.
    expect(unservedMethod(paths, 'POST', '/api/v1/incidents/42')).toEqual(['GET', 'PATCH']);
    expect(unservedMethod(paths, 'DELETE', '/api/v1/incidents')).toEqual(['GET', 'POST']);
    expect(unservedMethod(paths, 'OPTIONS', '/api/v1/incidents/42/transitions')).toEqual(['POST']);
    expect(unservedMethod(paths, 'TRACE', '/api/v1/incidents/')).toEqual(['GET', 'POST']);
  });

  it('reads a literal segment as its own path, as OpenAPI does, not as a parameter', () => {
    expect(unservedMethod(paths, 'PUT', '/api/v1/slas/impact')).toEqual(['POST']);
    expect(unservedMethod(paths, 'PUT', '/api/v1/slas/42')).toEqual(['GET']);
  });

  it('leaves a path no route serves to the 404, and a catch-all to its handler', () => {
    expect(unservedMethod(paths, 'GET', '/api/v1/nothing')).toBeUndefined();
    expect(unservedMethod(paths, 'PUT', '/api/v1/incidents/42/journal')).toBeUndefined();
    expect(unservedMethod(paths, 'PUT', '/api/v1/cis/42')).toBeUndefined();
  });
});
