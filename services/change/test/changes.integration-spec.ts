import { EventValidator, Topics } from '@itsm/contracts';
import { RecordsApi, RunningPlatform, eventsOf, eventually } from '@itsm/testing';

interface ChangeBody {
  id: string;
  number: string;
  state: string;
  model: string;
  approval: string;
  closeCode: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  version: number;
  [field: string]: unknown;
}

const validator = new EventValidator();
const DAY = 24 * 3600 * 1000;

function plannedWindow(daysAhead: number, hours = 2): { plannedStart: string; plannedEnd: string } {
  const start = new Date(Date.now() + daysAhead * DAY);
  return {
    plannedStart: start.toISOString(),
    plannedEnd: new Date(start.getTime() + hours * 3600 * 1000).toISOString(),
  };
}

/** The change service through the gateway, against real Kafka and PostgreSQL. */
describe('changes', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;
  let cab: RecordsApi;
  let requester: RecordsApi;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change']);
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    cab = await RecordsApi.as(platform.gatewayUrl, 'cab_member');
    requester = await RecordsApi.as(platform.gatewayUrl, 'requester');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function raise(body: object = {}): Promise<ChangeBody> {
    const response = await manager.create('changes', {
      title: 'Upgrade PostgreSQL 16 to 17 on db-payments',
      description: 'Minor downtime while pg_upgrade runs',
      ...body,
    });
    if (response.status !== 201) {
      throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body as ChangeBody;
  }

  async function walk(id: string, steps: ({ to: string } & Record<string, unknown>)[]) {
    let last: ChangeBody | undefined;
    for (const step of steps) {
      const response = await manager.transition('changes', id, step);
      if (response.status !== 200) {
        throw new Error(`${step.to}: ${response.status} ${JSON.stringify(response.body)}`);
      }
      last = response.body as ChangeBody;
    }
    return last!;
  }

  it('raises a normal change numbered CHG, readable by the CAB, not by a requester', async () => {
    const change = await raise({ ciIds: [], impact: 2 });
    expect(change).toMatchObject({
      number: expect.stringMatching(/^CHG[0-9]{7}$/) as string,
      state: 'new',
      model: 'normal',
      approval: 'not_requested',
      requestedBy: 'change_manager',
      impact: 2,
    });
    await cab.get('changes', change.id).expect(200);
    await requester.get('changes', change.id).expect(403);
    await cab.create('changes', { title: 'No right to raise' }).expect(403);
  });

  it('refuses bad input with the field at fault, and changes nothing', async () => {
    const bad = await manager
      .create('changes', {
        title: 'x',
        ...plannedWindow(3),
        plannedEnd: plannedWindow(2).plannedStart,
      })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('plannedEnd');
    const unknownModel = await manager
      .create('changes', { title: 'x', model: 'urgent' })
      .expect(400);
    expect(JSON.stringify(unknownModel.body)).toContain('model');
    const standard = await manager.create('changes', { title: 'x', model: 'standard' }).expect(400);
    expect(JSON.stringify(standard.body)).toContain('templateId');
  });

  it('takes an emergency change from new to closed, implemented before its authorisation', async () => {
    const change = await raise({ model: 'emergency', title: 'Replace the failed core switch' });
    const refused = await manager.transition('changes', change.id, { to: 'assess' }).expect(409);
    expect(refused.body).toMatchObject({
      from: 'new',
      allowedTransitions: ['authorize', 'cancelled'],
    });
    const implementing = await walk(change.id, [
      { to: 'authorize', assignmentGroup: 'network', ...plannedWindow(0, 1) },
      { to: 'implement', reason: 'Core switch down, the site is offline' },
    ]);
    expect(implementing).toMatchObject({ state: 'implement', approval: 'requested' });
    expect(implementing.actualStart).not.toBeNull();
    const reviewed = await walk(change.id, [{ to: 'review', closeCode: 'successful' }]);
    expect(reviewed.closeCode).toBe('successful');
    const needsReview = await manager
      .transition('changes', change.id, { to: 'closed' })
      .expect(400);
    expect(JSON.stringify(needsReview.body)).toContain('reviewNotes');
    const closed = await walk(change.id, [
      { to: 'closed', reviewNotes: 'Spare switch kept on site from now on' },
    ]);
    expect(closed.state).toBe('closed');

    const events = await eventually(async () => {
      const found = await eventsOf(change.id, Topics.changeEvents);
      return found.some((event) => event.type === 'itsm.change.closed.v1') ? found : undefined;
    });
    for (const event of events) validator.assertValid(event.type, event.data);
    expect(events.map((event) => event.type)).toEqual([
      'itsm.change.created.v1',
      'itsm.change.updated.v1',
      'itsm.change.assigned.v1',
      // Asking for authorisation assesses the risk again (the group now has a record to weigh).
      'itsm.change.risk_assessed.v1',
      'itsm.change.state_changed.v1',
      'itsm.change.state_changed.v1',
      'itsm.change.implementation_started.v1',
      'itsm.change.state_changed.v1',
      'itsm.change.completed.v1',
      // Its post-implementation review task, on entering review.
      'itsm.change_task.created.v1',
      'itsm.change.state_changed.v1',
      'itsm.change.closed.v1',
    ]);
    const journal = await manager.journal('changes', change.id).expect(200);
    expect(JSON.stringify(journal.body)).toContain('Core switch down');
  });

  it('keeps a normal change in authorize until it is approved', async () => {
    const change = await raise();
    const asking = await walk(change.id, [
      { to: 'assess', assignmentGroup: 'database' },
      {
        to: 'authorize',
        ...plannedWindow(10),
        implementationPlan: 'pg_upgrade --link',
        backoutPlan: 'Restore the snapshot taken before',
      },
    ]);
    expect(asking).toMatchObject({ state: 'authorize', approval: 'requested' });
    // Scheduling waits for the approval, so it is not among the steps open to the change.
    const open = await manager.call('get', `/api/v1/changes/${change.id}/transitions`).expect(200);
    expect(open.body).toEqual({
      id: change.id,
      state: 'authorize',
      transitions: [
        { to: 'new', requires: ['reason'], accepts: [] },
        { to: 'cancelled', requires: ['reason'], accepts: [] },
      ],
    });
    const early = await manager.transition('changes', change.id, { to: 'scheduled' }).expect(409);
    expect(JSON.stringify(early.body)).toContain('not authorised');
    const withdrawn = await walk(change.id, [{ to: 'new', reason: 'Plan changed' }]);
    expect(withdrawn).toMatchObject({ state: 'new', approval: 'not_requested' });
    // Back in new with a group and a plan on record: assessing it needs nothing more.
    const reopened = await manager.call('get', `/api/v1/changes/${change.id}/transitions`);
    expect(reopened.body.transitions[0]).toMatchObject({ to: 'assess', requires: [] });
    expect(reopened.body.transitions[0].accepts).toEqual(
      expect.arrayContaining(['assignmentGroup', 'plannedStart', 'implementationPlan']),
    );
    await manager.transition('changes', change.id, { to: 'cancelled' }).expect(400);
    await walk(change.id, [{ to: 'cancelled', reason: 'Done by the vendor instead' }]);
    await manager.transition('changes', change.id, { to: 'assess' }).expect(409);
  });

  it('changes fields with If-Match, keeps a history, and lists with filters', async () => {
    const change = await raise({ title: 'Rotate the TLS certificates of the edge proxies' });
    const read = await manager.get('changes', change.id).expect(200);
    await manager
      .patch('changes', change.id, { impact: 1 }, '"999"')
      .then((response) => expect(response.status).toBe(412));
    const patched = await manager.patch(
      'changes',
      change.id,
      { ...plannedWindow(20), backoutPlan: 'Keep the old certificates' },
      read.headers.etag,
    );
    expect(patched.status).toBe(200);
    const history = await manager.history('changes', change.id).expect(200);
    const fields = (history.body as { items: { field: string }[] }).items.map(
      (entry) => entry.field,
    );
    expect(fields).toEqual(expect.arrayContaining(['plannedStart', 'plannedEnd', 'backoutPlan']));

    const window = plannedWindow(20);
    const listed = await manager
      .list('changes', {
        from: new Date(Date.parse(window.plannedStart) - 3600_000).toISOString(),
        to: new Date(Date.parse(window.plannedEnd) + 3600_000).toISOString(),
        q: 'certificates',
        state: 'new',
      })
      .expect(200);
    expect((listed.body as { items: ChangeBody[] }).items.map((item) => item.id)).toContain(
      change.id,
    );
    const outside = await manager
      .list('changes', { from: plannedWindow(40).plannedStart, q: 'certificates' })
      .expect(200);
    expect((outside.body as { items: ChangeBody[] }).items.map((item) => item.id)).not.toContain(
      change.id,
    );
  });

  it('finds the change a pipeline run raised instead of raising another', async () => {
    const externalRef = {
      provider: 'github-actions',
      pipeline: 'acme/payments/deploy.yml',
      run: `run-${Date.now()}`,
      environment: 'production',
      commit: '4f2a9c1',
    };
    const [first, second] = await Promise.all([
      manager.create('changes', { title: 'Deploy payments', externalRef }),
      manager.create('changes', { title: 'Deploy payments', externalRef }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 201]);
    expect((first.body as ChangeBody).id).toBe((second.body as ChangeBody).id);
    const otherEnvironment = await manager
      .create('changes', {
        title: 'Deploy payments',
        externalRef: { ...externalRef, environment: 'staging' },
      })
      .expect(201);
    expect((otherEnvironment.body as ChangeBody).id).not.toBe((first.body as ChangeBody).id);
  });
});
