import { describe, expect, it } from '@jest/globals';
import { openApproversFor, type Approver } from './approvals';
import type { ApprovalRound, ChangeApprovals } from './types';

const cab: Approver = {
  username: 'cab_member',
  groups: ['change-advisory-board'],
  roles: ['cab_member'],
};
const manager: Approver = { username: 'change_manager', groups: [], roles: ['change_manager'] };

function approvals(round: Partial<ApprovalRound> | undefined): ChangeApprovals {
  return {
    changeId: 'c1',
    approval: 'requested',
    rounds: round
      ? [
          {
            number: 1,
            policy: { id: 'normal', name: 'Normal change: the CAB' },
            rule: { kind: 'any' },
            approvers: [{ kind: 'group', name: 'change-advisory-board' }],
            retrospectiveAllowed: false,
            outcome: 'pending',
            needed: 1,
            missing: 'Waiting…',
            decisions: [],
            openedAt: '2026-03-01T10:00:00.000Z',
            closedAt: null,
            ...round,
          },
        ]
      : [],
  };
}

const inAuthorize = { model: 'normal', state: 'authorize' } as const;

describe('openApproversFor', () => {
  it('finds the group a member may decide for', () => {
    expect(openApproversFor(cab, inAuthorize, approvals({}))).toEqual([
      { kind: 'group', name: 'change-advisory-board' },
    ]);
    expect(openApproversFor(manager, inAuthorize, approvals({}))).toEqual([]);
  });

  it('matches users by name and roles by holder', () => {
    const round = {
      approvers: [
        { kind: 'user', name: 'pat' },
        { kind: 'role', name: 'change_manager' },
      ],
    } satisfies Partial<ApprovalRound>;
    expect(openApproversFor(manager, inAuthorize, approvals(round))).toEqual([
      { kind: 'role', name: 'change_manager' },
    ]);
    const pat = { username: 'pat', groups: [], roles: [] };
    expect(openApproversFor(pat, inAuthorize, approvals(round))).toEqual([
      { kind: 'user', name: 'pat' },
    ]);
  });

  it('leaves out approvers already decided, and people who decided in the round', () => {
    const decided = {
      approver: 'someone',
      onBehalfOf: { kind: 'group' as const, name: 'change-advisory-board' },
      decision: 'approve' as const,
      comment: null,
      at: '2026-03-01T11:00:00.000Z',
      retrospective: false,
    };
    expect(openApproversFor(cab, inAuthorize, approvals({ decisions: [decided] }))).toEqual([]);
    const both: Approver = { ...cab, roles: ['change_manager'] };
    const round = {
      rule: { kind: 'all' },
      approvers: [
        { kind: 'group', name: 'change-advisory-board' },
        { kind: 'role', name: 'change_manager' },
      ],
      decisions: [{ ...decided, approver: 'cab_member' }],
    } satisfies Partial<ApprovalRound>;
    expect(openApproversFor(both, inAuthorize, approvals(round))).toEqual([]);
  });

  it('needs an open round, in a state that takes decisions', () => {
    expect(openApproversFor(cab, inAuthorize, approvals(undefined))).toEqual([]);
    expect(openApproversFor(cab, inAuthorize, approvals({ outcome: 'approved' }))).toEqual([]);
    expect(openApproversFor(cab, { model: 'normal', state: 'scheduled' }, approvals({}))).toEqual(
      [],
    );
  });

  it('takes decisions after the fact on an emergency change whose policy allows it', () => {
    const retro = approvals({ retrospectiveAllowed: true });
    for (const state of ['scheduled', 'implement', 'review', 'closed'] as const)
      expect(openApproversFor(cab, { model: 'emergency', state }, retro)).toHaveLength(1);
    expect(
      openApproversFor(cab, { model: 'emergency', state: 'implement' }, approvals({})),
    ).toEqual([]);
  });
});
