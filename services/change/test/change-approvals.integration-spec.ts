import { randomUUID } from 'node:crypto';
import { EventValidator, Topics } from '@itsm/contracts';
import { RecordsApi, RunningPlatform, eventsOf, eventually } from '@itsm/testing';
import { DEFAULT_APPROVAL_POLICIES } from '../src/approvals/domain/approval-policy';
import { submittedForAuthorisation } from './support/change-flow';

interface ChangeBody {
  id: string;
  number: string;
  state: string;
  approval: string;
  authorizedAt: string | null;
  [field: string]: unknown;
}

interface ApprovalsBody {
  approval: string;
  rounds: {
    number: number;
    policy: { id: string };
    outcome: string;
    needed: number;
    missing: string | null;
    decisions: {
      approver: string;
      decision: string;
      comment: string | null;
      retrospective: boolean;
    }[];
  }[];
}

const validator = new EventValidator();
const SERVICE_ALL = randomUUID();
const SERVICE_TWO_OF_THREE = randomUUID();
const SERVICE_HALF = randomUUID();
const APPROVERS = { users: ['admin', 'cab_member', 'change_manager'] };

/** Policies for three services before the defaults: one rule each, over the three users who may approve. */
const POLICIES = [
  {
    id: 'both',
    name: 'The CAB member and the change manager',
    match: { models: ['normal'], businessServiceIds: [SERVICE_ALL] },
    approvers: { users: ['cab_member', 'change_manager'] },
    rule: { kind: 'all' },
  },
  {
    id: 'two-of-three',
    name: 'Two of three',
    match: { models: ['normal'], businessServiceIds: [SERVICE_TWO_OF_THREE] },
    approvers: APPROVERS,
    rule: { kind: 'n_of_m', n: 2 },
  },
  {
    id: 'half',
    name: 'Half of three',
    match: { models: ['normal'], businessServiceIds: [SERVICE_HALF] },
    approvers: APPROVERS,
    rule: { kind: 'percentage', percent: 50 },
  },
  ...DEFAULT_APPROVAL_POLICIES,
];

