import { parseCsv } from './csv';

describe('reading CSV in tests', () => {
  it('reads quoted cells with commas, doubled quotes and line breaks, CRLF or LF rows', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\nlast,\r\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"\nthere'],
      ['last', ''],
    ]);
  });
});
