import { type Producer } from 'kafkajs';
import { EventTypes } from '@itsm/contracts';
import {
  ServiceProcess,
  connectedProducer,
  eventually,
  incidentSnapshot,
  directClient,
  type DirectCaller,
  testKafka,
} from '@itsm/testing';
import {
  defineSla,
  isolatedCategory,
  publish,
  recordEvent,
  timersOf,
  type TimerView,
} from './support/slm-test-kit';

/**
 * Timers are shown only to those who may see their record: with agents restricted to their
 * groups' records (AGENT_RECORD_SCOPE=groups), an agent of another group finds no timer of
 * the record, and a read by id is 404, as the record itself is.
 */
describe('SLA timers of records the caller may not see', () => {
  let slm: ServiceProcess;
  let producer: Producer;

  beforeAll(async () => {
    slm = await ServiceProcess.start('slm', { AGENT_RECORD_SCOPE: 'groups' });
    producer = await connectedProducer(testKafka());
  });

  afterAll(async () => {
    await producer?.disconnect();
    await slm?.stop();
  });

  // Not the fixture's requester (`agent`), who would see the record as its requester.
  const asAgent = (groups: string[]): DirectCaller => ({
    username: 'agent-on-shift',
    roles: ['agent'],
    groups,
    kind: 'user',
  });

  it('are absent from lists and compliance, and 404 by id; reassigned, they follow the record', async () => {
    const category = isolatedCategory();
    await defineSla(slm.url, {
      name: `${category} response`,
      target: 'response',
      appliesTo: { recordType: 'incident', category },
      duration: 'PT1H',
    });
    const incident = incidentSnapshot({ category, assignmentGroup: 'database' });
    await publish(producer, recordEvent(EventTypes.incident.created, incident));
    const [timer] = await eventually(
      async () => {
        const timers = await timersOf(slm.url, incident.id);
        return timers.length > 0 ? timers : undefined;
      },
      { description: 'the incident’s timer' },
    );
    const list = async (caller: DirectCaller): Promise<TimerView[]> =>
      (
        (
          await directClient('slm', slm.url, caller)
            .get('/api/v1/sla-timers')
            .query({ recordId: incident.id })
            .expect(200)
        ).body as { items: TimerView[] }
      ).items;
    const read = async (caller: DirectCaller): Promise<number> =>
      (await directClient('slm', slm.url, caller).get(`/api/v1/sla-timers/${timer.id}`)).status;
    const compliance = async (caller: DirectCaller): Promise<number> => {
      const response = await directClient('slm', slm.url, caller)
        .get('/api/v1/sla-compliance')
        .query({
          from: new Date(Date.now() - 3_600_000).toISOString(),
          to: new Date(Date.now() + 60_000).toISOString(),
          groupBy: 'group',
        })
        .expect(200);
      const items = (
        response.body as { items: { assignmentGroup: string | null; inFlight: number }[] }
      ).items;
      return items.find((item) => item.assignmentGroup === 'database')?.inFlight ?? 0;
    };

    expect(await list(asAgent(['network']))).toEqual([]);
    expect(await read(asAgent(['network']))).toBe(404);
    expect(await compliance(asAgent(['network']))).toBe(0);
    expect((await list(asAgent(['database']))).map((view) => view.id)).toEqual([timer.id]);
    expect(await read(asAgent(['database']))).toBe(200);
    expect(await compliance(asAgent(['database']))).toBeGreaterThan(0);
    expect(await read('service_level_manager')).toBe(200);

    // Reassigned to network: its timers go with it.
    await publish(
      producer,
      recordEvent(
        EventTypes.incident.assigned,
        { ...incident, assignmentGroup: 'network', version: 2 },
        ['assignmentGroup'],
        { assignmentGroup: 'database' },
      ),
    );
    await eventually(async () => ((await read(asAgent(['network']))) === 200 ? true : undefined), {
      description: 'the timer visible to the new group',
    });
    expect(await read(asAgent(['database']))).toBe(404);
  });
});
