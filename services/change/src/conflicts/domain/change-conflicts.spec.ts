import { defineWindow } from '../../windows/domain/change-window';
import {
  APP,
  DB,
  LB,
  PAYROLL,
  WEB,
  at,
  candidate,
  interval,
  other,
  window,
} from '../../../test/support/schedule-fixtures';
import {
  detectConflicts,
  isRefused,
  outsideMaintenanceWindows,
  toConflictV1,
  type ChangeConflict,
  type ConflictQuestion,
} from './change-conflicts';
import { scheduledWindows, type CiDependency } from './schedule';

function conflicts(question: Partial<ConflictQuestion>): ChangeConflict[] {
  return detectConflicts({
    change: candidate(),
    otherChanges: [],
    windows: [],
    dependencies: [],
    ...question,
  });
}

const kinds = (found: ChangeConflict[]) => found.map((conflict) => conflict.kind);

/** The change is on Wednesday 25 March 2026, 10:00 to 12:00 UTC, on CI web-01. */
const ciNames = { [WEB]: 'web-01', [DB]: 'db-01', [APP]: 'app-01' };

describe('conflicts with the same CI', () => {
  it('finds another change on the same CI overlapping in time, naming it', () => {
    const overlapping = other('2026-03-25T11:00:00Z', '2026-03-25T13:00:00Z', { ciIds: [WEB, DB] });
    expect(conflicts({ otherChanges: [overlapping], ciNames })).toEqual([
      {
        kind: 'same_ci',
        message: `${overlapping.number} also changes CI web-01, 2026-03-25 11:00 to 13:00 UTC, overlapping this change.`,
        ciId: WEB,
        otherChangeId: overlapping.id,
        windowId: null,
        refused: false,
      },
    ]);
  });

  it('ignores changes that only touch its interval, other CIs, the change itself, and cancelled or closed ones', () => {
    const found = conflicts({
      otherChanges: [
        other('2026-03-25T12:00:00Z', '2026-03-25T13:00:00Z', { ciIds: [WEB] }),
        other('2026-03-25T08:00:00Z', '2026-03-25T10:00:00Z', { ciIds: [WEB] }),
        other('2026-03-25T10:00:00Z', '2026-03-25T12:00:00Z', { ciIds: [DB] }),
        other('2026-03-25T10:00:00Z', '2026-03-25T12:00:00Z', { ciIds: [WEB], state: 'cancelled' }),
        other('2026-03-25T10:00:00Z', '2026-03-25T12:00:00Z', { ciIds: [WEB], state: 'closed' }),
        {
          ...other('2026-03-25T10:00:00Z', '2026-03-25T12:00:00Z', { ciIds: [WEB] }),
          id: candidate().id,
        },
      ],
    });
    expect(found).toEqual([]);
  });

  it('compares CI ids whatever their case', () => {
    const overlapping = other('2026-03-25T11:00:00Z', '2026-03-25T11:30:00Z', {
      ciIds: [WEB.toUpperCase()],
    });
    expect(kinds(conflicts({ otherChanges: [overlapping] }))).toEqual(['same_ci']);
  });

  it('answers nothing for a change without a planned interval to speak of', () => {
    const overlapping = other('2026-03-25T11:00:00Z', '2026-03-25T13:00:00Z', { ciIds: [WEB] });
    const instant = candidate({ plannedEnd: candidate().plannedStart });
    expect(conflicts({ change: instant, otherChanges: [overlapping] })).toEqual([]);
  });
});

