import { type Producer } from 'kafkajs';
import { EventTypes } from '@itsm/contracts';
import {
  ServiceProcess,
  connectedProducer,
  eventually,
  incidentSnapshot,
  testKafka,
} from '@itsm/testing';
import {
  defineSla,
  isolatedCategory,
  publish,
  recordEvent,
  timersOf,
} from './support/slm-test-kit';

/** One gauge's value from a replica's `/metrics`. */
async function gauge(slm: ServiceProcess, name: string): Promise<number> {
  const text = await (await fetch(`${slm.metricsUrl}/metrics`)).text();
  const line = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!line) throw new Error(`${name} is not served`);
  return Number(line[1]);
}

/**
 * The gauges the SLA dashboards and the late-timers alert read: timers due within the
 * hour, then, with no scheduler running, timers whose breach instant has passed unfired.
 */
describe('the SLA timer backlog gauges', () => {
  let producer: Producer;
  let slm: ServiceProcess;

  beforeAll(async () => {
    producer = await connectedProducer(testKafka());
    // The timers start (the consumer runs) but nothing fires them.
    slm = await ServiceProcess.start('slm', { SLA_SCHEDULER_ENABLED: 'false' });
  });

  afterAll(async () => {
    await slm?.stop();
    await producer?.disconnect();
  });

  it('count the timers due soon, then those the scheduler is late with', async () => {
    const category = isolatedCategory();
    await defineSla(slm.url, {
      name: `${category} P1`,
      target: 'resolution',
      appliesTo: { category },
      // Long enough that the timers are still ahead when read on a busy machine (a run of the
      // whole suite once took over ten seconds from the events to the three timers).
      duration: 'PT30S',
    });
    const incidents = Array.from({ length: 3 }, () =>
      incidentSnapshot({ category, priority: 'P1', impact: 1, urgency: 1 }),
    );
    const before = await gauge(slm, 'itsm_sla_timers_late');
    await publish(
      producer,
      ...incidents.map((incident) =>
        recordEvent(EventTypes.incident.created, incident, ['title'], {}, new Date()),
      ),
    );
    const timers = await eventually(
      async () => {
        const all = (await Promise.all(incidents.map(({ id }) => timersOf(slm.url, id)))).flat();
        return all.length === incidents.length ? all : undefined;
      },
      { description: 'the three timers started' },
    );
    const latestDue = Math.max(...timers.map((timer) => Date.parse(timer.dueAt!)));
    expect(Date.now()).toBeLessThan(latestDue);
    expect(await gauge(slm, 'itsm_sla_timers_due_soon')).toBeGreaterThanOrEqual(3);

    // Past every due instant (and each warning's): every one is late, none fired.
    await eventually(async () => (Date.now() > latestDue + 1000 ? true : undefined), {
      description: 'every timer overdue',
      timeoutMs: latestDue + 10_000 - Date.now(),
    });
    expect(await gauge(slm, 'itsm_sla_timers_late')).toBeGreaterThanOrEqual(before + 3);
    expect(await gauge(slm, 'itsm_sla_timers_late_oldest_seconds')).toBeGreaterThan(1);
  });
});
