import { RuleViolation } from '@itsm/domain';
import {
  applyKnownErrorChanges,
  diffKnownErrors,
  fieldsSetOnRecord,
  isValidAt,
  recordKnownError,
  titleFromSymptom,
  touchesSearch,
  type KnownError,
} from './known-error';

const NOW = new Date('2026-11-22T10:00:00Z');
const CI = '00000000-0000-4000-8000-00000000000a';

function knownError(fields: Partial<KnownError> = {}): KnownError {
  return {
    ...recordKnownError(
      { symptom: 'Outlook cannot connect after VPN reconnect', createdBy: 'pm' },
      { id: '00000000-0000-4000-8000-000000000001', sequence: 42 },
      NOW,
    ),
    ...fields,
  };
}

describe('recording a known error', () => {
  it('numbers it KE and seven digits, at revision 1, titled after its symptom', () => {
    expect(knownError()).toMatchObject({
      number: 'KE0000042',
      title: 'Outlook cannot connect after VPN reconnect',
      revision: 1,
      createdBy: 'pm',
      createdAt: NOW,
      updatedAt: NOW,
      validUntil: null,
      ciIds: [],
    });
  });

  it("cuts a long symptom's title to 200 characters, at a word near the limit, on one line", () => {
    const symptom = `${'word '.repeat(60)}\nsecond line`;
    const title = titleFromSymptom(symptom);
    expect(title.length).toBeLessThanOrEqual(200);
    expect(title).toMatch(/^(word )+word$/);
    expect(titleFromSymptom('x'.repeat(300))).toBe('x'.repeat(200));
    expect(titleFromSymptom('  Mail\n\tdown  ')).toBe('Mail down');
  });

  it('keeps a title given, trims text, clears blank optional text and lists each CI once', () => {
    const recorded = recordKnownError(
      {
        title: '  Outlook offline ',
        symptom: ' It hangs ',
        workaround: '   ',
        rootCause: ' Stale token ',
        ciIds: [CI, CI.toUpperCase()],
        createdBy: 'pm',
      },
      { id: '00000000-0000-4000-8000-000000000002', sequence: 1 },
      NOW,
    );
    expect(recorded).toMatchObject({
      title: 'Outlook offline',
      symptom: 'It hangs',
      workaround: null,
      rootCause: 'Stale token',
      ciIds: [CI],
    });
  });

  it('refuses a blank symptom or title, naming the field', () => {
    const identity = { id: '00000000-0000-4000-8000-000000000003', sequence: 1 };
    expect(() => recordKnownError({ symptom: ' ', createdBy: 'pm' }, identity, NOW)).toThrow(
      expect.objectContaining({ field: 'symptom' }) as RuleViolation,
    );
    expect(() =>
      recordKnownError({ symptom: 'x', title: '\n', createdBy: 'pm' }, identity, NOW),
    ).toThrow(expect.objectContaining({ field: 'title' }) as RuleViolation);
  });

  it('lists every field given a value as set, without the bookkeeping', () => {
    const fields = fieldsSetOnRecord(knownError({ ciIds: [CI], errorCode: 'E42' }));
    expect(fields.map((field) => field.field)).toEqual(['title', 'symptom', 'errorCode', 'ciIds']);
    expect(fields.every((field) => field.oldValue === null)).toBe(true);
  });
});

describe('changing a known error', () => {
  it('merges: absent fields stay, null clears, and the diff names what changed', () => {
    const before = knownError({ workaround: 'Restart Outlook', category: 'email' });
    const until = new Date('2027-01-01T00:00:00Z');
    const after = applyKnownErrorChanges(before, {
      workaround: null,
      solution: ' Patch KB123 ',
      validUntil: until,
    });
    expect(after).toMatchObject({
      workaround: null,
      solution: 'Patch KB123',
      category: 'email',
      validUntil: until,
      revision: 1,
    });
    expect(diffKnownErrors(before, after)).toEqual([
      { field: 'workaround', oldValue: 'Restart Outlook', newValue: null },
      { field: 'solution', oldValue: null, newValue: 'Patch KB123' },
      { field: 'validUntil', oldValue: null, newValue: until },
    ]);
  });

  it('sees no change in the same values, dates and CI lists included', () => {
    const before = knownError({ ciIds: [CI], validUntil: new Date(NOW) });
    const after = applyKnownErrorChanges(before, {
      ciIds: [CI],
      validUntil: new Date(NOW),
      title: before.title,
    });
    expect(diffKnownErrors(before, after)).toEqual([]);
  });

  it('refuses a blank symptom', () => {
    expect(() => applyKnownErrorChanges(knownError(), { symptom: '  ' })).toThrow(RuleViolation);
  });

  it('rebuilds the search document only for the searched fields', () => {
    const before = knownError();
    expect(touchesSearch(diffKnownErrors(before, { ...before, vendor: 'Microsoft' }))).toBe(false);
    expect(touchesSearch(diffKnownErrors(before, { ...before, solution: 'Patch' }))).toBe(true);
    expect(touchesSearch(diffKnownErrors(before, { ...before, errorCode: 'E1' }))).toBe(true);
  });
});

describe('validity', () => {
  it('is valid without an end, or before it; not at or after it', () => {
    expect(isValidAt({ validUntil: null }, NOW)).toBe(true);
    expect(isValidAt({ validUntil: new Date(NOW.getTime() + 1) }, NOW)).toBe(true);
    expect(isValidAt({ validUntil: NOW }, NOW)).toBe(false);
    expect(isValidAt({ validUntil: new Date(NOW.getTime() - 1) }, NOW)).toBe(false);
  });
});