describe('conflicts with dependent CIs', () => {
  const onDb = other('2026-03-25T09:00:00Z', '2026-03-25T10:30:00Z', { ciIds: [DB] });
  const onLb = other('2026-03-25T11:30:00Z', '2026-03-25T12:30:00Z', { ciIds: [LB] });

  it('finds a change on a CI this one depends on, saying how many hops away', () => {
    const found = conflicts({
      otherChanges: [onDb],
      dependencies: [{ ciId: WEB, otherCiId: DB, direction: 'depends_on', hops: 2 }],
      ciNames,
    });
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'dependent_ci',
        message: `CI web-01 depends on CI db-01 (2 hops away in the CMDB), which ${onDb.number} changes 2026-03-25 09:00 to 10:30 UTC, overlapping this change.`,
        ciId: WEB,
        otherChangeId: onDb.id,
        refused: false,
      }),
    ]);
  });

  it('finds a change on a CI that depends on one of this change’s CIs', () => {
    const [found] = conflicts({
      otherChanges: [onLb],
      dependencies: [{ ciId: WEB, otherCiId: LB, direction: 'depended_on_by', hops: 1 }],
      ciNames,
    });
    expect(found?.message).toBe(
      `CI ${LB}, which ${onLb.number} changes 2026-03-25 11:30 to 12:30 UTC, depends on CI web-01 (1 hop away in the CMDB), overlapping this change.`,
    );
  });

  it('stops at the hops asked for (2 by default), and keeps the closest path of a pair', () => {
    const dependencies: CiDependency[] = [
      { ciId: WEB, otherCiId: DB, direction: 'depends_on', hops: 3 },
    ];
    expect(conflicts({ otherChanges: [onDb], dependencies })).toEqual([]);
    expect(kinds(conflicts({ otherChanges: [onDb], dependencies, maxHops: 3 }))).toEqual([
      'dependent_ci',
    ]);
    const both = conflicts({
      otherChanges: [onDb],
      dependencies: [
        ...dependencies,
        { ciId: WEB, otherCiId: DB, direction: 'depends_on', hops: 1 },
      ],
      maxHops: 3,
    });
    expect(both).toHaveLength(1);
    expect(both[0]?.message).toContain('(1 hop away in the CMDB)');
  });

  it('leaves a CI both change to the same-CI conflict, and changes not overlapping in time alone', () => {
    const onBoth = other('2026-03-25T11:00:00Z', '2026-03-25T11:30:00Z', { ciIds: [WEB, DB] });
    const later = other('2026-03-25T12:00:00Z', '2026-03-25T13:00:00Z', { ciIds: [DB] });
    const found = conflicts({
      change: candidate({ ciIds: [WEB, DB] }),
      otherChanges: [onBoth, later],
      dependencies: [{ ciId: WEB, otherCiId: DB, direction: 'depends_on', hops: 1 }],
    });
    expect(kinds(found)).toEqual(['same_ci', 'same_ci']);
  });
});

describe('conflicts with maintenance windows', () => {
  const saturdays = window(
    'maintenance',
    'Saturday night maintenance',
    [
      interval('2026-03-21T21:00:00Z', '2026-03-22T01:00:00Z'),
      interval('2026-03-28T21:00:00Z', '2026-03-29T01:00:00Z'),
    ],
    { ciIds: [WEB] },
  );

  it('finds a change on a CI with maintenance windows outside their occurrences, naming them', () => {
    expect(conflicts({ windows: [saturdays], ciNames })).toEqual([
      {
        kind: 'outside_maintenance_window',
        message:
          'This change (2026-03-25 10:00 to 12:00 UTC) is outside the maintenance windows of CI web-01 ("Saturday night maintenance"): changes to it belong inside one of their occurrences.',
        ciId: WEB,
        otherChangeId: null,
        windowId: saturdays.id,
        refused: false,
      },
    ]);
  });

  it('is content with a change inside an occurrence', () => {
    const inside = candidate({
      plannedStart: at('2026-03-28T22:00:00Z'),
      plannedEnd: at('2026-03-29T00:30:00Z'),
    });
    expect(conflicts({ change: inside, windows: [saturdays] })).toEqual([]);
  });

  it('finds a change that starts inside an occurrence but runs past its end', () => {
    const overrunning = candidate({
      plannedStart: at('2026-03-28T23:00:00Z'),
      plannedEnd: at('2026-03-29T02:00:00Z'),
    });
    expect(kinds(conflicts({ change: overrunning, windows: [saturdays] }))).toEqual([
      'outside_maintenance_window',
    ]);
  });

  it('takes back-to-back occurrences of two windows as one', () => {
    const early = window(
      'maintenance',
      'Early',
      [interval('2026-03-25T08:00:00Z', '2026-03-25T11:00:00Z')],
      { ciIds: [WEB] },
    );
    const late = window(
      'maintenance',
      'Late',
      [interval('2026-03-25T11:00:00Z', '2026-03-25T14:00:00Z')],
      { ciClasses: ['server'] },
    );
    expect(conflicts({ windows: [early, late] })).toEqual([]);
    expect(conflicts({ windows: [early] })[0]?.windowId).toBe(early.id);
  });

  it('asks nothing of a CI no maintenance window covers', () => {
    const onDbOnly = window('maintenance', 'Database nights', [], { ciIds: [DB] });
    expect(conflicts({ windows: [onDbOnly] })).toEqual([]);
  });

  it('covers a CI by its class or an ancestor class, and a business service by id', () => {
    const servers = window('maintenance', 'Server patching', [], { ciClasses: ['server'] });
    expect(conflicts({ windows: [servers] }).map((c) => c.ciId)).toEqual([WEB]);
    const payroll = window('maintenance', 'Payroll maintenance', [], {
      businessServiceIds: [PAYROLL],
    });
    const onPayroll = candidate({ ciIds: [DB], businessServiceIds: [PAYROLL] });
    expect(conflicts({ change: onPayroll, windows: [payroll] }).map((c) => c.ciId)).toEqual([
      PAYROLL,
    ]);
  });

  it('answers the risk fact from the same rule: the items outside, with their windows', () => {
    const servers = window(
      'maintenance',
      'Server patching',
      [interval('2026-03-25T09:00:00Z', '2026-03-25T13:00:00Z')],
      { ciClasses: ['server'] },
    );
    expect(outsideMaintenanceWindows(candidate(), [saturdays])).toEqual([
      { target: WEB, covering: [saturdays] },
    ]);
    // Inside an occurrence of its class's window: inside, whatever the CI's own windows say.
    expect(outsideMaintenanceWindows(candidate(), [servers]).length).toBe(0);
    expect(outsideMaintenanceWindows(candidate(), [servers, saturdays]).length).toBe(0);
    // The class unknown (the CMDB did not answer): the class's window covers nothing.
    expect(outsideMaintenanceWindows(candidate({ ciClassesById: {} }), [servers])).toEqual([]);
    const late = candidate({
      plannedStart: at('2026-03-25T12:00:00Z'),
      plannedEnd: at('2026-03-25T14:00:00Z'),
    });
    expect(outsideMaintenanceWindows(late, [servers])).toEqual([
      { target: WEB, covering: [servers] },
    ]);
    expect(
      outsideMaintenanceWindows(candidate({ plannedEnd: at('2026-03-25T10:00:00Z') }), [saturdays]),
    ).toEqual([]);
  });

  it('counts a whole-estate window for every CI, and for a change on no CI at all', () => {
    const everything = window('maintenance', 'Estate window', []);
    expect(
      conflicts({ change: candidate({ ciIds: [WEB, DB] }), windows: [everything] }).map(
        (c) => c.ciId,
      ),
    ).toEqual([WEB, DB]);
    expect(
      conflicts({ change: candidate({ ciIds: [] }), windows: [everything] }).map((c) => c.ciId),
    ).toEqual([null]);
  });
});

