import {
  applyWindowChanges,
  defineWindow,
  diffWindows,
  enforceFreeze,
  fieldsSetOnDefine,
  isInEffect,
  liftFreeze,
  retireWindow,
  type ChangeWindow,
  type NewChangeWindow,
} from './change-window';
import { RecordConflict } from '@itsm/domain';
import { WindowRuleViolation } from './change-window-errors';

const NOW = new Date('2026-03-01T12:00:00Z');
const LATER = new Date('2026-03-02T12:00:00Z');
const CI = '0b7a3c3e-8d1e-4c59-9a43-2f4f5d7c1a01';

const saturdayNights: NewChangeWindow = {
  name: '  Saturday night maintenance ',
  kind: 'maintenance',
  start: new Date('2026-03-21T22:00:00+01:00'),
  end: new Date('2026-03-22T02:00:00+01:00'),
  recurrence: 'rrule:FREQ=WEEKLY;BYDAY=SA',
  timeZone: 'europe/berlin',
  ciIds: [CI.toUpperCase(), CI],
  ciClasses: [' server ', 'server', ''],
  createdBy: 'change_manager',
};

function fieldsAtFault(work: () => unknown): { field: string; message: string }[] {
  try {
    work();
  } catch (error) {
    if (error instanceof WindowRuleViolation) return [...error.errors];
    throw error;
  }
  throw new Error('expected a rule violation');
}

function freeze(): ChangeWindow {
  return defineWindow(
    {
      name: 'Year-end freeze',
      kind: 'freeze',
      start: new Date('2026-12-15T00:00:00Z'),
      end: new Date('2027-01-05T00:00:00Z'),
      createdBy: 'change_manager',
    },
    'f1',
    NOW,
  );
}

