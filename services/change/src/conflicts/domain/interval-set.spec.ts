import { difference, holds, intersection, union, type Span } from './interval-set';

const spans = (...pairs: [number, number][]): Span[] =>
  pairs.map(([start, end]) => ({ start, end }));

describe('sets of time spans', () => {
  it('merges spans that overlap or touch, and drops empty ones', () => {
    expect(union(spans([5, 7], [1, 3], [3, 4], [6, 9], [10, 10]))).toEqual(spans([1, 4], [5, 9]));
  });

  it('intersects two sets', () => {
    expect(intersection(spans([0, 10], [20, 30]), spans([5, 25], [28, 40]))).toEqual(
      spans([5, 10], [20, 25], [28, 30]),
    );
    expect(intersection(spans([0, 10]), [])).toEqual([]);
  });

  it('takes one set from another, open-ended holes included', () => {
    expect(difference(spans([0, 10], [20, 30]), spans([2, 4], [8, 22]))).toEqual(
      spans([0, 2], [4, 8], [22, 30]),
    );
    expect(difference(spans([0, 10]), [{ start: 5, end: Number.POSITIVE_INFINITY }])).toEqual(
      spans([0, 5]),
    );
    expect(difference(spans([0, 10]), spans([0, 10]))).toEqual([]);
  });

  it('knows whether one span of a set holds another, across touching spans', () => {
    expect(holds(spans([0, 5], [5, 10]), { start: 3, end: 8 })).toBe(true);
    expect(holds(spans([0, 5], [6, 10]), { start: 3, end: 8 })).toBe(false);
  });
});
