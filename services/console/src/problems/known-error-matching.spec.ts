import { describe, expect, it } from '@jest/globals';
import { MAX_MATCH_WORDS, matchQuery } from './known-error-matching';

describe('matchQuery', () => {
  it('is nothing for too little text', () => {
    expect(matchQuery('')).toBeUndefined();
    expect(matchQuery('  vp ')).toBeUndefined();
    expect(matchQuery('a b c d e')).toBeUndefined();
  });

  it('ORs the words typed, once each, dropping short ones', () => {
    expect(matchQuery('Outlook is disconnected after the VPN reconnects, outlook again')).toBe(
      'Outlook or disconnected or after or the or VPN or reconnects or again',
    );
  });

  it('drops punctuation and the search operators so nothing typed changes the query', () => {
    expect(matchQuery('"printer" -jams or not (floor 3)')).toBe('printer or jams or floor');
    expect(matchQuery('ORA-00600 on payroll')).toBe('ORA or 00600 or payroll');
  });

  it('keeps letters of any script', () => {
    expect(matchQuery('Drucker stürzt ab')).toBe('Drucker or stürzt');
  });

  it('sends the first words only', () => {
    const typed = Array.from({ length: 30 }, (_, index) => `word${index}`).join(' ');
    expect(matchQuery(typed)?.split(' or ')).toHaveLength(MAX_MATCH_WORDS);
  });
});
