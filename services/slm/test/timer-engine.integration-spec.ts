import { type Producer } from 'kafkajs';
import { EventTypes, type IncidentSnapshot } from '@itsm/contracts';
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
  type TimerView,
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
  return (await openIncidentRecords(producer, category, count)).map((incident) => incident.id);
}

async function openIncidentRecords(
  producer: Producer,
  category: string,
  count: number,
): Promise<IncidentSnapshot[]> {
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
  return incidents;
}

const everyTimerStarted = (recordIds: string[]) =>
  eventually(
    async () => {
      const started = (await slaEventsAbout(recordIds)).filter((event) => event.type === S.started);
      return started.length === recordIds.length ? true : undefined;
    },
    { description: 'every timer started' },
  );

/** Through the service's API, which answers at once (reading the SLA topic takes seconds). */
const everyTimerRunning = (slmUrl: string, recordIds: string[]) =>
  eventually(
    async () => {
      const timers = (await Promise.all(recordIds.map((id) => timersOf(slmUrl, id)))).flat();
      return timers.length === recordIds.length &&
        timers.every((timer) => timer.state === 'running')
        ? timers
        : undefined;
    },
    { intervalMs: 100, description: 'every timer running' },
  );

const dueTimes = (timers: TimerView[]) => timers.map((timer) => Date.parse(timer.dueAt!));

/** The warnings and breaches a replica says it fired, from its Prometheus metrics. */
async function firingsOf(replica: ServiceProcess): Promise<number> {
  const metrics = await (await fetch(`${replica.metricsUrl}/metrics`)).text();
  return [...metrics.matchAll(/^itsm_sla_timer_firings_total\{[^}]*\} (\d+)$/gm)].reduce(
    (sum, [, count]) => sum + Number(count),
    0,
  );
}

/** A resolution SLA for the test's own category, which its P1 incidents fall under. */
const defineResolutionSla = (slmUrl: string, category: string, duration: string) =>
  defineSla(slmUrl, {
    name: `${category} P1`,
    target: 'resolution',
    appliesTo: { category },
    duration,
  });

/** Waits, the engine down, until every timer is past its due time. */
const untilOverdue = (latestDue: number, timeoutMs: number) =>
  eventually(() => (Date.now() > latestDue ? true : undefined), {
    timeoutMs,
    description: 'every timer to be overdue',
  });

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
      // Long enough that the crash comes before the timers fall due, even on a busy machine.
      await defineResolutionSla(slm.url, category, 'PT20S');
      const recordIds = await openIncidents(producer, category, 20);
      await everyTimerStarted(recordIds);
      await slm.kill();
      const killedAt = Date.now();
      const latestDue = Math.max(
        ...(await slaEventsAbout(recordIds)).map((event) => Date.parse(event.timer.dueAt ?? '0')),
      );
      await untilOverdue(latestDue + 500, 40_000);
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

  it('does not let a breach overtake an event already on Kafka: resolved before the due time, read late, the timer is met', async () => {
    const category = isolatedCategory();
    let slm = await ServiceProcess.start('slm');
    try {
      // Long enough that the engine is down before the timers fall due, even on a busy machine.
      await defineResolutionSla(slm.url, category, 'PT15S');
      const incidents = await openIncidentRecords(producer, category, 10);
      const dueAt = dueTimes(
        await everyTimerRunning(
          slm.url,
          incidents.map((incident) => incident.id),
        ),
      );
      await slm.kill();
      expect(Date.now()).toBeLessThan(Math.min(...dueAt));
      // While it is down, other records' events pile up, and then these are resolved well
      // inside the target. It comes back once every timer is overdue: its scheduler is due
      // to fire at once, while the resolutions wait behind the backlog.
      const backlog = Array.from({ length: 3000 }, () => {
        const other = incidentSnapshot({ category: isolatedCategory(), priority: 'P3' });
        return recordEvent(
          EventTypes.incident.created,
          other,
          ['title'],
          {},
          new Date(other.openedAt),
        );
      });
      await publish(producer, ...backlog);
      await publish(
        producer,
        ...incidents.map((incident) => {
          const resolvedAt = new Date(Date.parse(incident.openedAt) + 3000);
          const resolved: IncidentSnapshot = {
            ...incident,
            state: 'resolved',
            resolvedAt: resolvedAt.toISOString(),
            resolutionCode: 'fixed',
            resolutionNotes: 'restarted the mail relay',
            version: incident.version + 1,
          };
          return recordEvent(EventTypes.incident.resolved, resolved, ['state'], {}, resolvedAt);
        }),
      );
      const latestDue = Math.max(...dueAt);
      await untilOverdue(latestDue + 1000, 30_000);
      slm = await ServiceProcess.start('slm');

      const recordIds = incidents.map((incident) => incident.id);
      const events = await eventually(
        async () => {
          const all = await slaEventsAbout(recordIds);
          return all.filter((event) => event.type === S.met).length === recordIds.length
            ? all
            : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500, description: 'every timer met' },
      );
      expect(events.filter((event) => event.type === S.breached)).toEqual([]);
      for (const recordId of recordIds.slice(0, 3))
        expect((await timersOf(slm.url, recordId)).map((timer) => timer.state)).toEqual(['met']);
    } finally {
      await slm.stop();
    }
  });

  it('with two replicas, every warning and breach is announced once, and both replicas fire', async () => {
    const category = isolatedCategory();
    // Small batches, so that a replica that wakes first cannot claim every due timer at once.
    const replicaSettings = { SLA_SCHEDULER_BATCH_SIZE: '4' };
    const replicas = await Promise.all([
      ServiceProcess.start('slm', replicaSettings),
      ServiceProcess.start('slm', replicaSettings),
    ]);
    try {
      // Long enough for the replicas to share the partitions before the timers fall due.
      await defineResolutionSla(replicas[0].url, category, 'PT20S');
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
      const firedByReplica = await Promise.all(replicas.map(firingsOf));
      // At least: the replicas also fire what earlier suites left running in the shared database.
      expect(firedByReplica[0] + firedByReplica[1]).toBeGreaterThanOrEqual(4 * recordIds.length);
      expect(Math.min(...firedByReplica)).toBeGreaterThan(0);
      process.stdout.write(
        `two replicas: breach lateness min ${lateness[0]} ms, max ${lateness.at(-1)} ms; fired ${firedByReplica.join(' + ')}\n`,
      );
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
  });
});
