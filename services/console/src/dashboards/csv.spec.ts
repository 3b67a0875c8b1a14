import { describe, expect, it } from '@jest/globals';
import { csvCell, csvFileName, toCsv } from './csv';

describe('csvCell', () => {
  it('writes plain text, numbers and booleans as they are, null as an empty cell', () => {
    expect(csvCell('INC0001')).toBe('INC0001');
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(Number.NaN)).toBe('');
  });

  it('quotes a cell with a comma, a quote or a line break, doubling its quotes (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rlf')).toBe('"cr\rlf"');
  });

  it('prefixes text that starts like a formula with a quote', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe('"\'\rx"');
    expect(csvCell('a=b')).toBe('a=b');
  });
});

describe('toCsv', () => {
  it('writes the header and each row, every line ended with CRLF', () => {
    expect(
      toCsv(
        ['period', 'opened'],
        [
          ['2026-12-01', 3],
          ['2026-12-02', null],
        ],
      ),
    ).toBe('period,opened\r\n2026-12-01,3\r\n2026-12-02,\r\n');
  });

  it('writes the header alone when there are no rows', () => {
    expect(toCsv(['a', 'b'], [])).toBe('a,b\r\n');
  });
});

describe('csvFileName', () => {
  it('is the name in lower case with dashes, and the UTC date', () => {
    expect(csvFileName('Incidents opened / resolved', new Date('2026-12-05T23:30:00Z'))).toBe(
      'incidents-opened-resolved-2026-12-05.csv',
    );
    expect(csvFileName('***', new Date('2026-12-05T00:00:00Z'))).toBe('export-2026-12-05.csv');
  });
});
