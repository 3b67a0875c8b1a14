import { describe, expect, it } from '@jest/globals';
import {
  EMPTY_FORM,
  byCategory,
  changesOf,
  createBody,
  formOf,
  isComplete,
  suggestedKey,
  type CatalogItem,
} from './catalog';

const item = (
  key: string,
  category: string,
  overrides: Partial<CatalogItem> = {},
): CatalogItem => ({
  key,
  name: key,
  description: '',
  category,
  fulfilmentGroup: null,
  active: true,
  createdBy: 'admin',
  createdAt: '2026-03-01T09:00:00.000Z',
  updatedBy: 'admin',
  updatedAt: '2026-03-01T09:00:00.000Z',
  version: 1,
  ...overrides,
});

describe('the service catalogue in the console', () => {
  it('groups items by category in the order listed', () => {
    const groups = byCategory([
      item('desk', 'Furniture'),
      item('laptop', 'Hardware'),
      item('monitor', 'Hardware'),
    ]);
    expect(groups.map((group) => [group.category, group.items.map((one) => one.key)])).toEqual([
      ['Furniture', ['desk']],
      ['Hardware', ['laptop', 'monitor']],
    ]);
  });

  it('suggests a key from a name', () => {
    expect(suggestedKey('Standard laptop (14")')).toBe('standard-laptop-14');
    expect(suggestedKey('  Écran 27 pouces ')).toBe('ecran-27-pouces');
    expect(suggestedKey('***')).toBe('');
  });

  it('sends a new item trimmed, without an empty group', () => {
    const form = { ...EMPTY_FORM, key: 'desk ', name: ' Desk', category: 'Furniture ' };
    expect(isComplete(form)).toBe(true);
    expect(createBody(form)).toEqual({
      key: 'desk',
      name: 'Desk',
      description: '',
      category: 'Furniture',
      active: true,
    });
    expect(isComplete({ ...form, key: 'Not a key' })).toBe(false);
    expect(isComplete({ ...form, category: ' ' })).toBe(false);
  });

  it('sends only what changed, an emptied group as null', () => {
    const laptop = item('laptop', 'Hardware', { fulfilmentGroup: 'desktop-support' });
    expect(changesOf(laptop, formOf(laptop))).toEqual({});
    expect(changesOf(laptop, { ...formOf(laptop), fulfilmentGroup: ' ', active: false })).toEqual({
      fulfilmentGroup: null,
      active: false,
    });
  });
});
