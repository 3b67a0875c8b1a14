import { ValidationProblem } from '../errors/problem';
import { parseSort } from './sorting';

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
