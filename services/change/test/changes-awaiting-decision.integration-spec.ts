import { randomUUID } from 'node:crypto';
import { type Response } from 'supertest';
import { OpenApiConformance, RecordsApi, RunningPlatform } from '@itsm/testing';
import { DEFAULT_APPROVAL_POLICIES } from '../src/approvals/domain/approval-policy';
import { submittedForAuthorisation } from './support/change-flow';

interface ChangeBody {
  id: string;
  number: string;
  state: string;
}

interface AwaitingItem {
  change: ChangeBody & { title: string; approval: string };
  round: { number: number; outcome: string; missing: string | null; approvers: unknown[] };
  canDecideFor: { kind: string; name: string }[];
}

interface AwaitingPage {
  items: AwaitingItem[];
  nextCursor: string | null;
}

const SERVICE_NAMED = randomUUID();
const PATH = '/api/v1/changes/awaiting-my-decision';

/** A policy naming a user in person and a group, before the defaults. */
const POLICIES = [
  {
    id: 'named',
    name: 'The change manager in person and the CAB',
    match: { models: ['normal'], businessServiceIds: [SERVICE_NAMED] },
    approvers: { users: ['change_manager'], groups: ['change-advisory-board'] },
    rule: { kind: 'all' },
  },
  ...DEFAULT_APPROVAL_POLICIES,
];

/** `GET /api/v1/changes/awaiting-my-decision` through the gateway, against real Kafka and PostgreSQL. */
describe('the changes awaiting my decision', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;
  let cab: RecordsApi;
  let agent: RecordsApi;
  let conformance: OpenApiConformance;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change'], {
      CHANGE_APPROVAL_POLICY: JSON.stringify(POLICIES),
    });
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    cab = await RecordsApi.as(platform.gatewayUrl, 'cab_member');
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    conformance = await OpenApiConformance.of(platform.service('change').url);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  function documented(response: Response): Response {
    expect(conformance.errors('GET', PATH, response.status, response.body)).toEqual([]);
    return response;
  }

  /** Every page of the caller's inbox, two at a time, to prove the keyset and the SQL too. */
  async function inboxOf(api: RecordsApi): Promise<AwaitingItem[]> {
    const items: AwaitingItem[] = [];
    let cursor: string | null = null;
    do {
      const response = documented(
        await api
          .call('get', PATH)
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200),
      );
      const page = response.body as AwaitingPage;
      // Every page but the last is full: the SQL leaves out what the rule would (none dropped after).
      if (page.nextCursor) expect(page.items).toHaveLength(2);
      else expect(page.items.length).toBeLessThanOrEqual(2);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(items.map((item) => item.change.id)).size).toBe(items.length);
    return items;
  }

  async function entryFor(api: RecordsApi, id: string): Promise<AwaitingItem | undefined> {
    return (await inboxOf(api)).find((item) => item.change.id === id);
  }

  function decide(api: RecordsApi, id: string, body: object) {
    return api.call('post', `/api/v1/changes/${id}/approvals`).send(body);
  }

  /** A normal change submitted for authorisation. */
  function awaitingApproval(fields: object = {}): Promise<ChangeBody> {
    return submittedForAuthorisation<ChangeBody>(manager, fields);
  }

  it('lists a change for the user it names and for a member of the group it names, until each decided', async () => {
    const change = await awaitingApproval({ businessServiceIds: [SERVICE_NAMED] });

    const forManager = await entryFor(manager, change.id);
    expect(forManager).toMatchObject({
      change: { id: change.id, number: change.number, state: 'authorize', approval: 'requested' },
      round: { number: 1, outcome: 'pending' },
      canDecideFor: [{ kind: 'user', name: 'change_manager' }],
    });
    expect(forManager?.round.missing).toContain('change_manager');
    expect(await entryFor(cab, change.id)).toMatchObject({
      canDecideFor: [{ kind: 'group', name: 'change-advisory-board' }],
    });

    // The CAB member decided: it waits on the change manager alone.
    await decide(cab, change.id, { decision: 'approve' }).expect(200);
    expect(await entryFor(cab, change.id)).toBeUndefined();
    expect(await entryFor(manager, change.id)).toMatchObject({
      canDecideFor: [{ kind: 'user', name: 'change_manager' }],
    });

    // Approved and scheduled: no longer awaiting anyone.
    await decide(manager, change.id, { decision: 'approve' }).expect(200);
    expect((await manager.get('changes', change.id).expect(200)).body).toMatchObject({
      state: 'scheduled',
    });
    expect(await entryFor(manager, change.id)).toBeUndefined();
  });

  it('leaves out a change in a state that takes no decision, and lists an emergency one after the fact', async () => {
    const rejected = await awaitingApproval();
    expect(await entryFor(cab, rejected.id)).toBeDefined();
    await decide(cab, rejected.id, { decision: 'reject', comment: 'No backout test' }).expect(200);
    expect(await entryFor(cab, rejected.id)).toBeUndefined();

    const emergency = (
      await manager
        .create('changes', { title: 'Hotfix the load balancer', model: 'emergency' })
        .expect(201)
    ).body as ChangeBody;
    const start = new Date();
    await manager
      .transition('changes', emergency.id, {
        to: 'authorize',
        assignmentGroup: 'network',
        plannedStart: start.toISOString(),
        plannedEnd: new Date(start.getTime() + 3600_000).toISOString(),
      })
      .expect(200);
    await manager
      .transition('changes', emergency.id, { to: 'implement', reason: 'Outage' })
      .expect(200);
    // The emergency policy names the ecab group and the change_manager role, retrospective.
    expect(await entryFor(manager, emergency.id)).toMatchObject({
      change: { state: 'implement' },
      canDecideFor: [{ kind: 'role', name: 'change_manager' }],
    });
    expect(await entryFor(cab, emergency.id)).toBeUndefined();
  });

  it('pages the oldest request first, whatever page size', async () => {
    const three = [await awaitingApproval(), await awaitingApproval(), await awaitingApproval()];
    const ids = three.map((change) => change.id);
    const listed = (await inboxOf(cab)).map((item) => item.change.id);
    expect(listed.filter((id) => ids.includes(id))).toEqual(ids);
    const first = (await cab.call('get', PATH).query({ limit: 1 }).expect(200))
      .body as AwaitingPage;
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (
      await cab
        .call('get', PATH)
        .query({ limit: 1, cursor: first.nextCursor as string })
        .expect(200)
    ).body as AwaitingPage;
    expect(second.items[0]?.change.id).toBe(listed[1]);
  });

  it('refuses whoever decides nothing, and bad paging naming the parameter', async () => {
    const forbidden = await agent.call('get', PATH).expect(403);
    expect(forbidden.headers['content-type']).toContain('application/problem+json');

    for (const [query, parameter] of [
      [{ limit: 0 }, 'limit'],
      [{ limit: 'many' }, 'limit'],
      [{ cursor: 'not-a-cursor' }, 'cursor'],
      [{ state: 'authorize' }, 'state'],
    ] as const) {
      const response = documented(await cab.call('get', PATH).query(query).expect(400));
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.body).toMatchObject({ type: 'https://itsm.dev/problems/validation-error' });
      expect(JSON.stringify(response.body)).toContain(parameter);
    }
  });
});
