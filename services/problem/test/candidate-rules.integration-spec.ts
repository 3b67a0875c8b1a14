import { EventTypes, toKafkaRecord, Topics, type IncidentSnapshot } from '@itsm/contracts';
import { RunningPlatform, eventually, testKafka } from '@itsm/testing';
import { type Producer } from 'kafkajs';
import {
  ProblemsApi,
  incident,
  incidentEvent,
  newId,
  problemEventsOf,
  publishIncidents,
  type ProblemBody,
} from './problem-api';

interface Page<T> {
  items: T[];
}

const HOUR = 3_600_000;

/**
 * The candidate rules as configured (threshold 3, a window of one hour), fed with the
 * incident service's events on the incident topic, delivered as Kafka may (twice, late).
 */
describe('candidate problems', () => {
  let platform: RunningPlatform;
  let manager: ProblemsApi;
  let producer: Producer;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'problem'], {
      PROBLEM_CANDIDATE_WINDOW: 'PT1H',
      PROBLEM_CANDIDATE_THRESHOLD: '3',
      PROBLEM_CANDIDATE_RULES: 'same_ci,same_service_category',
      PROBLEM_CANDIDATE_FROM_MAJOR_INCIDENTS: 'true',
      // Runs of several partitions at once, as a busy deployment applies them.
      KAFKA_CONSUMER_CONCURRENCY: '3',
    });
    manager = await ProblemsApi.as(platform.gatewayUrl, 'problem_manager');
    producer = testKafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await platform?.stop();
  });

  async function candidates(query: Record<string, string>): Promise<ProblemBody[]> {
    const page = (
      await manager
        .get('')
        .query({ limit: 100, ...query })
        .expect(200)
    ).body as Page<ProblemBody>;
    return page.items;
  }

  async function linkedTo(problemId: string): Promise<string[]> {
    const page = (await manager.get(`/${problemId}/incidents`).query({ limit: 100 }).expect(200))
      .body as Page<{ id: string }>;
    return page.items.map((item) => item.id).sort();
  }

  /**
   * Waits until problem management has applied the incidents' events (their copies are
   * kept in the same transaction as the rules run): they can be linked to a scratch
   * problem, which is then cancelled, so that it covers nothing.
   */
  async function untilSeen(incidentIds: readonly string[]): Promise<void> {
    const scratch = await manager.create({ title: 'Scratch' });
    await eventually(
      async () => {
        const response = await manager.post(`/${scratch.id}/incidents`, { incidentIds }).query({});
        return response.status === 200 ? true : undefined;
      },
      { description: 'the problem service to apply the incident events' },
    );
    await manager.transition(scratch.id, { to: 'cancelled', reason: 'scratch' }).expect(200);
  }

  async function linkedTitles(problemId: string): Promise<string[]> {
    const page = (await manager.get(`/${problemId}/incidents`).query({ limit: 100 }).expect(200))
      .body as Page<{ title: string }>;
    return page.items.map((item) => item.title);
  }

  function onCi(ciId: string, fields: Partial<IncidentSnapshot> = {}): IncidentSnapshot {
    return incident({ ciIds: [ciId], ...fields });
  }

  it('opens one candidate for three incidents on one CI, and links a fourth to it', async () => {
    const ciId = newId();
    const three = [
      onCi(ciId, { impact: 2, urgency: 3 }),
      onCi(ciId, { impact: 3, urgency: 1 }),
      onCi(ciId),
    ];
    await publishIncidents(
      producer,
      three.map((snapshot) => incidentEvent(snapshot)),
    );
    const [candidate] = await eventually(async () => {
      const found = await candidates({ ciId, source: 'auto' });
      return found.length > 0 && found[0]?.incidentCount === 3 ? found : undefined;
    });
    expect(candidate).toMatchObject({
      source: 'auto',
      state: 'new',
      ciIds: [ciId],
      impact: 2,
      urgency: 1,
      openedBy: 'system',
      incidentCount: 3,
    });
    expect(candidate?.candidateReason).toContain('same_ci');
    for (const snapshot of three) expect(candidate?.candidateReason).toContain(snapshot.number);
    expect(await linkedTo(candidate.id)).toEqual(three.map((snapshot) => snapshot.id).sort());

    const fourth = onCi(ciId);
    await publishIncidents(producer, [incidentEvent(fourth)]);
    await eventually(async () =>
      (await manager.read(candidate.id)).incidentCount === 4 ? true : undefined,
    );
    expect(await candidates({ ciId, source: 'auto' })).toHaveLength(1);
    expect(await linkedTo(candidate.id)).toContain(fourth.id);
    const events = await eventually(async () => {
      const found = await problemEventsOf(candidate.id);
      return found.filter((event) => event.type === EventTypes.problem.incidentsLinked).length === 2
        ? found
        : undefined;
    });
    expect(events[0]?.type).toBe(EventTypes.problem.created);
  });

  it('applies a burst on one partition as if event by event: the third opens, the later ones link', async () => {
    const ciId = newId();
    const five = [0, 1, 2, 3, 4].map(() => onCi(ciId));
    // One partition, one send: the consumer reads them as one run.
    await producer.send({
      topic: Topics.incidentEvents,
      messages: five.map((snapshot) => ({
        ...toKafkaRecord(incidentEvent(snapshot)),
        partition: 0,
      })),
    });
    const [candidate] = await eventually(async () => {
      const found = await candidates({ ciId, source: 'auto' });
      return found[0]?.incidentCount === 5 ? found : undefined;
    });
    expect(await candidates({ ciId, source: 'auto' })).toHaveLength(1);
    // The candidate was opened by the third, with the three the rule had seen then.
    for (const snapshot of five.slice(0, 3))
      expect(candidate?.candidateReason).toContain(snapshot.number);
    for (const snapshot of five.slice(3))
      expect(candidate?.candidateReason).not.toContain(snapshot.number);
    expect(await linkedTo(candidate.id)).toEqual(five.map((snapshot) => snapshot.id).sort());
  });

  it('opens one candidate for a cluster whose incidents arrive on several partitions at once', async () => {
    const ciId = newId();
    const six = [0, 1, 2, 3, 4, 5].map(() => onCi(ciId));
    await producer.send({
      topic: Topics.incidentEvents,
      messages: six.map((snapshot, index) => ({
        ...toKafkaRecord(incidentEvent(snapshot)),
        partition: index % 3,
      })),
    });
    const [candidate] = await eventually(async () => {
      const found = await candidates({ ciId, source: 'auto' });
      return found[0]?.incidentCount === 6 ? found : undefined;
    });
    expect(await candidates({ ciId, source: 'auto' })).toHaveLength(1);
    expect(await linkedTo(candidate.id)).toEqual(six.map((snapshot) => snapshot.id).sort());
  });

  it('opens none for incidents opened before the window', async () => {
    const ciId = newId();
    const longAgo = new Date(Date.now() - 2 * HOUR).toISOString();
    const old = [0, 1, 2].map(() => onCi(ciId, { openedAt: longAgo }));
    await publishIncidents(
      producer,
      old.map((snapshot) => incidentEvent(snapshot)),
    );
    await untilSeen(old.map((snapshot) => snapshot.id));
    expect(await candidates({ ciId, source: 'auto' })).toEqual([]);
  });

  it('opens none for incidents an open problem covers', async () => {
    const ciId = newId();
    const covered = [onCi(ciId), onCi(ciId)];
    await publishIncidents(
      producer,
      covered.map((snapshot) => incidentEvent(snapshot)),
    );
    const manual = await manager.create({ title: 'Being worked by hand' });
    await eventually(async () => {
      const response = await manager.post(`/${manual.id}/incidents`, {
        incidentIds: covered.map((snapshot) => snapshot.id),
      });
      return response.status === 200 ? true : undefined;
    });
    const third = onCi(ciId);
    await publishIncidents(producer, [incidentEvent(third)]);
    await untilSeen([third.id]);
    expect(await candidates({ ciId, source: 'auto' })).toEqual([]);

    const namedCi = newId();
    await manager.create({ title: 'Names the CI', ciIds: [namedCi] });
    const named = [0, 1, 2].map(() => onCi(namedCi));
    await publishIncidents(
      producer,
      named.map((snapshot) => incidentEvent(snapshot)),
    );
    await untilSeen(named.map((snapshot) => snapshot.id));
    expect(await candidates({ ciId: namedCi, source: 'auto' })).toEqual([]);
  });

  it('opens one candidate when the same events arrive twice, and none for later updates', async () => {
    const ciId = newId();
    const three = [onCi(ciId), onCi(ciId), onCi(ciId)];
    const records = three.map((snapshot) => toKafkaRecord(incidentEvent(snapshot)));
    await producer.send({ topic: Topics.incidentEvents, messages: records });
    await producer.send({ topic: Topics.incidentEvents, messages: records });
    const updates = three.map((snapshot) =>
      incidentEvent(
        { ...snapshot, title: `${snapshot.title} (more detail)`, version: 2 },
        EventTypes.incident.updated,
      ),
    );
    await publishIncidents(producer, updates);
    // Each incident's events come in order: once its update shows, its duplicates were applied.
    const [candidate] = await eventually(async () => {
      const list = await candidates({ ciId, source: 'auto' });
      if (list.length === 0) return undefined;
      const titles = await linkedTitles(list[0].id);
      return titles.length === 3 && titles.every((title) => title.endsWith('(more detail)'))
        ? list
        : undefined;
    });
    expect(await candidates({ ciId, source: 'auto' })).toHaveLength(1);
    expect(candidate?.incidentCount).toBe(3);
  });

  it('opens one candidate for three incidents on one service in one category', async () => {
    const businessServiceId = newId();
    const three = [0, 1, 2].map(() => incident({ businessServiceId, category: 'email' }));
    await publishIncidents(
      producer,
      three.map((snapshot) => incidentEvent(snapshot)),
    );
    const [candidate] = await eventually(async () => {
      const found = await candidates({ businessServiceId, source: 'auto' });
      return found.length > 0 && found[0]?.incidentCount === 3 ? found : undefined;
    });
    expect(candidate).toMatchObject({ businessServiceId, category: 'email', ciIds: [] });
    expect(candidate?.candidateReason).toContain('same_service_category');
    expect(candidate?.candidateReason).toContain('"email"');
    expect(await candidates({ businessServiceId, source: 'auto' })).toHaveLength(1);
  });

  it('opens one major_incident candidate for a closed major incident, once', async () => {
    const now = new Date().toISOString();
    const closed = incident({
      major: true,
      state: 'closed',
      impact: 1,
      urgency: 1,
      priority: 'P1',
      resolutionCode: 'solved',
      resolutionNotes: 'Failover',
      resolvedAt: now,
      closedAt: now,
      version: 5,
    });
    const event = incidentEvent(closed, EventTypes.incident.closed);
    await producer.send({
      topic: Topics.incidentEvents,
      messages: [toKafkaRecord(event), toKafkaRecord(event)],
    });
    await publishIncidents(producer, [
      incidentEvent({ ...closed, version: 6 }, EventTypes.incident.closed),
      incidentEvent({ ...closed, title: 'Reviewed', version: 7 }, EventTypes.incident.updated),
    ]);
    // The incident's later events come after the repeats: once the last shows, all were applied.
    const found = await eventually(async () => {
      const list = await candidates({ source: 'major_incident', q: closed.number });
      if (list.length === 0) return undefined;
      return (await linkedTitles(list[0].id)).includes('Reviewed') ? list : undefined;
    });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      source: 'major_incident',
      impact: 1,
      urgency: 1,
      incidentCount: 1,
    });
    expect(found[0]?.candidateReason).toContain(closed.number);
    expect(await candidates({ source: 'major_incident', incidentId: closed.id })).toHaveLength(1);
  });
});
