import { RuleViolation, StepForbidden } from '@itsm/domain';
import {
  approvalRequirementFor,
  DEFAULT_APPROVAL_POLICIES,
} from '../../approvals/domain/approval-policy';
import { awaitingGroupsOf, decide, openRound } from '../../approvals/domain/approval-round';
import { agendaDecision, agendaFor, type AgendaCandidate } from './cab-agenda';
import { type CabMeetingDefinition, type CabOccurrence } from './cab-meeting';

const CAB: CabMeetingDefinition = {
  id: 'cab-weekly',
  name: 'Weekly CAB',
  recurrence: 'FREQ=WEEKLY;BYDAY=TU',
  firstStart: '2026-03-03T14:00',
  timeZone: 'Europe/Paris',
  durationMinutes: 60,
  approverGroup: 'change-advisory-board',
  agendaLookAheadDays: 14,
};
const MEETING: CabOccurrence = {
  meetingId: 'cab-weekly',
  start: new Date('2026-03-10T13:00:00Z'),
  end: new Date('2026-03-10T14:00:00Z'),
  agendaUntil: new Date('2026-03-24T13:00:00Z'),
};
const CHAIR = { username: 'cab_member', groups: ['change-advisory-board'], roles: ['cab_member'] };

function candidate(number: string, fields: Partial<AgendaCandidate> = {}): AgendaCandidate {
  return {
    changeId: `id-${number}`,
    number,
    title: `Change ${number}`,
    model: 'normal',
    risk: 'moderate',
    state: 'authorize',
    plannedStart: new Date('2026-03-15T22:00:00Z'),
    awaitingGroups: ['change-advisory-board'],
    ...fields,
  };
}

describe('a CAB agenda', () => {
  const candidates = [
    candidate('CHG0000001', { plannedStart: new Date('2026-03-20T22:00:00Z') }),
    candidate('CHG0000002', { risk: 'low' }),
    candidate('CHG0000003', { risk: 'very_high' }),
    candidate('CHG0000004', { plannedStart: new Date('2026-03-24T13:00:00Z') }),
    candidate('CHG0000005', { awaitingGroups: ['network'] }),
    candidate('CHG0000006', { state: 'assess' }),
    candidate('CHG0000007', { plannedStart: new Date('2026-03-09T08:00:00Z') }),
    candidate('CHG0000008', { plannedStart: null, risk: 'high' }),
    candidate('CHG0000009', {
      model: 'emergency',
      state: 'implement',
      plannedStart: new Date('2026-03-08T03:00:00Z'),
      risk: 'high',
    }),
    candidate('CHG0000010', { model: 'normal', state: 'implement' }),
  ];

  it("lists the changes awaiting its group, planned before the look-ahead's end, by start then risk", () => {
    const agenda = agendaFor(CAB, MEETING, candidates);
    expect(agenda).toMatchObject({
      meetingId: 'cab-weekly',
      start: MEETING.start,
      agendaUntil: MEETING.agendaUntil,
    });
    expect(
      agenda.items.map((item) => [item.position, item.number, item.overdue, item.retrospective]),
    ).toEqual([
      [1, 'CHG0000009', false, true],
      [2, 'CHG0000007', true, false],
      [3, 'CHG0000003', false, false],
      [4, 'CHG0000002', false, false],
      [5, 'CHG0000001', false, false],
      [6, 'CHG0000008', false, false],
    ]);
  });

  it('is empty when nothing awaits the group', () => {
    expect(agendaFor({ ...CAB, approverGroup: 'ecab' }, MEETING, candidates).items).toEqual([]);
  });

  it("records a decision per item as the group's decision, which the approval evaluator takes", () => {
    const requirement = approvalRequirementFor(DEFAULT_APPROVAL_POLICIES, {
      model: 'normal',
      risk: 'moderate',
      businessServiceIds: [],
    });
    const round = openRound([], requirement, new Date('2026-03-05T10:00:00Z'));
    const agenda = agendaFor(CAB, MEETING, [
      candidate('CHG0000002', { awaitingGroups: awaitingGroupsOf(round) }),
    ]);
    const request = agendaDecision(
      CAB,
      agenda,
      { changeId: 'id-CHG0000002', decision: 'approve', comment: 'Agreed at CAB' },
      CHAIR,
      new Date('2026-03-10T13:20:00Z'),
    );
    expect(request).toMatchObject({
      approver: 'cab_member',
      for: { kind: 'group', name: 'change-advisory-board' },
    });
    const result = decide(round, request, { model: 'normal', state: 'authorize' });
    expect(result.evaluation.status).toBe('approved');
    expect(result.decision).toMatchObject({
      comment: 'Agreed at CAB',
      for: { kind: 'group', name: 'change-advisory-board' },
    });
    expect(result.next).toBe('schedule');
  });

  it('takes decisions only on its items, and only from members of its group', () => {
    const agenda = agendaFor(CAB, MEETING, candidates);
    const at = new Date('2026-03-10T13:20:00Z');
    expect(() =>
      agendaDecision(
        CAB,
        agenda,
        { changeId: 'id-CHG0000005', decision: 'approve', comment: null },
        CHAIR,
        at,
      ),
    ).toThrow(
      new RuleViolation(
        'changeId',
        'is not on the agenda of "Weekly CAB" of 2026-03-10T13:00:00.000Z',
      ),
    );
    expect(() =>
      agendaDecision(
        CAB,
        agenda,
        { changeId: 'id-CHG0000002', decision: 'approve', comment: null },
        { username: 'agent', groups: ['service-desk'], roles: [] },
        at,
      ),
    ).toThrow(StepForbidden);
  });
});
