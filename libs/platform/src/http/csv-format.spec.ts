import { csvCell, csvHeaders, csvRow, guardFormula, type CsvColumns } from './csv-format';

describe('a CSV cell', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+33 1 23', "'+33 1 23"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', "'\rcmd"],
    ['plain text', 'plain text'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('guards %j against formula injection as %j', (text, cell) => {
    expect(guardFormula(text)).toBe(cell);
    expect(csvCell(text)).toBe(cell);
  });

  it('writes null as empty, instants as ISO 8601 UTC, numbers and booleans as they are', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(new Date('2026-03-01T10:00:00+02:00'))).toBe('2026-03-01T08:00:00.000Z');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(false)).toBe('false');
  });

  it('joins an array with ";" and writes an object as JSON, both guarded', () => {
    expect(csvCell(['vpn', 'network'])).toBe('vpn;network');
    expect(csvCell([])).toBe('');
    expect(csvCell(['=cmd', 'x'])).toBe("'=cmd;x");
    expect(csvCell({ a: 1 })).toBe('{"a":1}');
  });
});

describe('a row under a column map', () => {
  interface Item {
    id: string;
    tags: string[];
    openedAt: Date;
  }
  const columns: CsvColumns<Item> = [
    'id',
    'tags',
    { header: 'openedDay', value: (item) => item.openedAt.toISOString().slice(0, 10) },
  ];

  it('has the columns in the map’s order, computed ones by their header', () => {
    expect(csvHeaders(columns)).toEqual(['id', 'tags', 'openedDay']);
    expect(
      csvRow({ id: 'a', tags: ['x', 'y'], openedAt: new Date('2026-01-02T03:00:00Z') }, columns),
    ).toEqual(['a', 'x;y', '2026-01-02']);
  });
});
