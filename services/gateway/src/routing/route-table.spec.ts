import { PROXIED_PATHS, ROUTE_TABLE, familyOf, resolveRoute } from './route-table';

describe('the route table', () => {
  it.each([
    ['GET', '/api/v1/incidents', 'incident', 'incident:read'],
    ['POST', '/api/v1/incidents', 'incident', 'incident:create'],
    ['PATCH', '/api/v1/incidents/42', 'incident', 'incident:update'],
    ['POST', '/api/v1/incidents/42/transitions', 'incident', 'incident:update'],
    ['POST', '/api/v1/incidents/42/journal', 'incident', 'incident:comment'],
    ['POST', '/api/v1/changes/7/approvals', 'change', 'change:approve'],
    ['GET', '/api/v1/changes/awaiting-my-decision', 'change', 'change:approve'],
    ['POST', '/api/v1/cab-meetings/7/decisions', 'change', 'change:approve'],
    ['POST', '/api/v1/cab-meetings', 'change', 'change:schedule'],
    ['DELETE', '/api/v1/cab-meetings/7', 'change', 'change:schedule'],
    ['GET', '/api/v1/cab-meetings/7/agenda', 'change', 'change:read'],
    ['POST', '/api/v1/changes', 'change', 'change:create'],
    ['POST', '/api/v1/changes/7/transitions', 'change', 'change:write'],
    ['POST', '/api/v1/changes/7/deployments', 'change', 'change:deploy'],
    ['GET', '/api/v1/changes/7/gate', 'change', 'change:read'],
    ['GET', '/api/v1/changes/7/tasks/8/history', 'change', 'change:read'],
    ['POST', '/api/v1/changes/7/tasks', 'change', 'change:write'],
    ['PATCH', '/api/v1/changes/7/tasks/8', 'change', 'change:write'],
    ['POST', '/api/v1/changes/7/tasks/8/transitions', 'change', 'change:write'],
    ['GET', '/api/v1/change-templates/7/versions/2', 'change', 'change:read'],
    ['POST', '/api/v1/change-templates', 'change', 'change:write'],
    ['POST', '/api/v1/change-templates/7/versions', 'change', 'change:write'],
    ['PATCH', '/api/v1/change-templates/7', 'change', 'change:write'],
    ['POST', '/api/v1/change-templates/7/transitions', 'change', 'change:approve'],
    ['GET', '/api/v1/change-windows/7/occurrences', 'change', 'change:read'],
    ['POST', '/api/v1/change-windows', 'change', 'change:schedule'],
    ['POST', '/api/v1/change-windows/7/enforce', 'change', 'change:schedule'],
    ['DELETE', '/api/v1/change-windows/7', 'change', 'change:schedule'],
    ['GET', '/api/v1/reports/evidence', 'reporting', 'evidence:read'],
    ['GET', '/api/v1/reports/evidence/clauses', 'reporting', 'evidence:read'],
    ['POST', '/api/v1/reports/evidence/verify', 'reporting', 'evidence:read'],
    ['GET', '/api/v1/reports/event-archive/verify', 'reporting', 'evidence:read'],
    ['GET', '/api/v1/reports/event-archive', 'reporting', 'report:read'],
    ['POST', '/api/v1/reports/schedules', 'reporting', 'report:write'],
    ['PATCH', '/api/v1/reports/schedules/7', 'reporting', 'report:write'],
    [
      'POST',
      '/api/v1/reports/schedules/7/periods/2026-11/restatements',
      'reporting',
      'report:write',
    ],
    ['PUT', '/api/v1/reports/service-reports/7/2026-11/notes', 'reporting', 'report:write'],
    ['GET', '/api/v1/reports/schedules/7/reports/8', 'reporting', 'report:read'],
    ['GET', '/api/v1/reports/projections/changes', 'reporting', 'report:read'],
    ['POST', '/api/v1/reports/projections/changes/rebuild', 'reporting', 'report:manage'],
    ['GET', '/api/v1/ci-classes/server', 'cmdb', 'cmdb:read'],
    ['POST', '/api/v1/ci-classes', 'cmdb', 'cmdb:write'],
    ['POST', '/api/v1/ci-classes/server/attributes', 'cmdb', 'cmdb:write'],
    ['PATCH', '/api/v1/ci-classes/server', 'cmdb', 'cmdb:write'],
    ['GET', '/api/v1/known-errors', 'problem', 'problem:read'],
    ['GET', '/api/v1/catalog-items', 'incident', 'request:read'],
    ['GET', '/api/v1/catalog-items/laptop-standard', 'incident', 'request:read'],
    ['POST', '/api/v1/catalog-items', 'incident', 'catalog:manage'],
    ['PATCH', '/api/v1/catalog-items/laptop-standard', 'incident', 'catalog:manage'],
    ['GET', '/api/v1/known-errors/workarounds', 'problem', 'incident:create'],
    ['GET', '/api/v1/known-errors/7/history', 'problem', 'problem:read'],
    ['POST', '/api/v1/known-errors', 'problem', 'problem:write'],
    ['PATCH', '/api/v1/known-errors/7', 'problem', 'problem:write'],
    ['GET', '/api/v1/incidents/42/known-errors', 'problem', 'problem:read'],
    ['GET', '/api/v1/incidents/42', 'incident', 'incident:read'],
    ['GET', '/api/v1/incidents/42/history', 'incident', 'incident:read'],
    ['GET', '/api/v1/incidents/known-errors', 'incident', 'incident:read'],
    ['GET', '/api/v1/incidents/42/known-errors-x', 'incident', 'incident:read'],
    ['GET', '/api/v1/operations/outbox/cmdb', 'cmdb', 'operations:manage'],
    ['GET', '/api/v1/operations/outbox/cmdb/42', 'cmdb', 'operations:manage'],
    ['POST', '/api/v1/operations/outbox/cmdb/42/retry', 'cmdb', 'operations:manage'],
    ['POST', '/api/v1/operations/dead-letters/slm/42/replay', 'slm', 'operations:manage'],
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
    // Reports are written only where notes, actions and schedules live.
    expect(resolveRoute('POST', '/api/v1/reports/event-archive')).toMatchObject({
      kind: 'method-not-allowed',
      allowed: ['GET'],
    });
    expect(resolveRoute('DELETE', '/api/v1/ci-classes/server')).toMatchObject({
      kind: 'method-not-allowed',
      allowed: ['GET', 'PATCH'],
    });
    expect(resolveRoute('DELETE', '/api/v1/known-errors/7')).toMatchObject({
      kind: 'method-not-allowed',
      allowed: ['GET', 'PATCH'],
    });
    expect(resolveRoute('PATCH', '/api/v1/known-errors')).toMatchObject({
      kind: 'method-not-allowed',
      allowed: ['GET', 'POST'],
    });
    expect(resolveRoute('DELETE', '/api/v1/change-templates/7')).toMatchObject({
      kind: 'method-not-allowed',
      allowed: ['GET', 'PATCH'],
    });
    expect(resolveRoute('PATCH', '/api/v1/change-templates/7/versions')).toMatchObject({
      kind: 'method-not-allowed',
      allowed: ['GET', 'POST'],
    });
  });

  it('answers a method the known errors of an incident do not take from their own family, not the incidents’', () => {
    for (const method of ['POST', 'PATCH', 'DELETE']) {
      expect(resolveRoute(method, '/api/v1/incidents/42/known-errors')).toMatchObject({
        kind: 'method-not-allowed',
        family: { service: 'problem' },
        allowed: ['GET'],
      });
    }
    expect(resolveRoute('POST', '/api/v1/incidents/42/journal')).toMatchObject({
      kind: 'forward',
      family: { service: 'incident' },
    });
  });

  it('reaches every family at its own prefix: none is shadowed by a family listed before it', () => {
    for (const family of ROUTE_TABLE) {
      const path = family.prefix.replace(/\{[^}]+\}/g, '42');
      expect({ path, family: familyOf(path) }).toEqual({ path, family });
      expect(familyOf(`${path}/more`)).toBe(family);
    }
  });

  it('proxies each family and everything under it, a segment of a prefix as a parameter', () => {
    expect(PROXIED_PATHS).toEqual(
      expect.arrayContaining([
        'api/v1/incidents/:id/known-errors',
        'api/v1/incidents/:id/known-errors/*rest',
        'api/v1/incidents',
        'api/v1/incidents/*rest',
      ]),
    );
    expect(new Set(PROXIED_PATHS).size).toBe(PROXIED_PATHS.length);
  });

  it('does not route a path that only starts with the same letters', () => {
    expect(resolveRoute('GET', '/api/v1/incidentsx')).toEqual({ kind: 'unknown' });
    expect(resolveRoute('GET', '/api/v2/incidents')).toEqual({ kind: 'unknown' });
    expect(resolveRoute('GET', '/api/v1/incidents/42/known-errorsx')).toMatchObject({
      family: { service: 'incident' },
    });
  });

  it('has one family per prefix', () => {
    const prefixes = ROUTE_TABLE.map((family) => family.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });
});
