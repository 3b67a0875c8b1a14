import { ValidationProblem } from '../errors/problem';
import { MAX_VERSION, ParseVersionPipe } from './parse-version.pipe';

describe('a version parameter', () => {
  const pipe = new ParseVersionPipe();

  it.each([
    ['1', 1],
    ['42', 42],
    [String(MAX_VERSION), MAX_VERSION],
  ])('reads %j as %d', (value, version) => {
    expect(pipe.transform(value, { type: 'param', data: 'version' })).toBe(version);
  });

  it('takes the number the global ValidationPipe made of a parameter declared `number`', () => {
    expect(pipe.transform(2, { type: 'param', data: 'version', metatype: Number })).toBe(2);
    for (const converted of [0, 1.5, NaN, 4864844357]) {
      expect(() => pipe.transform(converted, { type: 'param', data: 'version' })).toThrow(
        ValidationProblem,
      );
    }
  });

  // 4864844357 is what the fuzzer sent: beyond an integer column, it failed the query (a 500).
  it.each(['0', '-1', '1.5', 'abc', '', '4864844357', String(MAX_VERSION + 1), '1e3'])(
    'refuses %j with a 400 naming the parameter',
    (value) => {
      expect(() => pipe.transform(value, { type: 'param', data: 'version' })).toThrow(
        ValidationProblem,
      );
      try {
        pipe.transform(value, { type: 'param', data: 'version' });
      } catch (error) {
        expect((error as ValidationProblem).fieldErrors).toEqual([
          { field: 'version', message: `must be an integer from 1 to ${MAX_VERSION}` },
        ]);
      }
    },
  );
});
