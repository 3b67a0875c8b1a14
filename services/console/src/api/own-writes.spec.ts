import { describe, expect, it } from '@jest/globals';
import { isOwnWrite, rememberOwnWrite } from './own-writes';

describe("the tab's own writes", () => {
  it('knows the versions of records this tab was answered with, and no other', () => {
    rememberOwnWrite({ id: 'a1', version: 3, title: 'Printer jam' });
    expect(isOwnWrite({ id: 'a1', version: 3 })).toBe(true);
    expect(isOwnWrite({ id: 'a1', version: 4 })).toBe(false);
    expect(isOwnWrite({ id: 'b2', version: 3 })).toBe(false);
  });

  it('ignores answers that are not a versioned record', () => {
    for (const answer of [undefined, null, 'ok', { id: 'c3' }, { id: 7, version: 1 }, [1, 2]])
      rememberOwnWrite(answer);
    expect(isOwnWrite({ id: 'c3', version: 1 })).toBe(false);
  });
});
