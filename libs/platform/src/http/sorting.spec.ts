import { ValidationProblem } from '../errors/problem';
import { parseSort } from './sorting';
import { decodeCursor, encodeCursor, pageOf } from './pagination';

describe('sorting', () => {
  const fallback = { field: 'sequence', direction: 'ASC' } as const;

  it('reads a field, with a leading minus for descending', () => {
    expect(parseSort('time', ['time', 'sequence'], fallback)).toEqual({
      field: 'time',
      direction: 'ASC',
    });
    expect(parseSort('-time', ['time', 'sequence'], fallback)).toEqual({
      field: 'time',
      direction: 'DESC',
    });
    expect(parseSort(undefined, ['time', 'sequence'], fallback)).toEqual(fallback);
  });

  it('refuses a field the list does not sort by, naming the parameter', () => {
    expect(() => parseSort('password', ['time'], { field: 'time', direction: 'ASC' })).toThrow(
      ValidationProblem,
    );
  });
});

describe('cursors and pages', () => {
  it('round-trip a position, and refuse anything else as a cursor', () => {
    expect(decodeCursor(encodeCursor({ after: 'x', id: 3 }), ['after', 'id'])).toEqual({
      after: 'x',
      id: 3,
    });
    expect(() => decodeCursor('bm90IGpzb24', ['after'])).toThrow(ValidationProblem);
    expect(() => decodeCursor(encodeCursor({ other: 1 }), ['after'])).toThrow(ValidationProblem);
  });

  it('offer a next cursor only when a row beyond the page exists', () => {
    const rows = [1, 2, 3];
    expect(pageOf(rows, 3, String, (row) => ({ after: row })).nextCursor).toBeNull();
    const page = pageOf(rows, 2, String, (row) => ({ after: row }));
    expect(page.items).toEqual(['1', '2']);
    expect(decodeCursor(page.nextCursor!, ['after'])).toEqual({ after: 2 });
  });
});
