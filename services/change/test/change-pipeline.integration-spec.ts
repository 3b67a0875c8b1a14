import { randomUUID } from 'node:crypto';
import { EventValidator, Topics } from '@itsm/contracts';
import { RecordsApi, RunningPlatform, eventsOf, eventually } from '@itsm/testing';

interface ChangeBody {
  id: string;
  number: string;
  state: string;
  closeCode: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  [field: string]: unknown;
}

interface Gate {
  decision: string;
  reasons: string[];
}

const validator = new EventValidator();

function aroundNow(): { plannedStart: string; plannedEnd: string } {
  return {
    plannedStart: new Date(Date.now() - 5 * 60_000).toISOString(),
    plannedEnd: new Date(Date.now() + 3600_000).toISOString(),
  };
}

/** A CI/CD pipeline gated by its change, through the gateway, as the seeded pipeline user. */
describe('pipeline gating', () => {
  let platform: RunningPlatform;
  let pipeline: RecordsApi;
  let manager: RecordsApi;
  let cab: RecordsApi;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change', 'cmdb']);
    pipeline = await RecordsApi.as(platform.gatewayUrl, 'pipeline');
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    cab = await RecordsApi.as(platform.gatewayUrl, 'cab_member');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const gate = async (id: string): Promise<Gate> =>
    (await pipeline.call('get', `/api/v1/changes/${id}/gate`).expect(200)).body as Gate;
  const deploy = (id: string, body: object) =>
    pipeline.call('post', `/api/v1/changes/${id}/deployments`).send(body);

  it('awaits approval, then allows the deployment, whose outcome closes the change', async () => {
    const externalRef = {
      provider: 'github-actions',
      pipeline: 'acme/payments/.github/workflows/deploy.yml',
      run: `run-${randomUUID()}`,
      environment: 'production',
      commit: '4f2a9c1',
    };
    const body = {
      title: 'Deploy payments 4.2',
      externalRef,
      ...aroundNow(),
      implementationPlan: 'Rolling deployment by the pipeline',
      backoutPlan: 'Redeploy the previous image',
    };
    const opened = await pipeline.create('changes', body).expect(201);
    const change = opened.body as ChangeBody;
    const again = await pipeline.create('changes', body).expect(200);
    expect((again.body as ChangeBody).id).toBe(change.id);
    await pipeline.create('changes', { title: 'No run' }).expect(403);

    expect(await gate(change.id)).toMatchObject({ decision: 'awaiting' });
    await manager
      .transition('changes', change.id, { to: 'assess', assignmentGroup: 'applications' })
      .expect(200);
    await manager.transition('changes', change.id, { to: 'authorize' }).expect(200);
    const waiting = await gate(change.id);
    expect(waiting.decision).toBe('awaiting');
    expect(waiting.reasons.join(' ')).toMatch(/approval/);
    const early = await deploy(change.id, { status: 'started' }).expect(409);
    expect(early.body).toMatchObject({ code: 'GATE_AWAITING' });

    // A short lead time makes it high risk: the CAB and a change manager both approve.
    await cab
      .call('post', `/api/v1/changes/${change.id}/approvals`)
      .send({ decision: 'approve' })
      .expect(200);
    await manager
      .call('post', `/api/v1/changes/${change.id}/approvals`)
      .send({ decision: 'approve' })
      .expect(200);
    expect(await gate(change.id)).toMatchObject({ decision: 'allowed' });

    const started = await deploy(change.id, { status: 'started' }).expect(200);
    expect(started.body).toMatchObject({ state: 'implement' });
    await deploy(change.id, { status: 'started' }).expect(200);
    const finishedAt = new Date().toISOString();
    const finished = await deploy(change.id, {
      status: 'finished',
      outcome: 'successful',
      at: finishedAt,
    }).expect(200);
    expect(finished.body).toMatchObject({
      state: 'closed',
      closeCode: 'successful',
      actualEnd: finishedAt,
    });
    expect((finished.body as ChangeBody).actualStart).not.toBeNull();

    const events = await eventually(async () => {
      const found = await eventsOf(change.id, Topics.changeEvents);
      return found.some((event) => event.type === 'itsm.change.closed.v1') ? found : undefined;
    });
    for (const event of events) validator.assertValid(event.type, event.data);
    const decisions = events
      .filter((event) => event.type === 'itsm.change.gate_decided.v1')
      .map((event) => (event.data as { decision: string }).decision);
    expect(decisions[0]).toBe('awaiting');
    expect(decisions).toContain('allowed');
  });

  it('prevents a deployment inside a blackout, saying so', async () => {
    const ci = randomUUID();
    const created = await manager
      .create('changes', { title: 'Hotfix', model: 'emergency', ciIds: [ci], ...aroundNow() })
      .expect(201);
    const change = created.body as ChangeBody;
    await manager
      .transition('changes', change.id, { to: 'authorize', assignmentGroup: 'network' })
      .expect(200);
    await manager
      .call('post', `/api/v1/changes/${change.id}/approvals`)
      .send({ decision: 'approve' })
      .expect(200);
    expect(await gate(change.id)).toMatchObject({ decision: 'allowed' });
    await manager
      .call('post', '/api/v1/change-windows')
      .send({
        name: `Trading hours ${ci.slice(0, 8)}`,
        kind: 'blackout',
        start: new Date(Date.now() - 3600_000).toISOString(),
        end: new Date(Date.now() + 3 * 3600_000).toISOString(),
        ciIds: [ci],
      })
      .expect(201);
    const prevented = await gate(change.id);
    expect(prevented.decision).toBe('prevented');
    expect(prevented.reasons.join(' ')).toContain('Trading hours');
    const refused = await deploy(change.id, { status: 'started' }).expect(409);
    expect(refused.body).toMatchObject({ code: 'GATE_PREVENTED' });
    await deploy(change.id, { status: 'finished' }).expect(400);
  });
});