describe('conflicts with blackouts and freezes', () => {
  const quarterEnd = window(
    'blackout',
    'Quarter-end close',
    [interval('2026-03-24T00:00:00Z', '2026-03-27T00:00:00Z')],
    {
      businessServiceIds: [PAYROLL],
    },
  );
  const onPayroll = candidate({ businessServiceIds: [PAYROLL] });

  it('refuses a change inside a blackout on its scope', () => {
    const found = conflicts({ change: onPayroll, windows: [quarterEnd] });
    expect(found).toEqual([
      {
        kind: 'blackout',
        message: `This change is planned inside the blackout "Quarter-end close" (2026-03-24 00:00 to 2026-03-27 00:00 UTC), which covers CI ${PAYROLL}: refused unless it is an emergency change with an override reason.`,
        ciId: PAYROLL,
        otherChangeId: null,
        windowId: quarterEnd.id,
        refused: true,
      },
    ]);
    expect(isRefused(found)).toBe(true);
    expect(toConflictV1(found[0])).toEqual({
      kind: 'blackout',
      message: found[0].message,
      ciId: PAYROLL,
      otherChangeId: null,
      windowId: quarterEnd.id,
    });
  });

  it('lets an emergency change with an override reason through, saying why', () => {
    const emergency = {
      ...onPayroll,
      model: 'emergency' as const,
      blackoutOverrideReason: ' Payroll run fails without the fix ',
    };
    const [found] = conflicts({ change: emergency, windows: [quarterEnd] });
    expect(found).toMatchObject({ kind: 'blackout', refused: false });
    expect(found?.message).toMatch(
      /; it goes ahead as an emergency change: Payroll run fails without the fix\.$/,
    );
  });

  it.each([
    [
      'an emergency change without a reason',
      { model: 'emergency' as const, blackoutOverrideReason: '  ' },
    ],
    [
      'a normal change with a reason',
      { model: 'normal' as const, blackoutOverrideReason: 'Urgent' },
    ],
    ['a standard change', { model: 'standard' as const, blackoutOverrideReason: null }],
  ])('refuses %s', (_what, fields) => {
    expect(
      isRefused(conflicts({ change: { ...onPayroll, ...fields }, windows: [quarterEnd] })),
    ).toBe(true);
  });

  it('ignores a blackout on another scope, or at another time', () => {
    expect(conflicts({ windows: [quarterEnd] })).toEqual([]);
    const april = window('blackout', 'April', [
      interval('2026-04-01T00:00:00Z', '2026-04-02T00:00:00Z'),
    ]);
    expect(conflicts({ windows: [april] })).toEqual([]);
  });

  it('reports a whole-estate blackout once, for the whole estate', () => {
    const everything = window('blackout', 'Release weekend', [
      interval('2026-03-25T11:00:00Z', '2026-03-25T18:00:00Z'),
    ]);
    const found = conflicts({ change: candidate({ ciIds: [WEB, DB] }), windows: [everything] });
    expect(found.map((c) => [c.kind, c.ciId])).toEqual([['blackout', null]]);
    expect(found[0]?.message).toContain('which covers the whole estate');
  });

  it('refuses a change inside a planned freeze, and one after a freeze put in force', () => {
    const yearEnd = window(
      'freeze',
      'Spring freeze',
      [interval('2026-03-25T00:00:00Z', '2026-03-26T00:00:00Z')],
      { ciIds: [WEB] },
    );
    expect(conflicts({ windows: [yearEnd] })).toEqual([
      expect.objectContaining({
        kind: 'freeze',
        message:
          'This change is planned inside the freeze "Spring freeze" (2026-03-25 00:00 to 2026-03-26 00:00 UTC), which covers CI a0000000-0000-4000-8000-000000000001: refused unless it is an emergency change with an override reason.',
        refused: true,
      }),
    ]);
    const lockdown = window(
      'freeze',
      'Major incident lockdown',
      [],
      { ciClasses: ['server'] },
      at('2026-03-20T08:00:00Z'),
    );
    expect(conflicts({ windows: [lockdown], ciNames })).toEqual([
      expect.objectContaining({
        kind: 'freeze',
        message:
          'The freeze "Major incident lockdown" is in force since 2026-03-20 08:00 UTC and covers CI web-01: no change on it goes ahead until the freeze is lifted: refused unless it is an emergency change with an override reason.',
        ciId: WEB,
        windowId: lockdown.id,
        refused: true,
      }),
    ]);
    const later = window('freeze', 'Later lockdown', [], {}, at('2026-03-25T12:00:00Z'));
    expect(conflicts({ windows: [later] })).toEqual([]);
  });
});