describe('a change window', () => {
  it('is defined active at version 1, its name trimmed, zone canonical, rule normalised, scope distinct', () => {
    const window = defineWindow(saturdayNights, 'w1', NOW);
    expect(window).toMatchObject({
      id: 'w1',
      name: 'Saturday night maintenance',
      description: '',
      recurrence: 'FREQ=WEEKLY;BYDAY=SA',
      timeZone: 'Europe/Berlin',
      ciIds: [CI],
      businessServiceIds: [],
      ciClasses: ['server'],
      active: true,
      inForce: false,
      lastEnd: null,
      version: 1,
      createdAt: NOW,
    });
    expect(fieldsSetOnDefine(window).map((change) => change.field)).toEqual([
      'name',
      'kind',
      'start',
      'end',
      'recurrence',
      'timeZone',
      'ciIds',
      'ciClasses',
      'active',
    ]);
  });

  it('names every field at fault at once', () => {
    expect(
      fieldsAtFault(() =>
        defineWindow(
          {
            ...saturdayNights,
            end: saturdayNights.start,
            recurrence: 'FREQ=HOURLY',
            timeZone: null,
          },
          'w',
          NOW,
        ),
      ).map((error) => error.field),
    ).toEqual(['end', 'recurrence', 'timeZone']);
    expect(
      fieldsAtFault(() =>
        defineWindow({ ...saturdayNights, timeZone: 'Mars/Olympus_Mons' }, 'w', NOW),
      ),
    ).toEqual([{ field: 'timeZone', message: 'must be an IANA time zone such as Europe/Berlin' }]);
    expect(
      fieldsAtFault(() => defineWindow({ ...saturdayNights, timeZone: '+01:00' }, 'w', NOW)),
    ).toEqual([{ field: 'timeZone', message: 'must be an IANA time zone such as Europe/Berlin' }]);
    expect(fieldsAtFault(() => defineWindow({ ...saturdayNights, name: '  ' }, 'w', NOW))).toEqual([
      { field: 'name', message: 'must not be blank' },
    ]);
  });

  it('must start on an occurrence of its rule', () => {
    expect(
      fieldsAtFault(() =>
        defineWindow({ ...saturdayNights, recurrence: 'FREQ=WEEKLY;BYDAY=SU' }, 'w', NOW),
      ),
    ).toEqual([
      {
        field: 'recurrence',
        message:
          "does not select the window's start (2026-03-21 22:00 (Europe/Berlin)): start the window on one of its occurrences",
      },
    ]);
    expect(
      fieldsAtFault(() =>
        defineWindow({ ...saturdayNights, recurrence: 'FREQ=WEEKLY;UNTIL=20260101' }, 'w', NOW),
      ).map((error) => error.field),
    ).toEqual(['recurrence']);
  });

  it('stores a date-only UNTIL as the end of that day in its zone, and knows when it ends', () => {
    const untilApril = defineWindow(
      { ...saturdayNights, recurrence: 'FREQ=WEEKLY;BYDAY=SA;UNTIL=20260411' },
      'w',
      NOW,
    );
    expect(untilApril.recurrence).toBe('FREQ=WEEKLY;BYDAY=SA;UNTIL=20260411T215959Z');
    expect(untilApril.lastEnd).toEqual(new Date('2026-04-12T00:00:00Z'));
  });

  it('answers a rule the recurrence library cannot expand as a fault of the recurrence', () => {
    expect(
      fieldsAtFault(() =>
        defineWindow(
          {
            ...saturdayNights,
            start: new Date('2026-01-30T22:00:00Z'),
            end: new Date('2026-01-30T23:00:00Z'),
            recurrence: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
            timeZone: 'UTC',
          },
          'w',
          NOW,
        ),
      ).map((error) => error.field),
    ).toEqual(['recurrence']);
    expect(
      fieldsAtFault(() =>
        defineWindow({ ...saturdayNights, recurrence: 'FREQ=WEEKLY;BYMONTHDAY=1' }, 'w', NOW),
      ).map((error) => error.field),
    ).toEqual(['recurrence']);
  });

  it('takes a time zone without a recurrence, and knows when a single or counted one ends', () => {
    const once = defineWindow({ ...saturdayNights, recurrence: null }, 'w', NOW);
    expect(once).toMatchObject({ recurrence: null, timeZone: 'Europe/Berlin' });
    expect(once.lastEnd).toEqual(once.end);
    const counted = defineWindow(
      { ...saturdayNights, recurrence: 'FREQ=WEEKLY;BYDAY=SA;COUNT=2' },
      'w',
      NOW,
    );
    expect(counted.lastEnd).toEqual(new Date('2026-03-29T01:00:00Z'));
  });

  it('changes with merge semantics, re-checking the timing as a whole', () => {
    const window = defineWindow(saturdayNights, 'w1', NOW);
    const later = applyWindowChanges(window, {
      name: 'Saturday late maintenance',
      start: new Date('2026-03-21T23:00:00+01:00'),
    });
    expect(diffWindows(window, later).map((change) => change.field)).toEqual(['name', 'start']);
    expect(
      fieldsAtFault(() => applyWindowChanges(window, { end: new Date('2026-03-21T21:00:00Z') })),
    ).toEqual([{ field: 'end', message: 'must be after start' }]);
    expect(fieldsAtFault(() => applyWindowChanges(window, { timeZone: null }))).toEqual([
      {
        field: 'timeZone',
        message: 'is required with a recurrence: its occurrences keep their local time there',
      },
    ]);
    const single = applyWindowChanges(window, { recurrence: null, timeZone: null });
    expect(single).toMatchObject({ recurrence: null, timeZone: null, lastEnd: window.end });
    expect(diffWindows(window, applyWindowChanges(window, { ciIds: [CI] }))).toEqual([]);
  });

  it('puts a freeze in force and lifts it, recording who and when', () => {
    const enforced = enforceFreeze(freeze(), 'change_manager', NOW);
    expect(enforced).toMatchObject({
      inForce: true,
      enforcedAt: NOW,
      enforcedBy: 'change_manager',
    });
    expect(diffWindows(freeze(), enforced).map((change) => change.field)).toEqual([
      'inForce',
      'enforcedAt',
      'enforcedBy',
    ]);
    const lifted = liftFreeze(enforced, 'cab_chair', LATER);
    expect(lifted).toMatchObject({
      inForce: false,
      enforcedAt: NOW,
      liftedAt: LATER,
      liftedBy: 'cab_chair',
    });
  });

  it.each([
    [
      'a maintenance window',
      () => defineWindow(saturdayNights, 'w', NOW),
      /Only a freeze is put in force/,
    ],
    ['an inactive freeze', () => ({ ...freeze(), active: false }), /is not active/],
    ['a freeze in force', () => enforceFreeze(freeze(), 'x', NOW), /already in force/],
    ['a retired freeze', () => retireWindow(freeze(), 'x', NOW), /was retired/],
  ])('refuses to put %s in force', (_what, window, message) => {
    expect(() => enforceFreeze(window(), 'change_manager', LATER)).toThrow(message);
  });

  it('lifts only a freeze in force', () => {
    expect(() => liftFreeze(freeze(), 'x', NOW)).toThrow(RecordConflict);
  });

  it('says which state refuses a step, in a stable code', () => {
    const codeOf = (work: () => unknown) => {
      try {
        work();
      } catch (error) {
        return error instanceof RecordConflict ? error.code : undefined;
      }
      return undefined;
    };
    const enforced = enforceFreeze(freeze(), 'x', NOW);
    expect(codeOf(() => liftFreeze(freeze(), 'x', NOW))).toBe('NOT_IN_FORCE');
    expect(codeOf(() => enforceFreeze(enforced, 'x', NOW))).toBe('ALREADY_IN_FORCE');
    expect(codeOf(() => retireWindow(enforced, 'x', NOW))).toBe('FREEZE_IN_FORCE');
    expect(codeOf(() => enforceFreeze(defineWindow(saturdayNights, 'w', NOW), 'x', NOW))).toBe(
      'NOT_A_FREEZE',
    );
    expect(codeOf(() => applyWindowChanges(retireWindow(freeze(), 'x', NOW), {}))).toBe(
      'WINDOW_RETIRED',
    );
  });

  it('keeps the kind, scope and activity of a freeze in force until it is lifted', () => {
    const enforced = enforceFreeze(freeze(), 'change_manager', NOW);
    expect(() => applyWindowChanges(enforced, { ciIds: [CI] })).toThrow(
      'The freeze "Year-end freeze" is in force: lift it before changing ciIds.',
    );
    expect(() => applyWindowChanges(enforced, { kind: 'blackout', active: false })).toThrow(
      'lift it before changing kind, active',
    );
    expect(applyWindowChanges(enforced, { description: 'Quarter close' }).description).toBe(
      'Quarter close',
    );
    expect(() => retireWindow(enforced, 'x', LATER)).toThrow('lift it before retiring it');
  });

  it('is retired once, then counts for nothing and takes no change', () => {
    const window = defineWindow(saturdayNights, 'w1', NOW);
    expect(isInEffect(window)).toBe(true);
    const retired = retireWindow(window, 'change_manager', LATER);
    expect(retired).toMatchObject({ active: false, retiredAt: LATER, retiredBy: 'change_manager' });
    expect(isInEffect(retired)).toBe(false);
    expect(isInEffect({ ...window, active: false })).toBe(false);
    expect(retireWindow(retired, 'someone else', new Date())).toBe(retired);
    expect(() => applyWindowChanges(retired, { active: true })).toThrow(RecordConflict);
  });
});
