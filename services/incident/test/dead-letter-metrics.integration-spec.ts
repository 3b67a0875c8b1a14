import { randomUUID } from 'node:crypto';
import { type Producer } from 'kafkajs';
import { Topics, toKafkaRecord } from '@itsm/contracts';
import {
  ServiceProcess,
  changeCompletedEvent,
  connectedProducer,
  directClient,
  eventually,
  testKafka,
} from '@itsm/testing';

/**
 * `itsm_dead_letters_unsettled`, the gauge the dead-letter alert reads: it counts what
 * waits for an operator, by status, and goes back to 0 once it is settled.
 */
describe('the incident service’s dead-letter gauge', () => {
  let incident: ServiceProcess;
  let producer: Producer;

  beforeAll(async () => {
    incident = await ServiceProcess.start('incident');
    producer = await connectedProducer(testKafka());
  });

  afterAll(async () => {
    await producer?.disconnect();
    await incident?.stop();
  });

  /** The gauge's value for `status`, summed over the service's consumer groups. */
  const unsettled = async (status: 'open' | 'held'): Promise<number> => {
    const text = await (await fetch(`${incident.metricsUrl}/metrics`)).text();
    return text
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('itsm_dead_letters_unsettled{') && line.includes(`status="${status}"`),
      )
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
  };

  it('counts the open and held dead letters, and reads 0 once an operator settled them', async () => {
    const [openBefore, heldBefore] = [await unsettled('open'), await unsettled('held')];
    const changeId = randomUUID();
    const completed = changeCompletedEvent({ id: changeId });
    const record = toKafkaRecord(completed);
    await producer.send({
      topic: Topics.changeEvents,
      messages: [
        { ...record, value: JSON.stringify({ change: 'not a change' }) },
        toKafkaRecord(changeCompletedEvent({ id: changeId })),
      ],
    });

    await eventually(
      async () =>
        (await unsettled('open')) === openBefore + 1 && (await unsettled('held')) === heldBefore + 1
          ? true
          : undefined,
      { description: 'one open and one held dead letter counted' },
    );

    const admin = directClient('incident', incident.url, 'admin');
    const base = '/api/v1/operations/dead-letters/incident';
    const listed = await admin.get(`${base}?key=${changeId}`).expect(200);
    const [open, held] = (listed.body as { items: { id: string }[] }).items;
    await admin
      .post(`${base}/${open?.id}/discard`)
      .send({ reason: 'a broken event; the change is unaffected' })
      .expect(200);
    await admin.post(`${base}/${held?.id}/discard`).send({ reason: 'superseded' }).expect(200);
    expect(await unsettled('open')).toBe(openBefore);
    expect(await unsettled('held')).toBe(heldBefore);
  });
});
