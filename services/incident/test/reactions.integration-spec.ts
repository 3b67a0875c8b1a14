import { randomUUID } from 'node:crypto';
import { EventTypes, Topics, toKafkaRecord, type ItsmCloudEvent } from '@itsm/contracts';
import {
  AlertmanagerProcess,
  changeCompletedEvent,
  alertmanagerForGateway,
  RecordsApi,
  RunningPlatform,
  eventsOf,
  eventually,
  problemCommunicationEvent,
  problemIncidentsLinkedEvent,
  problemIncidentsUnlinkedEvent,
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
  holdReason: string | null;
  problemId: string | null;
  resolutionCode: string | null;
  resolutionNotes: string | null;
  resolvedAt: string | null;
  tags: string[];
  version: number;
}

interface Problem {
  id: string;
  number: string;
}

interface JournalPage {
  items: { kind: string; text: string; author: string }[];
}

/**
 * The incident service as configured (a changed priority matrix, auto-close after two
 * seconds, alerts resolving their incidents), reacting to the SLA, problem and change
 * services' events, each delivered twice (as at-least-once delivery may), and to a real
 * Prometheus Alertmanager.
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

  /** The incident as read now. */
  async function read(id: string): Promise<RecordBody> {
    return (await agent.get('incidents', id).expect(200)).body as RecordBody;
  }

  /**
   * Sends a distinct event on the problem's key after the ones sent before and waits for it:
   * one key is one partition, read in order, so once it shows they were all applied.
   */
  async function afterEarlierEventsOf(problem: Problem): Promise<void> {
    const sentinel = await open({ title: `Sentinel for ${problem.number}` });
    await producer.send({
      topic: Topics.problemEvents,
      messages: [toKafkaRecord(problemIncidentsLinkedEvent(problem, [sentinel.id]))],
    });
    await eventually(async () =>
      (await read(sentinel.id)).problemId === problem.id ? true : undefined,
    );
  }

  async function link(problem: Problem, incidents: readonly RecordBody[]): Promise<void> {
    await producer.send({
      topic: Topics.problemEvents,
      messages: [
        toKafkaRecord(
          problemIncidentsLinkedEvent(
            problem,
            incidents.map((incident) => incident.id),
          ),
        ),
      ],
    });
    for (const incident of incidents) {
      await eventually(async () =>
        (await read(incident.id)).problemId === problem.id ? true : undefined,
      );
    }
  }

  /** An incident in progress, linked to the problem, put on hold awaiting it. */
  async function waitingFor(problem: Problem, body: object = {}): Promise<RecordBody> {
    const incident = await open(body);
    await agent.transition('incidents', incident.id, { to: 'in_progress' }).expect(200);
    await link(problem, [incident]);
    const held = await agent
      .transition('incidents', incident.id, { to: 'on_hold', holdReason: 'awaiting_problem' })
      .expect(200);
    return held.body as RecordBody;
  }

  async function inProgress(body: object = {}): Promise<RecordBody> {
    const incident = await open(body);
    return (await agent.transition('incidents', incident.id, { to: 'in_progress' }).expect(200))
      .body as RecordBody;
  }

  const problemNamed = (number: string): Problem => ({ id: randomUUID(), number });

  it('keeps the problem each incident is linked to: a link moves it, an unlink clears only its own', async () => {
    const first = problemNamed('PRB0001001');
    const second = problemNamed('PRB0001002');
    const [stays, moves, movesLate] = [await open(), await open(), await open()];
    await deliverTwice(
      Topics.problemEvents,
      problemIncidentsLinkedEvent(first, [stays.id, moves.id, movesLate.id]),
    );
    for (const incident of [stays, moves, movesLate]) {
      await eventually(async () =>
        (await read(incident.id)).problemId === first.id ? true : undefined,
      );
    }
    // Moved to the second problem: its link arrives before the first problem's unlink ...
    await link(second, [moves]);
    await deliverTwice(
      Topics.problemEvents,
      problemIncidentsUnlinkedEvent(first, [stays.id, moves.id]),
    );
    await eventually(async () => ((await read(stays.id)).problemId === null ? true : undefined));
    expect((await read(moves.id)).problemId).toBe(second.id);
    // ... or after it.
    await producer.send({
      topic: Topics.problemEvents,
      messages: [toKafkaRecord(problemIncidentsUnlinkedEvent(first, [movesLate.id]))],
    });
    await eventually(async () =>
      (await read(movesLate.id)).problemId === null ? true : undefined,
    );
    await link(second, [movesLate]);

    const history = (await agent.history('incidents', moves.id).expect(200)).body as {
      items: { field: string; oldValue: unknown; newValue: unknown; actor: string }[];
    };
    expect(history.items.filter((item) => item.field === 'problemId')).toEqual([
      expect.objectContaining({ oldValue: null, newValue: first.id, actor: 'system' }),
      expect.objectContaining({ oldValue: first.id, newValue: second.id, actor: 'system' }),
    ]);
    const listed = (await agent.list('incidents', { problemId: second.id }).expect(200)).body as {
      items: RecordBody[];
    };
    expect(listed.items.map((item) => item.id).sort()).toEqual([moves.id, movesLate.id].sort());
    expect(
      (
        (await agent.list('incidents', { problemId: first.id }).expect(200)).body as {
          items: RecordBody[];
        }
      ).items,
    ).toEqual([]);
  });

  it('resolves the incidents waiting for a problem fixed, once, and asks the other open ones to verify', async () => {
    const problem = problemNamed('PRB0001003');
    const waiting = await waitingFor(problem, { title: 'Payroll export deadlocks' });
    const working = await inProgress({ title: 'Payroll export slow' });
    const fresh = await open({ title: 'Payroll export late' });
    const onVendor = await inProgress({ title: 'Payroll export garbled' });
    const closed = await open({ title: 'Payroll export failed last week' });
    const elsewhere = await waitingFor(problemNamed('PRB0001099'), { title: 'Unrelated' });
    await link(problem, [working, fresh, onVendor, closed]);
    await agent
      .transition('incidents', onVendor.id, { to: 'on_hold', holdReason: 'awaiting_vendor' })
      .expect(200);
    await agent.resolveIncident(closed.id, {
      resolutionCode: 'solved_workaround',
      resolutionNotes: 'Reran the export',
    });
    await agent.transition('incidents', closed.id, { to: 'closed' }).expect(200);
    const closedBefore = await read(closed.id);

    const resolved = problemResolvedEvent({
      ...problem,
      resolutionCode: 'fix_applied',
      fixNotes: 'Index added on ledger (entry_date)',
    });
    await deliverTwice(Topics.problemEvents, resolved);
    await afterEarlierEventsOf(problem);

    // Resolved-by-problem incidents close by themselves two seconds later here (AUTO_CLOSE_AFTER).
    const afterFix = await read(waiting.id);
    expect(['resolved', 'closed']).toContain(afterFix.state);
    expect(afterFix).toMatchObject({
      holdReason: null,
      resolutionCode: 'resolved_by_problem',
      resolutionNotes: 'Resolved by problem PRB0001003: Index added on ledger (entry_date)',
      problemId: problem.id,
    });
    const problemNotes = async (id: string) =>
      (await journalOf(id)).filter((note) => note.text.includes('PRB0001003'));
    expect(await problemNotes(waiting.id)).toEqual([
      expect.objectContaining({ kind: 'work_note', author: 'system' }),
    ]);
    const expectedStates = new Map([
      [working.id, 'in_progress'],
      [fresh.id, 'new'],
      [onVendor.id, 'on_hold'],
    ]);
    for (const [id, state] of expectedStates) {
      expect(await read(id)).toMatchObject({ state, resolutionCode: null });
      expect(await journalOf(id)).toEqual([
        expect.objectContaining({
          kind: 'work_note',
          author: 'system',
          text: 'Problem PRB0001003 "Payroll export deadlocks" was resolved with a fix applied: Index added on ledger (entry_date). Verify that this incident is fixed too, and resolve it if so.',
        }),
      ]);
    }
    expect(await read(closed.id)).toEqual(closedBefore);
    expect(await problemNotes(closed.id)).toEqual([]);
    expect(await read(elsewhere.id)).toMatchObject({ state: 'on_hold', resolutionCode: null });
    await eventually(async () =>
      (await eventsOf(waiting.id)).some((event) => event.type === EventTypes.incident.resolved)
        ? true
        : undefined,
    );

    // Resolved again (a distinct event, e.g. after a reanalysis): what it resolved stays as it was.
    await producer.send({
      topic: Topics.problemEvents,
      messages: [toKafkaRecord(problemResolvedEvent({ ...problem, fixNotes: 'Another fix' }))],
    });
    await afterEarlierEventsOf(problem);
    expect(await read(waiting.id)).toMatchObject({
      resolutionCode: 'resolved_by_problem',
      resolutionNotes: afterFix.resolutionNotes,
      resolvedAt: afterFix.resolvedAt,
    });
    expect(await problemNotes(waiting.id)).toHaveLength(1);
    const history = (await agent.history('incidents', waiting.id).expect(200)).body as {
      items: { field: string; newValue: unknown; actor: string }[];
    };
    expect(
      history.items.filter((item) => item.field === 'state' && item.newValue === 'resolved'),
    ).toEqual([expect.objectContaining({ actor: 'system' })]);
    expect(
      (await eventsOf(waiting.id)).filter((event) => event.type === EventTypes.incident.resolved),
    ).toHaveLength(1);
  });

  it('only notes a problem resolved with its risk accepted: nothing is resolved', async () => {
    const problem = problemNamed('PRB0001004');
    const waiting = await waitingFor(problem);
    const working = await inProgress();
    await link(problem, [working]);
    await deliverTwice(
      Topics.problemEvents,
      problemResolvedEvent({
        ...problem,
        resolutionCode: 'risk_accepted',
        fixNotes: null,
        resolutionNotes: 'Happens twice a year; not worth the rewrite',
      }),
    );
    await afterEarlierEventsOf(problem);
    for (const [incident, state] of [
      [waiting, 'on_hold'],
      [working, 'in_progress'],
    ] as const) {
      expect(await read(incident.id)).toMatchObject({ state, resolutionCode: null });
      expect((await journalOf(incident.id)).map((note) => note.text)).toEqual([
        expect.stringContaining(
          'Problem PRB0001004 "Payroll export deadlocks" was resolved with its risk accepted, no fix will come: Happens twice a year',
        ),
      ]);
    }
  });

  it("notes a problem's communicated workaround and fix on each open incident linked to it, once", async () => {
    const problem = problemNamed('PRB0001005');
    const waiting = await waitingFor(problem);
    const fresh = await open();
    const resolved = await open();
    const unlinked = await open();
    await link(problem, [fresh, resolved]);
    await agent.resolveIncident(resolved.id, {
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Fixed by hand',
    });
    await deliverTwice(
      Topics.problemEvents,
      problemCommunicationEvent('workaround', problem, 'Run the export after 22:00'),
    );
    await deliverTwice(
      Topics.problemEvents,
      problemCommunicationEvent('fix', problem, 'Release 4.2 adds the index'),
    );
    await afterEarlierEventsOf(problem);
    for (const incident of [waiting, fresh]) {
      expect(await journalOf(incident.id)).toEqual([
        expect.objectContaining({
          kind: 'work_note',
          author: 'system',
          text: 'Workaround from problem PRB0001005: Run the export after 22:00',
        }),
        expect.objectContaining({
          kind: 'work_note',
          author: 'system',
          text: 'Fix from problem PRB0001005: Release 4.2 adds the index',
        }),
      ]);
    }
    // The resolved one may have closed by itself since (with the auto-close's note): no problem note.
    expect(
      (await journalOf(resolved.id)).filter((note) => note.text.includes('PRB0001005')),
    ).toEqual([]);
    expect(await journalOf(unlinked.id)).toEqual([]);
  });

  it('resolving a major incident by its problem resolves its open children with it', async () => {
    const problem = problemNamed('PRB0001006');
    const parent = await waitingFor(problem, { title: 'Payroll down for everyone', major: true });
    const child = await open({ title: 'Payroll down in Leeds', parentId: parent.id });
    const alreadyResolved = await open({ title: 'Payroll down in York', parentId: parent.id });
    await agent.resolveIncident(alreadyResolved.id, {
      resolutionCode: 'solved_workaround',
      resolutionNotes: 'York runs payroll by hand today',
    });
    await deliverTwice(Topics.problemEvents, problemResolvedEvent(problem));
    const resolvedChild = await eventually(async () => {
      const body = await read(child.id);
      return body.state === 'resolved' ? body : undefined;
    });
    expect(resolvedChild).toMatchObject({
      resolutionCode: 'resolved_by_problem',
      resolutionNotes: expect.stringContaining('Resolved by problem PRB0001006'),
    });
    expect((await read(parent.id)).resolutionCode).toBe('resolved_by_problem');
    expect((await journalOf(child.id)).map((note) => note.text)).toEqual([
      expect.stringContaining('Resolved together with major incident'),
    ]);
    const untouched = await read(alreadyResolved.id);
    expect(['resolved', 'closed']).toContain(untouched.state);
    expect(untouched.resolutionCode).toBe('solved_workaround');
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

    const completed = changeCompletedEvent({
      id: changeId,
      number: 'CHG0001001',
      title: 'Upgrade array firmware',
    });
    const change = completed.data;
    await deliverTwice(Topics.changeEvents, completed);
    await eventually(async () => ((await journalOf(waiting.id)).length > 0 ? true : undefined));
    // A later, distinct event on the same key is applied after the duplicate: once it shows, the duplicate was seen.
    const later = changeCompletedEvent({ ...change.change, number: 'CHG0001002' });
    await producer.send({ topic: Topics.changeEvents, messages: [toKafkaRecord(later)] });
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
