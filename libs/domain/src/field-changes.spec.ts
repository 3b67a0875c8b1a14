import { diffRecords, fieldsWithValues, numbered, sameValue } from './field-changes';

describe('field changes', () => {
  it('compares instants by time, lists by element and objects by content', () => {
    expect(sameValue(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00.000Z'))).toBe(
      true,
    );
    expect(sameValue(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameValue(['a', 'b'], ['b', 'a'])).toBe(false);
    expect(sameValue({ run: '1', commit: null }, { run: '1', commit: null })).toBe(true);
    expect(sameValue({ run: '1' }, { run: '2' })).toBe(false);
    expect(sameValue({ run: '1' }, null)).toBe(false);
  });

  it('lists the differing fields in the record order, leaving out the ignored ones', () => {
    const before = { id: 'x', title: 'a', tags: ['p'], version: 1 };
    const after = { id: 'x', title: 'b', tags: ['p', 'q'], version: 2 };
    expect(diffRecords(before, after, ['version'])).toEqual([
      { field: 'title', oldValue: 'a', newValue: 'b' },
      { field: 'tags', oldValue: ['p'], newValue: ['p', 'q'] },
    ]);
  });

  it('lists the fields a new record was given a value', () => {
    const record = {
      id: 'x',
      title: 'a',
      notes: null,
      count: 0,
      tags: [],
      flagged: false,
      live: true,
    };
    expect(fieldsWithValues(record, ['id']).map((change) => change.field)).toEqual([
      'title',
      'live',
    ]);
  });

  it('numbers with seven digits and refuses what does not fit', () => {
    expect(numbered('CHG', 42)).toBe('CHG0000042');
    expect(() => numbered('CHG', 10_000_000)).toThrow(RangeError);
    expect(() => numbered('CHG', 0)).toThrow(RangeError);
  });
});
