import { type Caller } from './caller';
import { callingService, serviceSubject } from './caller';
import {
  PERMISSIONS,
  SERVICE_PERMISSIONS,
  callerHasPermission,
  callingServices,
  permissionsOfCaller,
} from './permissions';
import { canSeeConfigurationItem, canSeeRecord, recordScope } from './record-visibility';

const change: Caller = {
  username: serviceSubject('change'),
  roles: [],
  groups: [],
  kind: 'service',
};

describe('a service calling another as itself (ADR 12)', () => {
  it('may do what SERVICE_PERMISSIONS grants it, and nothing else', () => {
    expect(callingService(change)).toBe('change');
    expect(callerHasPermission(change, 'cmdb:read')).toBe(true);
    expect(callerHasPermission(change, 'cmdb:write')).toBe(false);
    expect(permissionsOfCaller(change)).toEqual(new Set(SERVICE_PERMISSIONS.change));
  });

  it('gets nothing from roles it claims, nor by the name of a service not in the table', () => {
    expect(permissionsOfCaller({ ...change, roles: ['admin'] })).toEqual(
      new Set(SERVICE_PERMISSIONS.change),
    );
    const unknown: Caller = { ...change, username: serviceSubject('nobody') };
    expect(permissionsOfCaller(unknown).size).toBe(0);
    expect(permissionsOfCaller({ ...change, username: serviceSubject('toString') }).size).toBe(0);
  });

  it('is a service only by kind: a user named like one is a user with their roles', () => {
    const user: Caller = { ...change, roles: ['requester'], kind: 'user' };
    expect(callingService(user)).toBeUndefined();
    expect(callerHasPermission(user, 'cmdb:read')).toBe(false);
    expect(callerHasPermission(user, 'incident:create')).toBe(true);
  });

  it('grants only permissions that exist, to services that call', () => {
    for (const [, permissions] of Object.entries(SERVICE_PERMISSIONS))
      for (const permission of permissions) expect(PERMISSIONS).toHaveProperty([permission]);
    expect(callingServices()).toEqual(['change']);
  });

  it('has the narrowest record-level scope: no record is its own, no group, no restricted CI', () => {
    expect(recordScope(change, 'incident')).toEqual({
      kind: 'restricted',
      username: 'service:change',
      groups: [],
      unassigned: false,
    });
    expect(canSeeRecord(change, 'incident', { requester: 'sam', assignmentGroup: null })).toBe(
      false,
    );
    expect(canSeeConfigurationItem(change, { restricted: false })).toBe(true);
    expect(canSeeConfigurationItem(change, { restricted: true, ownerGroup: 'security' })).toBe(
      false,
    );
  });
});
