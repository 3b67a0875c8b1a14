import { describe, expect, it } from '@jest/globals';
import { conflictKindsByChange, groupConflicts } from './conflicts';
import type { ChangeConflicts, Conflict } from './types';

function report(changeId: string, conflicts: Partial<Conflict>[]): ChangeConflicts {
  return {
    changeId,
    conflicts: conflicts.map((conflict) => ({
      kind: 'same_ci',
      message: 'm',
      ciId: null,
      otherChangeId: null,
      windowId: null,
      refused: false,
      ...conflict,
    })),
    refused: false,
    dependencyCheckDegraded: null,
    classCheckDegraded: null,
    checkedAt: '2026-03-01T00:00:00.000Z',
  };
}

describe('groupConflicts', () => {
  it('shows two changes on the same CI once, though both report it', () => {
    const groups = groupConflicts([
      report('b', [
        { kind: 'same_ci', ciId: 'web', otherChangeId: 'a', message: 'CHG2 also changes web' },
      ]),
      report('a', [
        { kind: 'same_ci', ciId: 'web', otherChangeId: 'b', message: 'CHG1 also changes web' },
      ]),
    ]);
    expect(groups).toEqual([
      {
        key: 'same_ci|a|b|web',
        kind: 'same_ci',
        changeIds: ['a', 'b'],
        windowId: null,
        ciIds: ['web'],
        messages: ['CHG2 also changes web', 'CHG1 also changes web'],
        refused: false,
      },
    ]);
  });

  it('keeps two shared CIs apart, and one window covering several CIs together', () => {
    const groups = groupConflicts([
      report('a', [
        { kind: 'same_ci', ciId: 'web', otherChangeId: 'b' },
        { kind: 'same_ci', ciId: 'db', otherChangeId: 'b' },
        { kind: 'blackout', ciId: 'web', windowId: 'w', message: 'x', refused: true },
        { kind: 'blackout', ciId: 'db', windowId: 'w', message: 'y', refused: true },
      ]),
    ]);
    expect(groups.map((group) => [group.key, group.ciIds, group.refused])).toEqual([
      ['blackout|a|w', ['web', 'db'], true],
      ['same_ci|a|b|db', ['db'], false],
      ['same_ci|a|b|web', ['web'], false],
    ]);
  });

  it('pairs dependent CIs by the changes, whichever side names which CI', () => {
    const groups = groupConflicts([
      report('a', [{ kind: 'dependent_ci', ciId: 'app', otherChangeId: 'b' }]),
      report('b', [{ kind: 'dependent_ci', ciId: 'vm', otherChangeId: 'a' }]),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0].ciIds).toEqual(['app', 'vm']);
  });

  it('lists the most binding first', () => {
    const kinds = groupConflicts([
      report('a', [
        { kind: 'assignee_double_booked', otherChangeId: 'b' },
        { kind: 'outside_maintenance_window', windowId: 'm' },
        { kind: 'freeze', windowId: 'f' },
      ]),
    ]).map((group) => group.kind);
    expect(kinds).toEqual(['freeze', 'outside_maintenance_window', 'assignee_double_booked']);
  });
});

describe('conflictKindsByChange', () => {
  it('names, for each change, the kinds of conflict it is in', () => {
    const groups = groupConflicts([
      report('a', [
        { kind: 'same_ci', ciId: 'web', otherChangeId: 'b' },
        { kind: 'blackout', windowId: 'w' },
      ]),
    ]);
    expect(Object.fromEntries(conflictKindsByChange(groups))).toEqual({
      a: ['blackout', 'same_ci'],
      b: ['same_ci'],
    });
  });
});
