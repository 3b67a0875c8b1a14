import { columns, foldFacts, greatest, least, mergeFacts, union, type FactRow } from './fact-table';

const shape = {
  table: 'facts',
  key: 'id',
  precedence: ['version'],
  columns: columns({
    id: 'uuid',
    version: 'int',
    state: 'text',
    first_at: ['timestamptz', least],
    last_at: ['timestamptz', greatest],
    versions: ['int[]', union],
    count: ['int', { kind: 'cardinality', of: 'versions' }],
  }),
};

const facts: FactRow[] = [
  {
    id: 'a',
    version: 1,
    state: 'new',
    first_at: null,
    last_at: '2026-01-01T10:00:00.000Z',
    versions: [],
  },
  {
    id: 'a',
    version: 2,
    state: 'assigned',
    first_at: '2026-01-01T10:05:00.000Z',
    last_at: '2026-01-01T10:05:00.000Z',
    versions: [],
  },
  {
    id: 'a',
    version: 3,
    state: 'reassigned',
    first_at: '2026-01-01T11:00:00.000Z',
    last_at: '2026-01-01T11:00:00.000Z',
    versions: [3],
  },
  {
    id: 'a',
    version: 5,
    state: 'reassigned again',
    first_at: '2026-01-01T12:00:00.000Z',
    last_at: '2026-01-01T12:00:00.000Z',
    versions: [5],
  },
];

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, index) =>
    permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [
      item,
      ...rest,
    ]),
  );
}

describe('merging facts about one record', () => {
  const expected = {
    id: 'a',
    version: 5,
    state: 'reassigned again',
    first_at: '2026-01-01T10:05:00.000Z',
    last_at: '2026-01-01T12:00:00.000Z',
    versions: [3, 5],
    count: 2,
  };

  it('gives the same row whatever order the events arrive in', () => {
    for (const order of permutations(facts)) expect(foldFacts(shape, order)).toEqual([expected]);
  });

  it('changes nothing when an event comes again, early or late', () => {
    expect(foldFacts(shape, [...facts, facts[2], facts[0], facts[3]])).toEqual([expected]);
  });

  it('keeps the newer snapshot when an older version arrives late', () => {
    const stored = mergeFacts(shape, facts[3], facts[3]);
    expect(mergeFacts(shape, stored, facts[1])).toMatchObject({
      version: 5,
      state: 'reassigned again',
    });
  });

  it('keeps one row per record', () => {
    const other = { ...facts[0], id: 'b' };
    expect(foldFacts(shape, [facts[0], other, facts[1]]).map((row) => row.id)).toEqual(['a', 'b']);
  });
});
