import { randomUUID } from 'node:crypto';
import request, { type Response } from 'supertest';
import { RecordsApi, RunningPlatform, problemShape, type RecordKind } from '@itsm/testing';
import {
  capturedAlert,
  capturedNotification,
} from '../src/alerting/domain/alertmanager-payload.fixture';

interface RecordBody {
  id: string;
  number: string;
  assignmentGroup: string | null;
  [field: string]: unknown;
}

interface ListPage {
  items: RecordBody[];
}

const INCIDENT = { title: 'Switch port dead', description: 'Desk 4.12', impact: 3, urgency: 3 };
const REQUEST = { title: 'Extra monitor', description: 'For desk 4.12', catalogItem: 'monitor' };

/**
 * The record-level rule where the deployment restricts agents to their groups
 * (`AGENT_RECORD_SCOPE=groups`): the seeded `agent` is in `service-desk` only.
 */
describe('records under AGENT_RECORD_SCOPE=groups', () => {
  let platform: RunningPlatform;
  let agent: RecordsApi;
  let manager: RecordsApi;
  let requester: RecordsApi;
  const run = `access-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident'], {
      AGENT_RECORD_SCOPE: 'groups',
    });
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    manager = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    requester = await RecordsApi.as(platform.gatewayUrl, 'requester');
    await manager.untilGroupsKnown(['service-desk', 'network']);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function opened(
    kind: RecordKind,
    fields: Record<string, unknown>,
    by = manager,
  ): Promise<RecordBody> {
    const body = kind === 'incidents' ? INCIDENT : REQUEST;
    const created = await by.create(kind, { ...body, tags: [run], ...fields }).expect(201);
    return created.body as RecordBody;
  }

  async function listed(kind: RecordKind, api: RecordsApi, query = {}): Promise<string[]> {
    const page = (await api.list(kind, { tag: run, limit: 500, ...query }).expect(200))
      .body as ListPage;
    return page.items.map((item) => item.id).sort();
  }

  /** Every route that reads or changes one record, as `api` calls it. */
  function everyRouteOf(kind: RecordKind, id: string, api: RecordsApi, etag: string) {
    return {
      read: () => api.get(kind, id),
      patch: () => api.patch(kind, id, { category: 'hardware' }, etag),
      transition: () => api.transition(kind, id, { to: 'cancelled', reason: 'Raised twice' }),
      journal: () => api.journal(kind, id),
      comment: () => api.addJournal(kind, id, { kind: 'comment', text: 'Any news?' }),
      history: () => api.history(kind, id),
    };
  }

  it.each(['incidents', 'requests'] as const)(
    'answers an agent outside the group 404 on every route of a %s, exactly as for a missing one',
    async (kind) => {
      const other = await opened(kind, { assignmentGroup: 'network' });
      const etag = (await manager.get(kind, other.id).expect(200)).headers.etag;
      const missing = randomUUID();
      const routes = everyRouteOf(kind, other.id, agent, etag);
      const missingRoutes = everyRouteOf(kind, missing, agent, etag);
      for (const [name, call] of Object.entries(routes)) {
        const hidden: Response = await call();
        const absent: Response = await missingRoutes[name as keyof typeof routes]();
        expect([name, hidden.status]).toEqual([name, 404]);
        expect(problemShape(hidden.body, [other.id])).toEqual(problemShape(absent.body, [missing]));
      }
      // Nothing changed: the manager still reads the first version.
      await manager.get(kind, other.id).expect(200).expect('etag', etag);
      expect(await listed(kind, agent)).not.toContain(other.id);
      expect(await listed(kind, agent, { q: 'Switch port monitor' })).not.toContain(other.id);
      expect(await listed(kind, manager)).toContain(other.id);
    },
  );

  it('shows an agent its groups’ records, its own and those with no group, in lists as by id', async () => {
    const groups = await opened('incidents', { assignmentGroup: 'service-desk' });
    const own = await opened('incidents', { assignmentGroup: 'network', requester: 'agent' });
    const noGroup = await opened('incidents', { assignmentGroup: 'network' });
    const cleared = await manager.patch('incidents', noGroup.id, { assignmentGroup: null });
    expect(cleared.body).toMatchObject({ assignmentGroup: null });
    const hidden = await opened('incidents', { assignmentGroup: 'network' });

    for (const record of [groups, own, noGroup])
      await agent.get('incidents', record.id).expect(200);
    await agent.get('incidents', hidden.id).expect(404);
    expect(await listed('incidents', agent)).toEqual([groups.id, own.id, noGroup.id].sort());
  });

  it('sends a record opened without a group to the triage group, where the desk finds it', async () => {
    const raised = await opened('incidents', {}, requester);
    expect(raised.assignmentGroup).toBe('service-desk');
    const history = (await agent.history('incidents', raised.id).expect(200)).body as ListPage;
    expect(history.items).toContainEqual(
      expect.objectContaining({
        field: 'assignmentGroup',
        oldValue: null,
        newValue: 'service-desk',
        actor: 'requester',
      }),
    );
    const queue = await listed('incidents', agent, {
      assignmentGroup: 'service-desk',
      unassigned: true,
    });
    expect(queue).toContain(raised.id);
  });

  it('sends an alert’s incident to the triage group unless the alert names a known group', async () => {
    const labels = { alertname: 'DiskFull', severity: 'warning' };
    const alerts = [
      capturedAlert({ fingerprint: `${run}-none`, labels }),
      capturedAlert({ fingerprint: `${run}-unknown`, labels: { ...labels, team: 'no-such-team' } }),
      capturedAlert({ fingerprint: `${run}-network`, labels: { ...labels, team: 'network' } }),
    ];
    const outcome = await request(platform.gatewayUrl)
      .post('/api/v1/integrations/alertmanager')
      .set('authorization', agent.authorization)
      .send({ ...capturedNotification(), alerts })
      .expect(200);
    const groupOf = async (fingerprint: string) => {
      const page = (
        await manager.list('incidents', { externalRef: `alertmanager:${fingerprint}` }).expect(200)
      ).body as ListPage;
      return page.items.map((item) => item.assignmentGroup);
    };
    expect((outcome.body as { outcomes: unknown[] }).outcomes).toHaveLength(3);
    expect(await groupOf(`${run}-none`)).toEqual(['service-desk']);
    expect(await groupOf(`${run}-unknown`)).toEqual(['service-desk']);
    expect(await groupOf(`${run}-network`)).toEqual(['network']);
  });

  it('shows a requester only the records they raised', async () => {
    const theirs = await opened('requests', {}, requester);
    const someoneElses = await opened('requests', {});
    await requester.get('requests', theirs.id).expect(200);
    await requester.get('requests', someoneElses.id).expect(404);
    expect(await listed('requests', requester)).toEqual([theirs.id]);
  });

  it('refuses a parent the caller may not see exactly as one that does not exist', async () => {
    const parent = await opened('incidents', { assignmentGroup: 'network', major: true });
    await manager.get('incidents', parent.id).expect(200);
    const child = await opened('incidents', { assignmentGroup: 'service-desk' }, agent);
    const missing = randomUUID();

    const linkedOnCreate = await agent.create('incidents', { ...INCIDENT, parentId: parent.id });
    const missingOnCreate = await agent.create('incidents', { ...INCIDENT, parentId: missing });
    const linkedOnPatch = await agent.patch('incidents', child.id, { parentId: parent.id });
    const missingOnPatch = await agent.patch('incidents', child.id, { parentId: missing });
    for (const [hidden, absent] of [
      [linkedOnCreate, missingOnCreate],
      [linkedOnPatch, missingOnPatch],
    ] as const) {
      expect(hidden.status).toBe(400);
      expect(hidden.body).toMatchObject({ errors: [{ field: 'parentId' }] });
      expect(problemShape(hidden.body, [parent.id])).toEqual(problemShape(absent.body, [missing]));
    }
    // Whoever sees the parent links to it.
    const linked = await manager.patch('incidents', child.id, { parentId: parent.id });
    expect(linked.body).toMatchObject({ parentId: parent.id });
  });
});
