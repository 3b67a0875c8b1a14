import { RuleViolation } from '@itsm/domain';
import {
  CatalogItemRetired,
  applyCatalogItemChanges,
  assignmentForRequest,
  defineCatalogItem,
  diffCatalogItems,
  fieldsSetOnDefine,
} from './catalog-item';

const NOW = new Date('2026-03-01T09:00:00Z');

function laptop(overrides: Partial<Parameters<typeof defineCatalogItem>[0]> = {}) {
  return defineCatalogItem(
    {
      key: 'laptop-standard',
      name: ' Standard laptop ',
      description: 'A 14" laptop with the standard image',
      category: ' Hardware ',
      fulfilmentGroup: 'desktop-support',
      ...overrides,
    },
    'admin',
    NOW,
  );
}

describe('a catalogue item', () => {
  it('is defined active, at version 1, with its names trimmed', () => {
    expect(laptop()).toEqual({
      key: 'laptop-standard',
      name: 'Standard laptop',
      description: 'A 14" laptop with the standard image',
      category: 'Hardware',
      fulfilmentGroup: 'desktop-support',
      active: true,
      createdBy: 'admin',
      createdAt: NOW,
      updatedBy: 'admin',
      updatedAt: NOW,
      version: 1,
    });
  });

  it.each([
    'Laptop',
    'laptop_standard',
    '-laptop',
    'laptop--standard',
    'laptop-',
    '',
    'a'.repeat(101),
  ])('refuses the key %p: keys are lower-case slugs', (key) => {
    expect(() => laptop({ key })).toThrow(RuleViolation);
    expect(() => laptop({ key })).toThrow(/^key /);
  });

  it('refuses a blank name or category', () => {
    expect(() => laptop({ name: '  ' })).toThrow(/^name must not be blank/);
    expect(() => laptop({ category: '' })).toThrow(/^category must not be blank/);
  });

  it('changes with merge semantics: absent fields keep their value, null clears the group', () => {
    const item = laptop();
    const changed = applyCatalogItemChanges(item, { fulfilmentGroup: null, name: 'Laptop ' });
    expect(changed).toMatchObject({
      name: 'Laptop',
      fulfilmentGroup: null,
      category: 'Hardware',
      active: true,
    });
    expect(diffCatalogItems(item, changed)).toEqual([
      { field: 'name', oldValue: 'Standard laptop', newValue: 'Laptop' },
      { field: 'fulfilmentGroup', oldValue: 'desktop-support', newValue: null },
    ]);
  });

  it('is retired by active=false, and an unchanged PATCH differs in nothing', () => {
    const item = laptop();
    expect(diffCatalogItems(item, applyCatalogItemChanges(item, { active: false }))).toEqual([
      { field: 'active', oldValue: true, newValue: false },
    ]);
    expect(
      diffCatalogItems(item, applyCatalogItemChanges(item, { name: 'Standard laptop' })),
    ).toEqual([]);
  });

  it('lists every field it sets when defined, its key first', () => {
    expect(fieldsSetOnDefine(laptop()).map((change) => change.field)).toEqual([
      'key',
      'name',
      'description',
      'category',
      'fulfilmentGroup',
      'active',
    ]);
  });
});

describe('a request for a catalogue item', () => {
  it('keeps free text: a key the catalogue does not hold changes nothing', () => {
    expect(assignmentForRequest(null, undefined)).toBeUndefined();
    expect(assignmentForRequest(null, 'network')).toBe('network');
  });

  it("goes to an active item's fulfilment group unless it names one", () => {
    expect(assignmentForRequest(laptop(), undefined)).toBe('desktop-support');
    expect(assignmentForRequest(laptop(), null)).toBe('desktop-support');
    expect(assignmentForRequest(laptop(), 'network')).toBe('network');
    expect(assignmentForRequest(laptop({ fulfilmentGroup: null }), undefined)).toBeUndefined();
  });

  it('is refused for a retired item', () => {
    expect(() => assignmentForRequest({ ...laptop(), active: false }, 'network')).toThrow(
      CatalogItemRetired,
    );
  });
});
