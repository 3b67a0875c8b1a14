import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAuthorizationDoc } from './permission-table.markdown';
import { PERMISSIONS, ROLES, ROLE_PERMISSIONS } from './permissions';

describe('the permission table', () => {
  it('is what docs/authorization.md shows (run `npm run docs:authorization` after changing it)', () => {
    const published = readFileSync(join(__dirname, '../../../docs/authorization.md'), 'utf8');
    expect(published).toBe(renderAuthorizationDoc());
  });

  it('grants only permissions that exist, and gives every role something', () => {
    for (const role of ROLES) {
      expect(ROLE_PERMISSIONS[role].length).toBeGreaterThan(0);
      for (const permission of ROLE_PERMISSIONS[role])
        expect(PERMISSIONS).toHaveProperty([permission]);
    }
  });

  it('keeps auditors read-only and gives admins everything', () => {
    expect(ROLE_PERMISSIONS.auditor.every((permission) => permission.endsWith(':read'))).toBe(true);
    expect(new Set(ROLE_PERMISSIONS.admin)).toEqual(new Set(Object.keys(PERMISSIONS)));
  });
});
