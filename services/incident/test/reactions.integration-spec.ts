import { randomUUID } from 'node:crypto';
import {
  EventTypes,
  Topics,
  toKafkaRecord,
  type ChangeEventV1,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import {
  AlertmanagerProcess,
  alertmanagerForGateway,
  RecordsApi,
  RunningPlatform,
  cloudEvent,
  eventually,
  problemResolvedEvent,
  slaEvent,
  testKafka,
} from '@itsm/testing';
import { type Producer } from 'kafkajs';

interface RecordBody {
  id: string;
  number: string;
  state: string;
  priority: string;
  escalationLevel: number;
  resolutionCode: string | null;
  tags: string[];
}

interface JournalPage {
  items: { kind: string; text: string; author: string }[];
}

/**
 * The incident service as configured (a changed priority matrix, auto-close after two
 * seconds, problems and alerts resolving their incidents), reacting to the SLA, problem
 * and change services' events, each delivered twice (as at-least-once delivery may), and
 * to a real Prometheus Alertmanager.
 */
describe('incidents reacting to other services, as configured', () => {
  let platform: RunningPlatform;
  let agent: RecordsApi;
  let producer: Producer;
  let alertmanager: AlertmanagerProcess;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident'], {
      AUTO_CLOSE_AFTER: 'PT2S',
      AUTO_CLOSE_INTERVAL_MS: '300',
      PROBLEM_RESOLVES_INCIDENTS: 'true',
      ALERTMANAGER_RESOLVE_ON_RESOLVED: 'true',
      PRIORITY_MATRIX: '3x3=P4,1x2=P1',
    });
    agent = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    await agent.untilGroupsKnown(['service-desk']);
    producer = testKafka().producer();
    await producer.connect();
    // No repeats: the test follows one firing and one resolved notification.
    alertmanager = await alertmanagerForGateway(platform.gatewayUrl, { repeatInterval: '1h' });
  });

  afterAll(async () => {
    await alertmanager?.stop();
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
    const problemId = randomUUID();
    await deliverTwice(
      Topics.problemEvents,
      problemResolvedEvent({
        id: problemId,
        number: 'PRB0001001',
        incidentIds: [first.id, second.id],
      }),
    );
    const sentinel = await open({ title: 'Payroll report empty' });
    await producer.send({
      topic: Topics.problemEvents,
      messages: [
        toKafkaRecord(
          problemResolvedEvent({ id: problemId, number: 'PRB0001001', incidentIds: [sentinel.id] }),
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

  it('resolving a major incident by its problem resolves its open children with it', async () => {
    const parent = await open({ title: 'Payroll down for everyone', major: true });
    const child = await open({ title: 'Payroll down in Leeds', parentId: parent.id });
    const alreadyResolved = await open({ title: 'Payroll down in York', parentId: parent.id });
    await agent.resolveIncident(alreadyResolved.id, {
      resolutionCode: 'solved_workaround',
      resolutionNotes: 'York runs payroll by hand today',
    });
    await deliverTwice(
      Topics.problemEvents,
      problemResolvedEvent({ id: randomUUID(), number: 'PRB0001002', incidentIds: [parent.id] }),
    );
    const resolvedChild = await eventually(async () => {
      const body = (await agent.get('incidents', child.id).expect(200)).body as RecordBody;
      return body.state === 'resolved' ? body : undefined;
    });
    expect(resolvedChild).toMatchObject({ resolutionCode: 'resolved_by_problem' });
    expect((await journalOf(child.id)).map((note) => note.text)).toEqual([
      expect.stringContaining('Resolved together with major incident'),
    ]);
    const untouched = (await agent.get('incidents', alreadyResolved.id).expect(200))
      .body as RecordBody;
    expect(untouched).toMatchObject({ state: 'resolved', resolutionCode: 'solved_workaround' });
    expect(
      (await journalOf(alreadyResolved.id)).filter((note) => note.text.includes('together')),
    ).toEqual([]);
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
    await agent.resolveIncident(incident.id, {
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Rebooted',
    });
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

  it('resolves the incident of an alert when the alert resolves', async () => {
    const alertname = `DiskFull${randomUUID().slice(0, 6)}`;
    const alert = {
      labels: { alertname, severity: 'warning', instance: 'app01:9100', team: 'service-desk' },
      annotations: { summary: 'Disk almost full on app01' },
    };
    await alertmanager.postAlerts([alert]);
    const incident = await eventually(
      async () => {
        const listed = await agent
          .list('incidents', { tag: `alertname:${alertname.toLowerCase()}` })
          .expect(200);
        return (listed.body as { items: RecordBody[] }).items[0];
      },
      { timeoutMs: 30_000, description: 'the incident Alertmanager raised' },
    );
    expect(incident.state).toBe('new');

    await alertmanager.resolveAlerts([alert]);
    const resolved = await eventually(
      async () => {
        const current = (await agent.get('incidents', incident.id).expect(200)).body as RecordBody;
        return current.state === 'resolved' ? current : undefined;
      },
      { timeoutMs: 30_000, description: 'the incident resolved with its alert' },
    );
    expect(resolved.resolutionCode).toBe('alert_resolved');
    const history = (await agent.history('incidents', incident.id).expect(200)).body as {
      items: { field: string; newValue: unknown; actor: string }[];
    };
    expect(history.items).toContainEqual(
      expect.objectContaining({ field: 'state', newValue: 'resolved' }),
    );
  });
});
