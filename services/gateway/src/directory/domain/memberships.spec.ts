import {
  apiRemoval,
  groupsChangedBy,
  groupsOf,
  planTokenGroups,
  type Membership,
} from './memberships';

const token = (group: string): Membership => ({ group, fromToken: true, fromApi: false });
const api = (group: string): Membership => ({ group, fromToken: false, fromApi: true });
const both = (group: string): Membership => ({ group, fromToken: true, fromApi: true });

describe('memberships from the token and from the directory API', () => {
  it('adds the groups a token brings and ends those it no longer carries', () => {
    const plan = planTokenGroups([token('network'), token('database')], ['network', 'apps']);
    expect(plan).toEqual({
      insert: ['apps'],
      grantByToken: [],
      remove: ['database'],
      revokeByToken: [],
    });
    expect(groupsChangedBy(plan)).toEqual(['apps', 'database']);
  });

  it('keeps what the API granted when the token does not carry it', () => {
    const plan = planTokenGroups([api('night-shift'), both('network')], []);
    expect(plan).toEqual({ insert: [], grantByToken: [], remove: [], revokeByToken: ['network'] });
    expect(groupsChangedBy(plan)).toEqual([]);
  });

  it('records that the token grants a group the API granted, without changing its members', () => {
    const plan = planTokenGroups([api('night-shift')], ['night-shift']);
    expect(plan).toEqual({
      insert: [],
      grantByToken: ['night-shift'],
      remove: [],
      revokeByToken: [],
    });
    expect(groupsChangedBy(plan)).toEqual([]);
  });

  it('changes nothing for a token that says what is recorded', () => {
    const plan = planTokenGroups([token('a'), both('b'), api('c')], ['b', 'a', 'a']);
    expect(plan).toEqual({ insert: [], grantByToken: [], remove: [], revokeByToken: [] });
  });

  it('lists a user’s groups from every source', () => {
    expect(groupsOf([token('b'), api('a'), both('c')])).toEqual(['a', 'b', 'c']);
  });

  it('lets the API remove only what it granted', () => {
    expect(apiRemoval(undefined)).toBe('not-a-member');
    expect(apiRemoval(token('a'))).toBe('granted-by-token-only');
    expect(apiRemoval(both('a'))).toBe('keeps-token-grant');
    expect(apiRemoval(api('a'))).toBe('leaves');
  });
});
