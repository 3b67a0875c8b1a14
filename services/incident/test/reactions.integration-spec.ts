import { randomUUID } from 'node:crypto';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  EventTypes,
  JSON_CONTENT_TYPE,
  Topics,
  dataSchemaUri,
  toKafkaRecord,
  type ChangeEventV1,
  type ItsmCloudEvent,
  type ProblemEventV1,
  type SlaWarningV1,
} from '@itsm/contracts';
import { RecordsApi, RunningPlatform, eventually, testKafka } from '@itsm/testing';
import { type Producer } from 'kafkajs';

interface RecordBody {
  id: string;
  number: string;
  state: string;
  priority: string;
  escalationLevel: number;
  resolutionCode: string | null;
}

interface JournalPage {
  items: { kind: string; text: string; author: string }[];
}

function cloudEvent<T>(type: string, source: string, subject: string, data: T): ItsmCloudEvent<T> {
  return {
    specversion: CLOUD_EVENTS_SPEC_VERSION,
    id: randomUUID(),
    source,
    type,
    subject,
    time: new Date().toISOString(),
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: dataSchemaUri(type),
    data,
  };
}

function slaEvent(
  type: string,
  record: RecordBody,
  threshold?: number,
): ItsmCloudEvent<SlaWarningV1> {
  const now = new Date().toISOString();
  return cloudEvent(type, '/itsm/slm', record.id, {
    timer: {
      id: randomUUID(),
      recordId: record.id,
      recordType: 'incident',
      recordNumber: record.number,
      slaId: randomUUID(),
      slaVersion: 1,
      slaName: 'P1 resolution',
      target: 'resolution',
      state: type === EventTypes.sla.breached ? 'breached' : 'running',
      startedAt: now,
      dueAt: now,
      elapsedMs: 1000,
      percentUsed: threshold ?? 100,
      breachedAt: type === EventTypes.sla.breached ? now : null,
      stoppedAt: null,
    },
    ...(type === EventTypes.sla.warning ? { threshold: threshold ?? 50 } : {}),
  } as SlaWarningV1);
}

/**
 * The incident service as configured (a changed priority matrix, auto-close after two
 * seconds, problems resolving their incidents), reacting to the SLA, problem and change
 * services' events, each delivered twice (as at-least-once delivery may).
 */
