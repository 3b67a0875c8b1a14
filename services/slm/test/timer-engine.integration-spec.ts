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
  slaEventsAbout,
  timersOf,
  type SlaEvent,
} from './support/slm-test-kit';

const S = EventTypes.sla;

/** Each timer's announcements, counted: every (timer, type, threshold) must appear once. */
function repeatedAnnouncements(events: SlaEvent[]): string[] {
  const counts = new Map<string, number>();
  for (const event of events) {
    const key = `${event.timer.id} ${event.type} ${event.threshold ?? ''}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].filter(([, count]) => count > 1).map(([key]) => key);
}

async function openIncidents(
  producer: Producer,
  category: string,
  count: number,
): Promise<string[]> {
  const incidents = Array.from({ length: count }, () =>
    incidentSnapshot({ category, priority: 'P1', impact: 1, urgency: 1 }),
  );
  await publish(
    producer,
    ...incidents.map((incident) =>
      recordEvent(
        EventTypes.incident.created,
        incident,
        ['title'],
        {},
        new Date(incident.openedAt),
      ),
    ),
  );
  return incidents.map((incident) => incident.id);
}

const breachesOf = (recordIds: string[]) =>
  eventually(
    async () => {
      const events = await slaEventsAbout(recordIds);
      return events.filter((event) => event.type === S.breached).length >= recordIds.length
        ? events
        : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500, description: `${recordIds.length} breaches` },
  );

describe('the timer engine', () => {
  let producer: Producer;

  beforeAll(async () => {
    producer = await connectedProducer(testKafka());
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  it('after a crash, fires what became due while it was down, once, and loses no timer', async () => {
    const category = isolatedCategory();
    let slm = await ServiceProcess.start('slm');
    try {
      await defineSla(slm.url, {
        name: `${category} P1`,
        target: 'resolution',
        appliesTo: { category },
        // Long enough that the crash comes before the timers fall due, even on a busy machine.
        duration: 'PT20S',
      });
      const recordIds = await openIncidents(producer, category, 20);
      await eventually(
        async () => {
          const started = (await slaEventsAbout(recordIds)).filter(
            (event) => event.type === S.started,
          );
          return started.length === recordIds.length ? true : undefined;
        },
        { description: 'every timer started' },
      );
      await slm.kill();
      const killedAt = Date.now();
      const latestDue = Math.max(
        ...(await slaEventsAbout(recordIds)).map((event) => Date.parse(event.timer.dueAt ?? '0')),
      );
      // Down until every timer is overdue.
      await eventually(() => (Date.now() > latestDue + 500 ? true : undefined), {
        timeoutMs: 40_000,
        description: 'every timer to be overdue',
      });
      slm = await ServiceProcess.start('slm');

      const events = await breachesOf(recordIds);
      expect(repeatedAnnouncements(events)).toEqual([]);
      const breaches = events.filter((event) => event.type === S.breached);
      expect(new Set(breaches.map((event) => event.timer.recordId))).toEqual(new Set(recordIds));
      // Those that fell due while the engine was down are recorded after the restart,
      // not invented for the time it was down.
      const dueWhileDown = breaches.filter((event) => Date.parse(event.timer.dueAt!) > killedAt);
      expect(dueWhileDown.length).toBeGreaterThan(0);
      for (const breach of dueWhileDown)
        expect(Date.parse(breach.timer.breachedAt!)).toBeGreaterThan(latestDue);
      // Every warning on the way was announced as well, each once.
      expect(events.filter((event) => event.type === S.warning)).toHaveLength(3 * recordIds.length);
      for (const recordId of recordIds.slice(0, 3))
        expect((await timersOf(slm.url, recordId)).map((timer) => timer.state)).toEqual([
          'breached',
        ]);
    } finally {
      await slm.stop();
    }
  });

  it('with two replicas, every warning and breach is announced once', async () => {
    const category = isolatedCategory();
    const replicas = await Promise.all([ServiceProcess.start('slm'), ServiceProcess.start('slm')]);
    try {
      await defineSla(replicas[0].url, {
        name: `${category} P1`,
        target: 'resolution',
        appliesTo: { category },
        // Long enough for the replicas to share the partitions before the timers fall due.
        duration: 'PT20S',
      });
      const recordIds = await openIncidents(producer, category, 40);
      const events = await breachesOf(recordIds);
      expect(repeatedAnnouncements(events)).toEqual([]);
      expect(events.filter((event) => event.type === S.breached)).toHaveLength(recordIds.length);
      expect(events.filter((event) => event.type === S.warning)).toHaveLength(3 * recordIds.length);
      const lateness = events
        .filter((event) => event.type === S.breached)
        .map((event) => Date.parse(event.timer.breachedAt!) - Date.parse(event.timer.dueAt!))
        .sort((a, b) => a - b);
      expect(lateness[0]).toBeGreaterThanOrEqual(0);
      process.stdout.write(
        `two replicas: breach lateness min ${lateness[0]} ms, max ${lateness.at(-1)} ms\n`,
      );
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
  });
});
