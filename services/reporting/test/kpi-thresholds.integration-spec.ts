import { randomUUID } from 'node:crypto';
import { type Producer } from 'kafkajs';
import {
  ALL_DOMAIN_TOPICS,
  EventTypes,
  Topics,
  toKafkaRecord,
  type IncidentSnapshot,
  type KpiThresholdCrossedV1,
} from '@itsm/contracts';
import {
  ServiceProcess,
  cloudEvent,
  connectedProducer,
  directClient,
  eventually,
  incidentSnapshot,
  readWholeTopic,
  testKafka,
  untilConsumerCaughtUp,
} from '@itsm/testing';

interface ThresholdView {
  id: string;
  lastEvaluation: { side: string; value: number; crossings: number; evaluatedAt: string } | null;
}

/**
 * A threshold on the backlog of a category of this test's own, evaluated by two reporting
 * processes at once every 200 ms: each crossing is published once on
 * itsm.report.events.v1, however many evaluations (and replicas) see it.
 */
describe('KPI thresholds', () => {
  const replicas: ServiceProcess[] = [];
  let producer: Producer;
  const category = `threshold-${randomUUID()}`;
  const now = () => new Date().toISOString();

  beforeAll(async () => {
    for (let index = 0; index < 2; index += 1)
      replicas.push(
        await ServiceProcess.start('reporting', { REPORT_THRESHOLD_INTERVAL_MS: '200' }),
      );
    // Once: whatever the run published before this suite is behind the consumer, not in each wait.
    await untilConsumerCaughtUp('reporting', ALL_DOMAIN_TOPICS);
    producer = await connectedProducer(testKafka());
  });

  afterAll(async () => {
    await producer?.disconnect();
    await Promise.all(replicas.map((replica) => replica.stop()));
  });

  const client = (username: string) => directClient('reporting', replicas[0].url, username);

  const publish = (incident: IncidentSnapshot, type: string) =>
    producer.send({
      topic: Topics.incidentEvents,
      messages: [
        toKafkaRecord(
          cloudEvent(type, '/itsm/incident', incident.id, {
            incident,
            changedFields: ['state'],
            previous: {},
          }),
        ),
      ],
    });

  const open = async () => {
    const incident = incidentSnapshot({ category, openedAt: now(), resolvedAt: null, version: 1 });
    await publish(incident, EventTypes.incident.created);
    return incident;
  };

  const eventsOf = async (thresholdId: string) =>
    (await readWholeTopic(testKafka(), Topics.reportEvents))
      .map(({ message }) => ({
        type: message.headers?.ce_type?.toString(),
        data: JSON.parse(message.value!.toString()) as KpiThresholdCrossedV1,
      }))
      .filter(({ data }) => data.threshold.id === thresholdId);

  const evaluated = (id: string, side: string, value: number) =>
    eventually(
      async () => {
        const threshold = (await client('incident_manager').get(`/api/v1/reports/thresholds/${id}`))
          .body as ThresholdView;
        return threshold.lastEvaluation?.side === side && threshold.lastEvaluation.value === value
          ? threshold
          : undefined;
      },
      { timeoutMs: 30_000, description: `threshold ${side} at ${value}` },
    );

  it('publishes a crossing once, a clearing when the figure comes back, and a second crossing', async () => {
    const created = await client('incident_manager')
      .post('/api/v1/reports/thresholds')
      .send({
        name: 'Backlog of the category above 1 today',
        metric: 'backlog',
        filters: { category },
        comparison: 'above',
        limit: 1,
        interval: 'day',
        notifyGroups: ['incident-managers'],
      })
      .expect(201);
    const id = (created.body as ThresholdView).id;
    expect(created.headers.location).toBe(`/api/v1/reports/thresholds/${id}`);

    const first = await open();
    await evaluated(id, 'within', 1);
    await open();
    const crossed = await evaluated(id, 'beyond', 2);
    // Several more evaluations by both replicas, on the same side: nothing more is told.
    await eventually(
      async () => {
        const again = await evaluated(id, 'beyond', 2);
        return Date.parse(again.lastEvaluation!.evaluatedAt) >
          Date.parse(crossed.lastEvaluation!.evaluatedAt) + 1_000
          ? true
          : undefined;
      },
      { timeoutMs: 30_000, description: 'more evaluations on the same side' },
    );

    await publish(
      { ...first, state: 'resolved', resolvedAt: now(), version: 2 },
      EventTypes.incident.resolved,
    );
    await evaluated(id, 'within', 1);
    await open();
    const again = await evaluated(id, 'beyond', 2);
    expect(again.lastEvaluation?.crossings).toBe(2);

    const events = await eventually(
      async () => {
        const found = await eventsOf(id);
        return found.length === 3 ? found : undefined;
      },
      { timeoutMs: 30_000, description: 'three threshold events' },
    );
    expect(events.map(({ type }) => type)).toEqual([
      EventTypes.report.thresholdCrossed,
      EventTypes.report.thresholdCleared,
      EventTypes.report.thresholdCrossed,
    ]);
    expect(events[0].data).toMatchObject({
      threshold: { id, metric: 'backlog', filters: { category }, limit: 1 },
      value: 2,
      count: 2,
    });
  });

  it('refuses a threshold on a metric the author may not read, and bad definitions by field', async () => {
    // A problem manager sets thresholds, but does not read SLA timers.
    await client('problem_manager')
      .post('/api/v1/reports/thresholds')
      .send({ name: 'x', metric: 'sla_compliance', comparison: 'below', limit: 95 })
      .expect(403);
    const bad = await client('incident_manager')
      .post('/api/v1/reports/thresholds')
      .send({
        name: 'x',
        metric: 'mttr',
        filters: { model: 'normal' },
        comparison: 'above',
        limit: 4,
      })
      .expect(400);
    expect(JSON.stringify(bad.body)).toContain('filters.model');
    await client('agent')
      .post('/api/v1/reports/thresholds')
      .send({ name: 'x', metric: 'opened', comparison: 'above', limit: 4 })
      .expect(403);
  });
});
