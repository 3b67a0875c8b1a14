import { defineWindow } from '../../windows/domain/change-window';
import {
  APP,
  DB,
  PAYROLL,
  WEB,
  at,
  candidate,
  interval,
  other,
  window,
} from '../../../test/support/schedule-fixtures';
import { detectConflicts } from './change-conflicts';
import { nextFreeSlot, slotSearchRange, type SlotQuestion } from './next-free-slot';
import { scheduledWindows } from './schedule';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function slot(question: Partial<SlotQuestion>): string[] | null {
  const found = nextFreeSlot({
    change: candidate(),
    earliest: at('2026-03-25T10:00:00Z'),
    durationMs: 2 * HOUR,
    otherChanges: [],
    windows: [],
    dependencies: [],
    ...question,
  });
  return found ? [found.start.toISOString(), found.end.toISOString()] : null;
}

describe('the next free slot', () => {
  it('is the earliest time asked for when nothing is in the way', () => {
    expect(slot({})).toEqual(['2026-03-25T10:00:00.000Z', '2026-03-25T12:00:00.000Z']);
  });

  it('comes after a change on the same CI, or on a CI one of its CIs depends on', () => {
    const onWeb = other('2026-03-25T09:00:00Z', '2026-03-25T11:00:00Z', { ciIds: [WEB] });
    expect(slot({ otherChanges: [onWeb] })).toEqual([
      '2026-03-25T11:00:00.000Z',
      '2026-03-25T13:00:00.000Z',
    ]);
    const onDb = other('2026-03-25T10:30:00Z', '2026-03-25T15:00:00Z', { ciIds: [DB] });
    const dependencies = [{ ciId: WEB, otherCiId: DB, direction: 'depends_on' as const, hops: 2 }];
    expect(slot({ otherChanges: [onDb], dependencies })).toEqual([
      '2026-03-25T15:00:00.000Z',
      '2026-03-25T17:00:00.000Z',
    ]);
    expect(slot({ otherChanges: [onDb], dependencies, maxHops: 1 })?.[0]).toBe(
      '2026-03-25T10:00:00.000Z',
    );
  });

  it('skips a gap too short for the change', () => {
    const first = other('2026-03-25T09:00:00Z', '2026-03-25T11:00:00Z', { ciIds: [WEB] });
    const second = other('2026-03-25T12:30:00Z', '2026-03-25T14:00:00Z', { ciIds: [WEB] });
    const cancelled = other('2026-03-25T14:00:00Z', '2026-03-25T18:00:00Z', {
      ciIds: [WEB],
      state: 'cancelled',
    });
    expect(slot({ otherChanges: [first, second, cancelled] })).toEqual([
      '2026-03-25T14:00:00.000Z',
      '2026-03-25T16:00:00.000Z',
    ]);
  });

  it('avoids the assignee’s other changes only when an assignee is given', () => {
    const theirs = other('2026-03-25T09:00:00Z', '2026-03-25T13:00:00Z', {
      ciIds: [APP],
      assignee: 'alice',
    });
    expect(slot({ otherChanges: [theirs] })?.[0]).toBe('2026-03-25T10:00:00.000Z');
    expect(
      slot({ change: { ...candidate(), assignee: 'alice' }, otherChanges: [theirs] })?.[0],
    ).toBe('2026-03-25T13:00:00.000Z');
  });

  it('avoids blackouts and freezes on its scope', () => {
    const close = window(
      'blackout',
      'Close',
      [interval('2026-03-25T08:00:00Z', '2026-03-26T00:00:00Z')],
      {
        businessServiceIds: [PAYROLL],
      },
    );
    expect(slot({ windows: [close] })?.[0]).toBe('2026-03-25T10:00:00.000Z');
    const onPayroll = { ...candidate(), businessServiceIds: [PAYROLL] };
    expect(slot({ change: onPayroll, windows: [close] })?.[0]).toBe('2026-03-26T00:00:00.000Z');
    const freeze = window(
      'freeze',
      'Freeze',
      [interval('2026-03-26T00:00:00Z', '2026-03-27T00:00:00Z')],
      {
        ciClasses: ['server'],
      },
    );
    expect(slot({ change: onPayroll, windows: [close, freeze] })?.[0]).toBe(
      '2026-03-27T00:00:00.000Z',
    );
  });

  it('finds nothing while a freeze in force covers the CIs: it has no end until lifted', () => {
    const lockdown = window('freeze', 'Lockdown', [], {}, at('2026-03-20T00:00:00Z'));
    expect(slot({ windows: [lockdown] })).toBeNull();
    const laterLockdown = window('freeze', 'Lockdown', [], {}, at('2026-03-26T00:00:00Z'));
    expect(slot({ windows: [laterLockdown] })?.[0]).toBe('2026-03-25T10:00:00.000Z');
    expect(slot({ windows: [laterLockdown], earliest: at('2026-03-25T23:00:00Z') })).toBeNull();
  });

  it('lies inside the maintenance windows of its CIs, at their local time across DST', () => {
    const saturdays = defineWindow(
      {
        name: 'Saturday night maintenance',
        kind: 'maintenance',
        start: at('2026-03-21T22:00:00+01:00'),
        end: at('2026-03-22T02:00:00+01:00'),
        recurrence: 'FREQ=WEEKLY;BYDAY=SA',
        timeZone: 'Europe/Berlin',
        ciIds: [WEB],
        createdBy: 'change_manager',
      },
      'f0000000-0000-4000-8000-000000000001',
      at('2026-03-01T00:00:00Z'),
    );
    const earliest = at('2026-03-30T09:00:00Z');
    const range = slotSearchRange(earliest, 2 * HOUR);
    const windows = scheduledWindows([saturdays], range.start, range.end);
    // The Saturday after the switch to summer time: 22:00 in Berlin is 20:00 UTC.
    expect(slot({ earliest, windows })).toEqual([
      '2026-04-04T20:00:00.000Z',
      '2026-04-04T22:00:00.000Z',
    ]);
    // A blackout over that night's first hours pushes it later in the same window.
    const blackout = window('blackout', 'Release', [
      interval('2026-04-04T18:00:00Z', '2026-04-04T21:00:00Z'),
    ]);
    expect(slot({ earliest, windows: [...windows, blackout] })).toEqual([
      '2026-04-04T21:00:00.000Z',
      '2026-04-04T23:00:00.000Z',
    ]);
    // Three hours no longer fit: the next Saturday.
    const otherNight = other('2026-04-04T20:30:00Z', '2026-04-04T21:30:00Z', { ciIds: [WEB] });
    expect(slot({ earliest, windows, otherChanges: [otherNight], durationMs: 3 * HOUR })).toEqual([
      '2026-04-11T20:00:00.000Z',
      '2026-04-11T23:00:00.000Z',
    ]);
    // No slot of five hours fits in a four-hour window.
    expect(slot({ earliest, windows, durationMs: 5 * HOUR })).toBeNull();
  });

  it('needs a time inside a maintenance window of each covered CI', () => {
    const webNights = window(
      'maintenance',
      'Web',
      [interval('2026-03-25T20:00:00Z', '2026-03-26T02:00:00Z')],
      { ciIds: [WEB] },
    );
    const dbMornings = window(
      'maintenance',
      'Db',
      [
        interval('2026-03-25T06:00:00Z', '2026-03-25T08:00:00Z'),
        interval('2026-03-26T00:00:00Z', '2026-03-26T06:00:00Z'),
      ],
      { ciIds: [DB] },
    );
    const onBoth = { ...candidate(), ciIds: [WEB, DB] };
    expect(slot({ change: onBoth, windows: [webNights, dbMornings] })).toEqual([
      '2026-03-26T00:00:00.000Z',
      '2026-03-26T02:00:00.000Z',
    ]);
  });

  it('suggests a slot that conflict detection finds nothing refusing in', () => {
    const close = window('blackout', 'Close', [
      interval('2026-03-25T08:00:00Z', '2026-03-25T16:00:00Z'),
    ]);
    const onWeb = other('2026-03-25T16:00:00Z', '2026-03-25T17:00:00Z', { ciIds: [WEB] });
    const found = nextFreeSlot({
      change: candidate(),
      earliest: at('2026-03-25T10:00:00Z'),
      durationMs: 2 * HOUR,
      otherChanges: [onWeb],
      windows: [close],
      dependencies: [],
    });
    expect(found).not.toBeNull();
    const planned = candidate({ plannedStart: found!.start, plannedEnd: found!.end });
    expect(
      detectConflicts({
        change: planned,
        otherChanges: [onWeb],
        windows: [close],
        dependencies: [],
      }),
    ).toEqual([]);
  });

  it('looks only as far ahead as its horizon', () => {
    const onWeb = other('2026-03-25T00:00:00Z', '2026-04-05T00:00:00Z', { ciIds: [WEB] });
    expect(slot({ otherChanges: [onWeb], horizonMs: 5 * DAY })).toBeNull();
    expect(slot({ otherChanges: [onWeb], horizonMs: 11 * DAY })?.[0]).toBe(
      '2026-04-05T00:00:00.000Z',
    );
  });

  it('refuses a duration or horizon it cannot search', () => {
    expect(() => slot({ durationMs: 0 })).toThrow(RangeError);
    expect(() => slot({ durationMs: 31 * DAY })).toThrow(RangeError);
    expect(() => slot({ horizonMs: 367 * DAY })).toThrow(RangeError);
  });
});
