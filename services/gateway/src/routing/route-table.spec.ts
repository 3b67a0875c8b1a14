import { ROUTE_TABLE, resolveRoute } from './route-table';

describe('the route table', () => {
  it.each([
    ['GET', '/api/v1/incidents', 'incident', 'incident:read'],
    ['POST', '/api/v1/incidents', 'incident', 'incident:create'],
    ['PATCH', '/api/v1/incidents/42', 'incident', 'incident:update'],
    ['POST', '/api/v1/incidents/42/transitions', 'incident', 'incident:update'],
    ['POST', '/api/v1/incidents/42/journal', 'incident', 'incident:comment'],
    ['POST', '/api/v1/changes/7/approvals', 'change', 'change:approve'],
    ['POST', '/api/v1/changes', 'change', 'change:write'],
    ['GET', '/api/v1/reports/evidence', 'reporting', 'evidence:read'],
    ['GET', '/api/v1/reports/event-archive', 'reporting', 'report:read'],
    ['GET', '/api/v1/ci-classes/server', 'cmdb', 'cmdb:read'],
    ['POST', '/api/v1/ci-classes', 'cmdb', 'cmdb:write'],
    ['POST', '/api/v1/ci-classes/server/attributes', 'cmdb', 'cmdb:write'],
    ['PATCH', '/api/v1/ci-classes/server', 'cmdb', 'cmdb:write'],
  ])('%s %s goes to %s and needs %s', (method, path, service, permission) => {
    expect(resolveRoute(method, path)).toMatchObject({
      kind: 'forward',
      family: { service },
      permission,
    });
  });

  it('answers a method no rule names with the methods that are allowed', () => {
    expect(resolveRoute('DELETE', '/api/v1/incidents')).toMatchObject({
      kind: 'method-not-allowed',
      allowed: ['GET', 'POST'],
    });
    expect(resolveRoute('POST', '/api/v1/sla-timers')).toMatchObject({
      kind: 'method-not-allowed',
      allowed: ['GET'],
    });
    expect(resolveRoute('DELETE', '/api/v1/ci-classes/server')).toMatchObject({
      kind: 'method-not-allowed',
      allowed: ['GET', 'PATCH'],
    });
  });

  it('does not route a path that only starts with the same letters', () => {
    expect(resolveRoute('GET', '/api/v1/incidentsx')).toEqual({ kind: 'unknown' });
    expect(resolveRoute('GET', '/api/v2/incidents')).toEqual({ kind: 'unknown' });
  });

  it('has one family per prefix', () => {
    const prefixes = ROUTE_TABLE.map((family) => family.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});
