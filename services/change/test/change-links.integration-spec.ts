import { randomUUID } from 'node:crypto';
import { EventValidator, Topics } from '@itsm/contracts';
import { RecordsApi, RunningPlatform, eventsOf, eventually } from '@itsm/testing';

interface ChangeBody {
  id: string;
  incidentIds: string[];
  causedIncidentIds: string[];
  problemIds: string[];
}

const validator = new EventValidator();

/** A change's links to incidents and problems through the gateway. */
describe('change links', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;
  let cab: RecordsApi;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change']);
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    cab = await RecordsApi.as(platform.gatewayUrl, 'cab_member');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('records incidents a change fixes or caused, and problems it fixes, announcing each call', async () => {
    const change = (
      await manager.create('changes', { title: 'Patch the load balancer' }).expect(201)
    ).body as ChangeBody;
    const [fixed, caused, problem] = [randomUUID(), randomUUID(), randomUUID()];
    const path = (suffix: string) => `/api/v1/changes/${change.id}${suffix}`;

    await manager
      .call('post', path('/incidents'))
      .send({ incidentIds: [fixed, caused] })
      .expect(200);
    const moved = await manager
      .call('post', path('/incidents'))
      .send({ incidentIds: [caused], relation: 'caused' })
      .expect(200);
    expect(moved.body).toMatchObject({ incidentIds: [fixed], causedIncidentIds: [caused] });
    await manager
      .call('post', path('/problems'))
      .send({ problemIds: [problem] })
      .expect(200);
    await manager.call('delete', path(`/incidents/${fixed}`)).expect(200);
    await manager.call('delete', path(`/incidents/${fixed}`)).expect(404);
    const read = (await manager.get('changes', change.id).expect(200)).body as ChangeBody;
    expect(read).toMatchObject({
      incidentIds: [],
      causedIncidentIds: [caused],
      problemIds: [problem],
    });

    await manager.call('post', path('/incidents')).send({ incidentIds: [] }).expect(400);
    await manager
      .call('post', path('/incidents'))
      .send({ incidentIds: [fixed], relation: 'blamed' })
      .expect(400);
    await cab
      .call('post', path('/problems'))
      .send({ problemIds: [problem] })
      .expect(403);

    const events = await eventually(async () => {
      const found = await eventsOf(change.id, Topics.changeEvents);
      return found.some((event) => event.type === 'itsm.change.incidents_unlinked.v1')
        ? found
        : undefined;
    });
    for (const event of events) validator.assertValid(event.type, event.data);
    expect(events.map((event) => event.type)).toEqual([
      'itsm.change.created.v1',
      'itsm.change.incidents_linked.v1',
      'itsm.change.incidents_linked.v1',
      'itsm.change.problems_linked.v1',
      'itsm.change.incidents_unlinked.v1',
    ]);
    expect(events[2]?.data).toMatchObject({ incidentIds: [caused], relation: 'caused' });
  });
});