/** Approval policies, rules and rounds through the gateway, against real Kafka and PostgreSQL. */
describe('change approvals', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;
  let cab: RecordsApi;
  let admin: RecordsApi;
  let agent: RecordsApi;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change'], {
      CHANGE_APPROVAL_POLICY: JSON.stringify(POLICIES),
    });
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    cab = await RecordsApi.as(platform.gatewayUrl, 'cab_member');
    admin = await RecordsApi.as(platform.gatewayUrl, 'admin');
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  function approvals(api: RecordsApi, id: string, body?: object) {
    const path = `/api/v1/changes/${id}/approvals`;
    return body === undefined ? api.call('get', path) : api.call('post', path).send(body);
  }

  /** A normal change submitted for authorisation. */
  function awaitingApproval(fields: object = {}): Promise<ChangeBody> {
    return submittedForAuthorisation<ChangeBody>(manager, fields);
  }

  async function read(id: string): Promise<ChangeBody> {
    return (await manager.get('changes', id).expect(200)).body as ChangeBody;
  }

  it('schedules a normal change by itself once a CAB member approves (rule any)', async () => {
    const change = await awaitingApproval();
    expect(change.approval).toBe('requested');
    const before = (await approvals(cab, change.id).expect(200)).body as ApprovalsBody;
    expect(before.rounds).toMatchObject([
      { number: 1, policy: { id: 'normal' }, outcome: 'pending', needed: 1 },
    ]);
    expect(before.rounds[0].missing).toContain('change-advisory-board');

    const after = (
      await approvals(cab, change.id, { decision: 'approve', comment: 'Low risk' }).expect(200)
    ).body as ApprovalsBody;
    expect(after).toMatchObject({ approval: 'approved', rounds: [{ outcome: 'approved' }] });
    expect(await read(change.id)).toMatchObject({ state: 'scheduled', approval: 'approved' });

    const events = await eventually(async () => {
      const found = await eventsOf(change.id, Topics.changeEvents);
      return found.some((event) => event.type === 'itsm.change.authorized.v1') ? found : undefined;
    });
    for (const event of events) validator.assertValid(event.type, event.data);
    const decided = events.find((event) => event.type === 'itsm.change.approval_decided.v1');
    expect(decided?.data).toMatchObject({
      decision: {
        approver: 'cab_member',
        decision: 'approve',
        onBehalfOf: { kind: 'group', name: 'change-advisory-board' },
      },
    });
  });

  it('sends a rejected change back to new with the decision kept, and asks again in a new round', async () => {
    const change = await awaitingApproval();
    const noComment = await approvals(cab, change.id, { decision: 'reject' }).expect(400);
    expect(JSON.stringify(noComment.body)).toContain('comment');
    await approvals(cab, change.id, { decision: 'reject', comment: 'No backout test' }).expect(200);
    expect(await read(change.id)).toMatchObject({ state: 'new', approval: 'rejected' });
    const journal = await manager.journal('changes', change.id).expect(200);
    expect(JSON.stringify(journal.body)).toContain('No backout test');

    await manager.transition('changes', change.id, { to: 'assess' }).expect(200);
    await manager.transition('changes', change.id, { to: 'authorize' }).expect(200);
    const rounds = (await approvals(manager, change.id).expect(200)).body as ApprovalsBody;
    expect(rounds.rounds.map((round) => round.outcome)).toEqual(['rejected', 'pending']);
    expect(rounds.rounds[0].decisions).toMatchObject([
      { approver: 'cab_member', decision: 'reject', comment: 'No backout test' },
    ]);
  });

  it('refuses a decision from someone who is not an approver, or who decided already', async () => {
    const change = await awaitingApproval();
    const notAnApprover = await approvals(manager, change.id, { decision: 'approve' }).expect(403);
    expect(notAnApprover.body).toMatchObject({ code: 'APPROVER_NOT_ELIGIBLE' });
    await approvals(agent, change.id, { decision: 'approve' }).expect(403);
    await approvals(cab, randomUUID(), { decision: 'approve' }).expect(404);
    const notYet = await manager.create('changes', { title: 'Not submitted' }).expect(201);
    const notSubmitted = await approvals(cab, (notYet.body as ChangeBody).id, {
      decision: 'approve',
    }).expect(409);
    expect(notSubmitted.body).toMatchObject({ code: 'NOT_AWAITING_APPROVAL' });
  });

  it('needs every named approver under all', async () => {
    const change = await awaitingApproval({ businessServiceIds: [SERVICE_ALL] });
    await approvals(cab, change.id, { decision: 'approve' }).expect(200);
    expect(await read(change.id)).toMatchObject({ state: 'authorize', approval: 'requested' });
    const twice = await approvals(cab, change.id, { decision: 'approve' }).expect(409);
    expect(twice.body).toMatchObject({ code: 'ALREADY_DECIDED' });
    await approvals(manager, change.id, { decision: 'approve' }).expect(200);
    expect(await read(change.id)).toMatchObject({ state: 'scheduled', approval: 'approved' });
  });

  it('needs n of m under n_of_m, and a share of them under percentage', async () => {
    const twoOfThree = await awaitingApproval({ businessServiceIds: [SERVICE_TWO_OF_THREE] });
    await approvals(admin, twoOfThree.id, { decision: 'approve' }).expect(200);
    const one = (await approvals(admin, twoOfThree.id).expect(200)).body as ApprovalsBody;
    expect(one.rounds[0]).toMatchObject({ outcome: 'pending', needed: 2 });
    expect(one.rounds[0].missing).toContain('1 more approval');
    await approvals(cab, twoOfThree.id, { decision: 'approve' }).expect(200);
    expect((await read(twoOfThree.id)).state).toBe('scheduled');

    const half = await awaitingApproval({ businessServiceIds: [SERVICE_HALF] });
    const rule = (await approvals(admin, half.id).expect(200)).body as ApprovalsBody;
    expect(rule.rounds[0].needed).toBe(2);
    await approvals(manager, half.id, { decision: 'approve' }).expect(200);
    expect((await read(half.id)).state).toBe('authorize');
    await approvals(admin, half.id, { decision: 'approve' }).expect(200);
    expect((await read(half.id)).state).toBe('scheduled');
  });

  it('lets one rejection reject whatever the rule', async () => {
    const change = await awaitingApproval({ businessServiceIds: [SERVICE_TWO_OF_THREE] });
    await approvals(admin, change.id, { decision: 'approve' }).expect(200);
    await approvals(cab, change.id, {
      decision: 'reject',
      comment: 'Clashes with the audit',
    }).expect(200);
    expect(await read(change.id)).toMatchObject({ state: 'new', approval: 'rejected' });
  });

  it('authorises an emergency change after the fact, once it went ahead', async () => {
    const created = await manager
      .create('changes', { title: 'Hotfix the TLS termination', model: 'emergency' })
      .expect(201);
    const id = (created.body as ChangeBody).id;
    const start = new Date();
    await manager
      .transition('changes', id, {
        to: 'authorize',
        assignmentGroup: 'network',
        plannedStart: start.toISOString(),
        plannedEnd: new Date(start.getTime() + 3600_000).toISOString(),
      })
      .expect(200);
    await manager
      .transition('changes', id, { to: 'implement', reason: 'Certificates expired' })
      .expect(200);
    await manager.transition('changes', id, { to: 'review', closeCode: 'successful' }).expect(200);
    const late = (
      await approvals(manager, id, { decision: 'approve', comment: 'Right call' }).expect(200)
    ).body as ApprovalsBody;
    expect(late.approval).toBe('approved');
    expect(late.rounds[0].decisions).toMatchObject([
      { approver: 'change_manager', retrospective: true },
    ]);
    expect(await read(id)).toMatchObject({ state: 'review', approval: 'approved' });
  });
});