describe('an assignee double-booked', () => {
  it('finds another change of the same assignee overlapping in time', () => {
    const theirs = other('2026-03-25T11:45:00Z', '2026-03-25T14:00:00Z', {
      assignee: 'alice',
      ciIds: [DB],
    });
    const someoneElse = other('2026-03-25T11:45:00Z', '2026-03-25T14:00:00Z', { assignee: 'bob' });
    expect(
      conflicts({ change: candidate({ assignee: 'alice' }), otherChanges: [theirs, someoneElse] }),
    ).toEqual([
      {
        kind: 'assignee_double_booked',
        message: `The assignee alice is also on ${theirs.number}, 2026-03-25 11:45 to 14:00 UTC, overlapping this change.`,
        ciId: null,
        otherChangeId: theirs.id,
        windowId: null,
        refused: false,
      },
    ]);
    expect(conflicts({ otherChanges: [theirs] })).toEqual([]);
  });
});

describe('the conflicts of a change, all together', () => {
  it('lists them most binding first', () => {
    const onWeb = other('2026-03-25T11:00:00Z', '2026-03-25T13:00:00Z', {
      ciIds: [WEB],
      assignee: 'alice',
    });
    const found = conflicts({
      change: candidate({ assignee: 'alice' }),
      otherChanges: [onWeb],
      windows: [
        window('maintenance', 'Nights', [], { ciIds: [WEB] }),
        window('freeze', 'Lockdown', [], {}, at('2026-03-01T00:00:00Z')),
        window('blackout', 'Close', [interval('2026-03-25T00:00:00Z', '2026-03-26T00:00:00Z')]),
      ],
    });
    expect(kinds(found)).toEqual([
      'blackout',
      'freeze',
      'same_ci',
      'outside_maintenance_window',
      'assignee_double_booked',
    ]);
  });

  it('reads windows as the schedule expands them, in their local time across DST', () => {
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
    const windows = scheduledWindows(
      [saturdays],
      at('2026-03-28T00:00:00Z'),
      at('2026-04-06T00:00:00Z'),
    );
    // 22:00 to 23:00 in Berlin, after the switch to summer time: 20:00 to 21:00 UTC.
    const afterSwitch = candidate({
      plannedStart: at('2026-04-04T20:00:00Z'),
      plannedEnd: at('2026-04-04T21:00:00Z'),
    });
    expect(conflicts({ change: afterSwitch, windows })).toEqual([]);
    // 21:00 UTC was 22:00 the week before; after the switch it is 23:00, and 00:00 to 01:00 UTC is past the end.
    const utcHabit = candidate({
      plannedStart: at('2026-04-04T23:30:00Z'),
      plannedEnd: at('2026-04-05T01:00:00Z'),
    });
    expect(kinds(conflicts({ change: utcHabit, windows }))).toEqual(['outside_maintenance_window']);
    expect(
      scheduledWindows(
        [{ ...saturdays, active: false }],
        at('2026-03-28T00:00:00Z'),
        at('2026-04-06T00:00:00Z'),
      ),
    ).toEqual([]);
  });
});
