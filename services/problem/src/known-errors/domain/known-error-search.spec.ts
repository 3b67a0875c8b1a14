import { parseRank, searchText } from './known-error-search';

describe('the known-error search', () => {
  it('searches text only when there is more than white space', () => {
    expect(searchText(undefined)).toBeUndefined();
    expect(searchText('   ')).toBeUndefined();
    expect(searchText(' vpn ')).toBe('vpn');
  });

  it('reads back a rank as a cursor wrote it, and nothing else', () => {
    for (const rank of [0, 0.0607927, 1e-7, 0.9999999403953552, 12])
      expect(parseRank(String(rank))).toBe(rank);
    for (const forged of ['', '-1', 'NaN', 'Infinity', '1; DROP', '0x10', '1e999'])
      expect(parseRank(forged)).toBeUndefined();
  });
});
