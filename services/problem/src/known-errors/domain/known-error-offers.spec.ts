import {
  MAX_TEXT_TERMS,
  anyWordQuery,
  matchedBy,
  offerScore,
  textQueryTerms,
  type MatchEvidence,
} from './known-error-offers';

const none: MatchEvidence = { sharedCis: 0, sameCategory: false, textRank: 0 };

describe('scoring an offer', () => {
  it('says why it matched', () => {
    expect(matchedBy(none)).toEqual([]);
    expect(matchedBy({ sharedCis: 2, sameCategory: true, textRank: 0.3 })).toEqual([
      'ci',
      'category',
      'text',
    ]);
    expect(matchedBy({ ...none, textRank: 0.01 })).toEqual(['text']);
  });

  it('ranks a shared CI above the category with any text, and the category above any text alone', () => {
    const ci = offerScore({ ...none, sharedCis: 1 });
    const categoryAndText = offerScore({ ...none, sameCategory: true, textRank: 0.99 });
    const category = offerScore({ ...none, sameCategory: true });
    const text = offerScore({ ...none, textRank: 0.99 });
    expect(ci).toBeGreaterThan(categoryAndText);
    expect(categoryAndText).toBeGreaterThan(category);
    expect(category).toBeGreaterThan(text);
    expect(text).toBeGreaterThan(offerScore(none));
  });

  it('orders by text within a kind of match, and never lets text reach the next kind', () => {
    expect(offerScore({ ...none, sharedCis: 1, textRank: 0.5 })).toBeGreaterThan(
      offerScore({ ...none, sharedCis: 1, textRank: 0.2 }),
    );
    expect(offerScore({ ...none, textRank: 5 })).toBeLessThan(
      offerScore({ ...none, sameCategory: true }),
    );
  });

  it('counts sharing one CI as sharing several', () => {
    expect(offerScore({ ...none, sharedCis: 3 })).toBe(offerScore({ ...none, sharedCis: 1 }));
  });
});

describe("an incident's words as a text query", () => {
  it('takes the distinct words of title then description, lower case, letters and digits only', () => {
    expect(textQueryTerms('Outlook: cannot connect!', 'outlook hangs (VPN) on x86-64')).toEqual([
      'outlook',
      'cannot',
      'connect',
      'hangs',
      'vpn',
      'on',
      'x86',
      '64',
    ]);
  });

  it('leaves out one-letter words and the words the query syntax reads as operators', () => {
    expect(textQueryTerms('A printer or a copier', '- "quoted" -not')).toEqual([
      'printer',
      'copier',
      'quoted',
      'not',
    ]);
  });

  it('keeps letters of any script', () => {
    expect(textQueryTerms('Drucker läuft nicht', 'Принтер')).toEqual([
      'drucker',
      'läuft',
      'nicht',
      'принтер',
    ]);
  });

  it('stops at the most words a query takes', () => {
    const many = Array.from({ length: 100 }, (_, index) => `w${index}`).join(' ');
    const terms = textQueryTerms(many);
    expect(terms).toHaveLength(MAX_TEXT_TERMS);
    expect(terms[0]).toBe('w0');
  });

  it('joins the words so that any one of them matches, or gives no query without words', () => {
    expect(anyWordQuery(['printer', 'fire'])).toBe('printer or fire');
    expect(anyWordQuery(textQueryTerms('!!', ''))).toBeNull();
  });
});