describe('incidents reacting to other services, as configured', () => {
  let platform: RunningPlatform;
  let agent: RecordsApi;
  let producer: Producer;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident'], {
      AUTO_CLOSE_AFTER: 'PT2S',
      AUTO_CLOSE_INTERVAL_MS: '300',
      PROBLEM_RESOLVES_INCIDENTS: 'true',
      PRIORITY_MATRIX: '3x3=P4,1x2=P1',
    });
    agent = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    await agent.untilGroupsKnown(['service-desk']);
    producer = testKafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await platform?.stop();
  });

  async function deliverTwice(topic: string, event: ItsmCloudEvent): Promise<void> {
    const record = toKafkaRecord(event);
    await producer.send({ topic, messages: [record] });
    await producer.send({ topic, messages: [record] });
  }

  async function open(body: object = {}): Promise<RecordBody> {
    const created = await agent
      .create('incidents', {
        title: 'Payroll batch failed',
        description: '',
        impact: 1,
        urgency: 1,
        assignmentGroup: 'service-desk',
        ...body,
      })
      .expect(201);
    return created.body as RecordBody;
  }

  async function journalOf(id: string): Promise<JournalPage['items']> {
    return ((await agent.journal('incidents', id).expect(200)).body as JournalPage).items;
  }

  it('takes priorities from the configured matrix', async () => {
    expect((await open({ impact: 3, urgency: 3 })).priority).toBe('P4');
    expect((await open({ impact: 1, urgency: 2 })).priority).toBe('P1');
    expect((await open({ impact: 2, urgency: 2 })).priority).toBe('P3');
  });

  it('raises the escalation level on an SLA warning and again on a breach, once each', async () => {
    const incident = await open();
    await deliverTwice(Topics.slaEvents, slaEvent(EventTypes.sla.warning, incident, 75));
    await eventually(async () => ((await journalOf(incident.id)).length === 1 ? true : undefined));
    expect(
      ((await agent.get('incidents', incident.id).expect(200)).body as RecordBody).escalationLevel,
    ).toBe(1);

    await deliverTwice(Topics.slaEvents, slaEvent(EventTypes.sla.breached, incident));
    const read = await eventually(async () => {
      const current = (await agent.get('incidents', incident.id).expect(200)).body as RecordBody;
      return current.escalationLevel === 2 ? current : undefined;
    });
    expect(read.escalationLevel).toBe(2);
    // A later, distinct event on the same key is applied after the duplicates: once it shows, they were seen.
    await producer.send({
      topic: Topics.slaEvents,
      messages: [toKafkaRecord(slaEvent(EventTypes.sla.warning, incident, 90))],
    });
    const notes = await eventually(async () => {
      const entries = await journalOf(incident.id);
      return entries.some((note) => note.text.includes('reached 90 %')) ? entries : undefined;
    });
    expect(notes.map((note) => note.text)).toEqual([
      expect.stringContaining('reached 75 %'),
      expect.stringContaining('breached'),
      expect.stringContaining('reached 90 %'),
    ]);
    expect(
      ((await agent.get('incidents', incident.id).expect(200)).body as RecordBody).escalationLevel,
    ).toBe(2);
    expect(notes.every((note) => note.kind === 'work_note' && note.author === 'system')).toBe(true);
  });

  it('notes a resolved problem on each linked incident and resolves them, once', async () => {
    const first = await open({ title: 'Payroll export slow' });
    const second = await open({ title: 'Payroll export fails' });
    const problem: ProblemEventV1 = {
      problem: {
        id: randomUUID(),
        number: 'PRB0001001',
        title: 'Payroll export deadlocks',
        state: 'resolved',
        rootCause: 'Missing index on ledger',
        resolutionNotes: 'Index added',
        incidentIds: [first.id, second.id],
        resolvedAt: new Date().toISOString(),
        version: 3,
      },
      changedFields: ['state'],
    };
    await deliverTwice(
      Topics.problemEvents,
      cloudEvent(EventTypes.problem.resolved, '/itsm/problem', problem.problem.id, problem),
    );
    const sentinel = await open({ title: 'Payroll report empty' });
    const again = { ...problem, problem: { ...problem.problem, incidentIds: [sentinel.id] } };
    await producer.send({
      topic: Topics.problemEvents,
      messages: [
        toKafkaRecord(
          cloudEvent(EventTypes.problem.resolved, '/itsm/problem', problem.problem.id, again),
        ),
      ],
    });
    await eventually(async () => ((await journalOf(sentinel.id)).length === 1 ? true : undefined));
    for (const incident of [first, second]) {
      const resolved = (await agent.get('incidents', incident.id).expect(200)).body as RecordBody;
      expect(resolved).toMatchObject({ state: 'resolved', resolutionCode: 'resolved_by_problem' });
      const notes = await journalOf(incident.id);
      expect(notes.filter((note) => note.text.includes('PRB0001001'))).toHaveLength(1);
    }
  });

  it('notes a completed change on the incidents on hold waiting for it, once', async () => {
    const changeId = randomUUID();
    const waiting = await open({ title: 'Disk array firmware bug' });
    await agent.transition('incidents', waiting.id, { to: 'in_progress' }).expect(200);
    await agent
      .transition('incidents', waiting.id, {
        to: 'on_hold',
        holdReason: 'awaiting_change',
        awaitingChangeId: changeId,
      })
      .expect(200);
    const notWaiting = await open({ title: 'Unrelated' });

    const change: ChangeEventV1 = {
      change: {
        id: changeId,
        number: 'CHG0001001',
        title: 'Upgrade array firmware',
        state: 'closed',
        outcome: 'successful',
        ciIds: [],
        completedAt: new Date().toISOString(),
        version: 7,
      },
      changedFields: ['state'],
    };
    await deliverTwice(
      Topics.changeEvents,
      cloudEvent(EventTypes.change.completed, '/itsm/change', changeId, change),
    );
    await eventually(async () => ((await journalOf(waiting.id)).length > 0 ? true : undefined));
    // A later, distinct event on the same key is applied after the duplicate: once it shows, the duplicate was seen.
    const later = { ...change, change: { ...change.change, number: 'CHG0001002' } };
    await producer.send({
      topic: Topics.changeEvents,
      messages: [
        toKafkaRecord(cloudEvent(EventTypes.change.completed, '/itsm/change', changeId, later)),
      ],
    });
    const notes = await eventually(async () => {
      const entries = await journalOf(waiting.id);
      return entries.some((note) => note.text.includes('CHG0001002')) ? entries : undefined;
    });
    expect(notes.map((note) => note.text)).toEqual([
      expect.stringContaining('CHG0001001'),
      expect.stringContaining('CHG0001002'),
    ]);
    expect(await journalOf(notWaiting.id)).toEqual([]);
  });

  it('closes a resolved incident by itself once the resolution period has passed', async () => {
    const incident = await open({ title: 'Badge reader offline' });
    await agent.transition('incidents', incident.id, { to: 'in_progress' }).expect(200);
    await agent
      .transition('incidents', incident.id, {
        to: 'resolved',
        resolutionCode: 'solved_permanently',
        resolutionNotes: 'Rebooted',
      })
      .expect(200);
    const closed = await eventually(
      async () => {
        const current = (await agent.get('incidents', incident.id).expect(200))
          .body as RecordBody & { closedAt: string };
        return current.state === 'closed' ? current : undefined;
      },
      { timeoutMs: 15_000, description: 'the auto-close' },
    );
    expect(closed.closedAt).toEqual(expect.any(String));
    const history = (await agent.history('incidents', incident.id).expect(200)).body as {
      items: { field: string; newValue: unknown; actor: string }[];
    };
    expect(history.items).toContainEqual(
      expect.objectContaining({ field: 'state', newValue: 'closed', actor: 'system' }),
    );
  });
});
