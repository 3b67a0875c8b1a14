import { plainToInstance } from 'class-transformer';
import { BooleanQuery } from './boolean-query';

class Query {
  @BooleanQuery()
  flag?: unknown;
}

describe('a boolean query parameter', () => {
  it.each([
    ['true', true],
    ['false', false],
    ['yes', 'yes'],
    [undefined, undefined],
  ])('reads %j as %j', (given, read) => {
    expect(plainToInstance(Query, { flag: given }).flag).toBe(read);
  });
});
