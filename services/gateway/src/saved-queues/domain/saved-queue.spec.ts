import {
  SAVED_QUEUE_NAME,
  normalisedParameters,
  parameterErrors,
  reordered,
  sameName,
} from './saved-queue';

describe('saved queues', () => {
  it('take the parameters of their list and name each one another list or no list takes', () => {
    expect(parameterErrors('incidents', { state: 'new', major: 'true', q: 'disk' })).toEqual([]);
    expect(parameterErrors('requests', { catalogItem: 'mouse', sort: '-openedAt' })).toEqual([]);
    expect(parameterErrors('requests', { major: 'true', limit: '10' })).toEqual([
      { field: 'parameters.major', message: 'major is not a parameter of the requests list' },
      { field: 'parameters.limit', message: 'limit is not a parameter of any list' },
    ]);
    expect(parameterErrors('incidents', { catalogItem: 'mouse' })).toEqual([
      {
        field: 'parameters.catalogItem',
        message: 'catalogItem is not a parameter of the incidents list',
      },
    ]);
  });

  it('keep only the parameters with a value, ordered by name', () => {
    expect(
      Object.entries(normalisedParameters({ sort: 'priority', q: undefined, assignee: 'dana' })),
    ).toEqual([
      ['assignee', 'dana'],
      ['sort', 'priority'],
    ]);
  });

  it('have names on one line without spaces at either end, unique whatever their case', () => {
    expect(SAVED_QUEUE_NAME.test('Network P1')).toBe(true);
    expect(SAVED_QUEUE_NAME.test('x')).toBe(true);
    for (const bad of ['', ' lead', 'trail ', 'two\nlines'])
      expect(SAVED_QUEUE_NAME.test(bad)).toBe(false);
    expect(sameName('Network P1', 'network p1')).toBe(true);
    expect(sameName('Network P1', 'Network P2')).toBe(false);
  });

  it('move one queue to a position, the others keeping their order', () => {
    const ids = ['a', 'b', 'c', 'd'];
    expect(reordered(ids, 'c', 0)).toEqual(['c', 'a', 'b', 'd']);
    expect(reordered(ids, 'a', 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(reordered(ids, 'b', 99)).toEqual(['a', 'c', 'd', 'b']);
    expect(reordered(ids, 'd', 3)).toEqual(ids);
  });
});
