import { DateTime } from 'luxon';
import { type Producer } from 'kafkajs';
import { EventTypes, type IncidentSnapshot, type ItsmCloudEvent } from '@itsm/contracts';
import {
  ServiceProcess,
  connectedProducer,
  eventually,
  incidentSnapshot,
  testKafka,
} from '@itsm/testing';
import {
  defineCalendar,
  defineSla,
  isolatedCategory,
  publish,
  recordEvent,
  slaEventsAbout,
  timersOf,
  asServiceLevelManager,
  type SlaEvent,
  type TimerView,
} from './support/slm-test-kit';

const { incident: I, request: R, sla: S } = EventTypes;

describe('SLA timers follow incidents and requests', () => {
  let slm: ServiceProcess;
  let producer: Producer;

  beforeAll(async () => {
    slm = await ServiceProcess.start('slm', { KAFKA_CONSUMER_BACKOFF_MS: '10' });
    producer = await connectedProducer(testKafka());
  });

  afterAll(async () => {
    await producer?.disconnect();
    await slm?.stop();
  });

  /** Waits for a record's SLA events until `done` says the expected ones are there. */
  const eventsOf = (recordId: string, done: (events: SlaEvent[]) => boolean) =>
    eventually(
      async () => {
        const events = await slaEventsAbout([recordId]);
        return done(events) ? events : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300, description: `SLA events of ${recordId}` },
    );

  it('an incident’s life: started, met response, paused, resumed, re-targeted on a priority rise, met', async () => {
    const category = isolatedCategory();
    const response = await defineSla(slm.url, {
      name: `${category} A response`,
      target: 'response',
      appliesTo: { recordType: 'incident', category },
      duration: 'PT1H',
    });
    const p3Resolution = await defineSla(slm.url, {
      name: `${category} B resolution P3`,
      target: 'resolution',
      appliesTo: { recordType: 'incident', category, priorities: ['P3'] },
      duration: 'PT8H',
    });
    const p1Resolution = await defineSla(slm.url, {
      name: `${category} C resolution P1`,
      target: 'resolution',
      appliesTo: { recordType: 'incident', category, priorities: ['P1'] },
      duration: 'PT4H',
    });

    const start = Date.now() - 60 * 60_000;
    const at = (minutes: number) => new Date(start + minutes * 60_000);
    let incident: IncidentSnapshot = incidentSnapshot({
      category,
      priority: 'P3',
      impact: 2,
      urgency: 2,
      openedAt: at(0).toISOString(),
    });
    const change = (minutes: number, fields: Partial<IncidentSnapshot>) => {
      incident = {
        ...incident,
        ...fields,
        version: incident.version + 1,
        updatedAt: at(minutes).toISOString(),
      };
      return incident;
    };
    // Each change as the incident service announces it, each delivered twice.
    const twice = (...events: ItsmCloudEvent[]) => events.flatMap((event) => [event, event]);
    await publish(producer, ...twice(recordEvent(I.created, incident, ['title'], {}, at(0))));
    await publish(
      producer,
      ...twice(
        recordEvent(
          I.stateChanged,
          change(5, { state: 'in_progress', firstResponseAt: at(5).toISOString() }),
          ['state', 'firstResponseAt'],
          { state: 'new' },
          at(5),
        ),
        recordEvent(
          I.stateChanged,
          change(10, { state: 'on_hold', holdReason: 'awaiting_caller' }),
          ['state', 'holdReason'],
          { state: 'in_progress' },
          at(10),
        ),
        recordEvent(
          I.stateChanged,
          change(30, { state: 'in_progress', holdReason: null }),
          ['state', 'holdReason'],
          { state: 'on_hold' },
          at(30),
        ),
        recordEvent(
          I.priorityChanged,
          change(40, { priority: 'P1', impact: 1, urgency: 1 }),
          ['priority', 'impact', 'urgency'],
          { priority: 'P3' },
          at(40),
        ),
      ),
    );
    const resolved = change(50, {
      state: 'resolved',
      resolvedAt: at(50).toISOString(),
      resolutionCode: 'fixed',
      resolutionNotes: 'done',
    });
    // One change, two events (the state change and the milestone), both delivered twice.
    await publish(
      producer,
      ...twice(
        recordEvent(I.stateChanged, resolved, ['state'], { state: 'in_progress' }, at(50)),
        recordEvent(I.resolved, resolved, ['state'], { state: 'in_progress' }, at(50)),
      ),
    );

    const events = await eventsOf(incident.id, (all) =>
      all.some((event) => event.type === S.met && event.timer.target === 'resolution'),
    );
    expect(events.map((event) => [event.type, event.timer.target, event.timer.slaId])).toEqual([
      [S.started, 'response', response],
      [S.started, 'resolution', p3Resolution],
      [S.met, 'response', response],
      [S.paused, 'resolution', p3Resolution],
      [S.resumed, 'resolution', p3Resolution],
      [S.retargeted, 'resolution', p1Resolution],
      [S.met, 'resolution', p1Resolution],
    ]);
    const [started, , responseMet, paused, , retargeted, resolutionMet] = events;
    expect(started.timer.startedAt).toBe(at(0).toISOString());
    expect(responseMet.timer.elapsedMs).toBe(5 * 60_000);
    expect(paused.timer).toMatchObject({
      state: 'paused',
      dueAt: null,
      pauseReason: 'awaiting_caller',
    });
    // 50 minutes open, 20 of them on hold: 30 minutes used, kept across the re-targeting.
    expect(retargeted.timer).toMatchObject({ slaId: p1Resolution, elapsedMs: 20 * 60_000 });
    expect(retargeted.timer.dueAt).toBe(
      new Date(at(40).getTime() + 4 * 3_600_000 - 20 * 60_000).toISOString(),
    );
    expect(resolutionMet.timer).toMatchObject({
      state: 'met',
      elapsedMs: 30 * 60_000,
      percentUsed: 12.5,
    });

    const timers = await timersOf(slm.url, incident.id);
    expect(
      timers
        .map((timer) => [timer.target, timer.slaId, timer.state, timer.elapsedMs])
        .sort((a, b) => String(b[0]).localeCompare(String(a[0]))),
    ).toEqual([
      ['response', response, 'met', 5 * 60_000],
      ['resolution', p1Resolution, 'met', 30 * 60_000],
    ]);
  });

  it('a reopened incident resumes its resolution timer; closing and cancelling stop what is open', async () => {
    const category = isolatedCategory();
    const resolution = await defineSla(slm.url, {
      name: `${category} resolution`,
      target: 'resolution',
      appliesTo: { category },
      duration: 'PT8H',
    });
    const start = Date.now() - 60 * 60_000;
    const at = (minutes: number) => new Date(start + minutes * 60_000);
    const opened = incidentSnapshot({
      category,
      state: 'in_progress',
      openedAt: at(0).toISOString(),
    });
    const resolved = {
      ...opened,
      state: 'resolved' as const,
      resolvedAt: at(10).toISOString(),
      version: 2,
    };
    const reopened = {
      ...resolved,
      state: 'in_progress' as const,
      resolvedAt: null,
      reopenCount: 1,
      version: 3,
    };
    const cancelled = { ...reopened, state: 'cancelled' as const, version: 4 };
    await publish(
      producer,
      recordEvent(I.created, opened, ['title'], {}, at(0)),
      recordEvent(I.resolved, resolved, ['state'], { state: 'in_progress' }, at(10)),
      recordEvent(I.reopened, reopened, ['state', 'reopenCount'], { state: 'resolved' }, at(25)),
      recordEvent(I.stateChanged, cancelled, ['state'], { state: 'in_progress' }, at(30)),
    );
    const events = await eventsOf(opened.id, (all) =>
      all.some((event) => event.type === S.cancelled),
    );
    expect(events.map((event) => [event.type, event.timer.slaId])).toEqual([
      [S.started, resolution],
      [S.met, resolution],
      [S.resumed, resolution],
      [S.cancelled, resolution],
    ]);
    // 10 minutes to resolution, 5 more after the reopen: the 15 minutes resolved do not count.
    expect(events[3].timer).toMatchObject({ state: 'cancelled', elapsedMs: 15 * 60_000 });
  });

  it('a service request is measured from submission to fulfilment', async () => {
    const category = isolatedCategory();
    const fulfilment = await defineSla(slm.url, {
      name: `${category} fulfilment`,
      target: 'resolution',
      appliesTo: { recordType: 'request', category },
      duration: 'P2D',
    });
    const start = Date.now() - 60 * 60_000;
    const request = incidentSnapshot({
      type: 'request',
      number: 'REQ0999999',
      category,
      state: 'submitted',
      openedAt: new Date(start).toISOString(),
    });
    const fulfilled = { ...request, state: 'fulfilled' as const, version: 2 };
    await publish(
      producer,
      recordEvent(R.created, request, ['title'], {}, new Date(start)),
      recordEvent(
        R.fulfilled,
        fulfilled,
        ['state'],
        { state: 'submitted' },
        new Date(start + 90 * 60_000),
      ),
    );
    const events = await eventsOf(request.id, (all) => all.some((event) => event.type === S.met));
    expect(events.map((event) => [event.type, event.timer.slaId, event.timer.recordType])).toEqual([
      [S.started, fulfilment, 'request'],
      [S.met, fulfilment, 'request'],
    ]);
    expect(events[1].timer.elapsedMs).toBe(90 * 60_000);
  });

  it('a record first heard of after its creation gets its timers from its opening', async () => {
    const category = isolatedCategory();
    await defineSla(slm.url, {
      name: `${category} resolution`,
      target: 'resolution',
      appliesTo: { category },
      duration: 'PT8H',
    });
    const openedAt = new Date(Date.now() - 2 * 3_600_000);
    const incident = incidentSnapshot({
      category,
      state: 'on_hold',
      holdReason: 'awaiting_vendor',
      openedAt: openedAt.toISOString(),
      version: 4,
    });
    await publish(producer, recordEvent(I.updated, incident, ['title']));
    const events = await eventsOf(incident.id, (all) =>
      all.some((event) => event.type === S.paused),
    );
    expect(events.map((event) => event.type)).toEqual([S.started, S.paused]);
    expect(events[0].timer.startedAt).toBe(openedAt.toISOString());
  });

  it('a short SLA on a P1 incident warns, then breaches after its due time', async () => {
    const category = isolatedCategory();
    await defineSla(slm.url, {
      name: `${category} P1 resolution`,
      target: 'resolution',
      appliesTo: { category, priorities: ['P1'] },
      duration: 'PT8S',
    });
    const incident = incidentSnapshot({ category, priority: 'P1', impact: 1, urgency: 1 });
    await publish(
      producer,
      recordEvent(I.created, incident, ['title'], {}, new Date(incident.openedAt)),
    );
    const events = await eventsOf(incident.id, (all) =>
      all.some((event) => event.type === S.breached),
    );
    expect(events.map((event) => [event.type, event.threshold])).toEqual([
      [S.started, undefined],
      [S.warning, 50],
      [S.warning, 75],
      [S.warning, 90],
      [S.breached, undefined],
    ]);
    const breach = events[4];
    const dueAt = Date.parse(breach.timer.dueAt!);
    expect(dueAt).toBe(Date.parse(incident.openedAt) + 8000);
    expect(Date.parse(breach.timer.breachedAt!)).toBeGreaterThanOrEqual(dueAt);
    expect(Date.parse(breach.time)).toBeGreaterThanOrEqual(dueAt);
    process.stdout.write(
      `breach of an 8 s SLA recorded ${Date.parse(breach.timer.breachedAt!) - dueAt} ms after its due time\n`,
    );
    const [timer] = await timersOf(slm.url, incident.id);
    expect(timer).toMatchObject({ state: 'breached', breachedAt: breach.timer.breachedAt });
    expect(timer.percentUsed).toBeGreaterThanOrEqual(100);
  });

  it('lists the timers due soonest first: breached ones still counting, then those due before the instant asked, page by page', async () => {
    const category = isolatedCategory();
    const slaId = await defineSla(slm.url, {
      name: `${category} resolution`,
      target: 'resolution',
      appliesTo: { category },
      duration: 'PT1H',
    });
    const openedMinutesAgo = (minutes: number, fields: Partial<IncidentSnapshot> = {}) =>
      incidentSnapshot({
        category,
        openedAt: new Date(Date.now() - minutes * 60_000).toISOString(),
        ...fields,
      });
    const overdue = openedMinutesAgo(70);
    const dueSoon = openedMinutesAgo(50);
    const dueLater = openedMinutesAgo(10);
    const onHold = openedMinutesAgo(55, { state: 'on_hold', holdReason: 'awaiting_vendor' });
    await publish(
      producer,
      ...[overdue, dueSoon, dueLater, onHold].map((incident) =>
        recordEvent(I.created, incident, ['title'], {}, new Date(incident.openedAt)),
      ),
    );
    const dueBefore = new Date(Date.now() + 30 * 60_000).toISOString();
    const dueOrder = (query: Record<string, string | number>) =>
      asServiceLevelManager(slm.url)
        .get('/api/v1/sla-timers')
        .query({ slaId, sort: 'dueAt', ...query });
    const page = async (query: Record<string, string | number>) =>
      (await dueOrder(query).expect(200)).body as {
        items: TimerView[];
        nextCursor: string | null;
      };
    const breaching = await eventually(
      async () => {
        const { items } = await page({ dueBefore });
        return items.length === 2 && items[0].state === 'breached' ? items : undefined;
      },
      { description: 'the breached and the soon-due timer in due order' },
    );
    expect(breaching.map((timer) => timer.recordId)).toEqual([overdue.id, dueSoon.id]);
    expect(breaching.map((timer) => timer.state)).toEqual(['breached', 'running']);

    // Without `dueBefore`: every counting timer, the paused one (no due time) left out.
    const everyCounting = await page({});
    expect(everyCounting.items.map((timer) => timer.recordId)).toEqual([
      overdue.id,
      dueSoon.id,
      dueLater.id,
    ]);
    const running = await page({ state: 'running' });
    expect(running.items.map((timer) => timer.recordId)).toEqual([dueSoon.id, dueLater.id]);
    // An empty state list filters nothing, as an absent one (it once reached SQL as `IN ()`).
    const ids = (items: TimerView[]) => items.map((timer) => timer.id);
    expect(ids((await page({ state: '' })).items)).toEqual(ids(everyCounting.items));
    expect((await page({ recordType: 'request' })).items).toEqual([]);

    const first = await page({ limit: 1 });
    const second = await page({ limit: 1, cursor: first.nextCursor! });
    const third = await page({ limit: 1, cursor: second.nextCursor! });
    expect([first, second, third].map(({ items }) => items[0].recordId)).toEqual([
      overdue.id,
      dueSoon.id,
      dueLater.id,
    ]);
    expect(third.nextCursor).toBeNull();

    for (const [field, value] of [
      ['sort', 'percentUsed'],
      ['state', 'running,late'],
      ['dueBefore', 'tomorrow'],
      ['recordType', 'problem'],
    ]) {
      const problem = await dueOrder({ [field]: value }).expect(400);
      expect(problem.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(problem.body)).toContain(field);
    }
  });

  it('on a business calendar: the due time skips nights, other weekdays and a holiday; elapsed time stands still outside working hours', async () => {
    const zone = 'Europe/Berlin';
    const today = DateTime.now().setZone(zone).startOf('day');
    // The one working weekday is the day before yesterday's: neither today nor tomorrow
    // (should the test run across midnight) is working time, so nothing may count now.
    const workday = today.minus({ days: 2 });
    const weekday = workday.setLocale('en-US').toFormat('cccc').toLowerCase();
    const holiday = workday.plus({ weeks: 1 });
    const calendarId = await defineCalendar(slm.url, {
      name: isolatedCategory(),
      timeZone: zone,
      workingHours: { [weekday]: [{ start: '09:00', end: '17:00' }] },
      holidays: [holiday.toISODate()],
    });
    const category = isolatedCategory();
    const slaId = await defineSla(slm.url, {
      name: `${category} resolution on ${weekday}s`,
      target: 'resolution',
      appliesTo: { category },
      duration: 'PT6H',
      calendarId,
    });
    const openedAt = workday.set({ hour: 13 }).toJSDate();
    const incident = incidentSnapshot({ category, openedAt: openedAt.toISOString() });
    await publish(producer, recordEvent(I.created, incident, ['title'], {}, openedAt));

    // 13:00–17:00 on the workday: 4 of the 6 hours. The next such weekday is the holiday,
    // so the remaining 2 hours are 09:00–11:00 a week later.
    const expectedDue = workday.plus({ weeks: 2 }).set({ hour: 11 }).toJSDate().toISOString();
    const first = await eventually(async () => {
      const [timer] = await timersOf(slm.url, incident.id);
      return timer?.slaId === slaId ? timer : undefined;
    });
    expect(first).toMatchObject({
      state: 'running',
      startedAt: openedAt.toISOString(),
      dueAt: expectedDue,
      elapsedMs: 4 * 3_600_000,
      percentUsed: 66.67,
    });
    // The 50 % warning came on the workday; 75 % lies in working time still ahead.
    const events = await eventsOf(incident.id, (all) =>
      all.some((event) => event.type === S.warning),
    );
    expect(events.map((event) => [event.type, event.threshold])).toEqual([
      [S.started, undefined],
      [S.warning, 50],
    ]);
    const [again] = await timersOf(slm.url, incident.id);
    expect([again.elapsedMs, again.dueAt, again.state]).toEqual([
      4 * 3_600_000,
      expectedDue,
      'running',
    ]);
  });

  it('custom start, pause, stop and cancel conditions decide what each timer does', async () => {
    const category = isolatedCategory();
    const standard = await defineSla(slm.url, {
      name: `${category} A defaults`,
      target: 'resolution',
      appliesTo: { category },
      duration: 'PT8H',
    });
    // Counts from the start of work to closure, on hold included, but not while resolved.
    const workToClosure = await defineSla(slm.url, {
      name: `${category} B work to closure`,
      target: 'resolution',
      appliesTo: { category },
      duration: 'PT8H',
      startCondition: { states: ['in_progress'] },
      pauseStates: ['resolved'],
      stopCondition: { states: ['closed'], onFirstResponse: false },
    });
    // Met only by a resolution; a closure without one cancels it, and `cancelled` does not.
    const resolvedOrNothing = await defineSla(slm.url, {
      name: `${category} C resolved or nothing`,
      target: 'resolution',
      appliesTo: { category },
      duration: 'PT8H',
      stopCondition: { states: ['resolved'], onFirstResponse: false },
      cancelCondition: { states: ['closed'] },
    });

    const start = Date.now() - 2 * 3_600_000;
    const at = (minutes: number) => new Date(start + minutes * 60_000);
    const lifeOf = async (...steps: [number, Partial<IncidentSnapshot>][]) => {
      let record = incidentSnapshot({ category, openedAt: at(0).toISOString() });
      const events = [recordEvent(I.created, record, ['title'], {}, at(0))];
      for (const [minutes, fields] of steps) {
        record = { ...record, ...fields, version: record.version + 1 };
        events.push(recordEvent(I.stateChanged, record, ['state'], {}, at(minutes)));
      }
      await publish(producer, ...events);
      return record.id;
    };
    const resolvedThenClosed = await lifeOf(
      [10, { state: 'in_progress' }],
      [20, { state: 'on_hold', holdReason: 'awaiting_caller' }],
      [35, { state: 'in_progress', holdReason: null }],
      [40, { state: 'resolved' }],
      [60, { state: 'closed' }],
    );
    const closedUnresolved = await lifeOf(
      [10, { state: 'in_progress' }],
      [30, { state: 'closed' }],
    );
    const cancelledAtOnce = await lifeOf([5, { state: 'cancelled' }]);

    /** Per definition, what happened to the record's timer: event types with the time used. */
    const story = async (recordId: string, endings: number) => {
      const events = await eventsOf(
        recordId,
        (all) =>
          all.filter((event) => event.type === S.met || event.type === S.cancelled).length >=
          endings,
      );
      const bySla = new Map<string, [string, number][]>();
      for (const event of events)
        bySla.set(event.timer.slaId, [
          ...(bySla.get(event.timer.slaId) ?? []),
          [event.type, event.timer.elapsedMs / 60_000],
        ]);
      return Object.fromEntries(bySla);
    };

    expect(await story(resolvedThenClosed, 3)).toEqual({
      [standard]: [
        [S.started, 0],
        [S.paused, 20],
        [S.resumed, 20],
        [S.met, 25],
      ],
      [workToClosure]: [
        [S.started, 0],
        [S.paused, 30],
        [S.met, 30],
      ],
      [resolvedOrNothing]: [
        [S.started, 0],
        [S.paused, 20],
        [S.resumed, 20],
        [S.met, 25],
      ],
    });
    const [paused] = (await slaEventsAbout([resolvedThenClosed])).filter(
      (event) => event.type === S.paused && event.timer.slaId === workToClosure,
    );
    expect(paused.timer).toMatchObject({ pauseReason: 'resolved', dueAt: null });
    expect(
      (await timersOf(slm.url, resolvedThenClosed)).find((timer) => timer.slaId === workToClosure),
    ).toMatchObject({ startedAt: at(10).toISOString(), state: 'met' });

    expect(await story(closedUnresolved, 3)).toEqual({
      [standard]: [
        [S.started, 0],
        [S.met, 30],
      ],
      [workToClosure]: [
        [S.started, 0],
        [S.met, 20],
      ],
      [resolvedOrNothing]: [
        [S.started, 0],
        [S.cancelled, 30],
      ],
    });

    // Cancelled before any work: the standard timer is cancelled, the work timer never
    // starts, and for the third `cancelled` is neither a stop nor a cancel: it runs on.
    expect(await story(cancelledAtOnce, 1)).toEqual({
      [standard]: [
        [S.started, 0],
        [S.cancelled, 5],
      ],
      [resolvedOrNothing]: [[S.started, 0]],
    });
    const timers = await timersOf(slm.url, cancelledAtOnce);
    expect(timers.map((timer) => [timer.slaId, timer.state]).sort()).toEqual(
      [
        [standard, 'cancelled'],
        [resolvedOrNothing, 'running'],
      ].sort(),
    );
  });

  it('re-targeted to a target already partly or wholly used, the passed thresholds and the breach come with the re-targeting', async () => {
    const category = isolatedCategory();
    await defineSla(slm.url, {
      name: `${category} P3 resolution`,
      target: 'resolution',
      appliesTo: { category, priorities: ['P3'] },
      duration: 'PT8H',
    });
    const p1 = await defineSla(slm.url, {
      name: `${category} P1 resolution`,
      target: 'resolution',
      appliesTo: { category, priorities: ['P1'] },
      duration: 'PT1H',
    });
    const now = Date.now();
    const ago = (minutes: number) => new Date(now - minutes * 60_000);
    /** Opened `openedMinutesAgo` as P3, raised to P1 `raisedMinutesAgo`: the record and both event ids. */
    const raised = async (openedMinutesAgo: number, raisedMinutesAgo: number) => {
      const p3 = incidentSnapshot({
        category,
        priority: 'P3',
        openedAt: ago(openedMinutesAgo).toISOString(),
      });
      const create = recordEvent(I.created, p3, ['title'], {}, ago(openedMinutesAgo));
      const raise = recordEvent(
        I.priorityChanged,
        { ...p3, priority: 'P1', impact: 1, urgency: 1, version: 2 },
        ['priority'],
        { priority: 'P3' },
        ago(raisedMinutesAgo),
      );
      await publish(producer, create, raise);
      return { recordId: p3.id, createId: create.id, raiseId: raise.id };
    };
    // 40 minutes used of the new hour: 50 % is passed, 75 % lies 5 minutes ahead.
    const partly = await raised(40, 0);
    // 120 minutes used of the new hour, 30 minutes ago: every threshold and the due time passed.
    const wholly = await raised(150, 30);

    // Announced in the re-targeting's transaction: caused by the priority change, not by a
    // scheduler round (whose events have no cause).
    const partlyEvents = await eventsOf(partly.recordId, (all) =>
      all.some((event) => event.type === S.warning),
    );
    expect(partlyEvents.map((event) => [event.type, event.threshold, event.causationId])).toEqual([
      [S.started, undefined, partly.createId],
      [S.retargeted, undefined, partly.raiseId],
      [S.warning, 50, partly.raiseId],
    ]);
    const [partlyTimer] = await timersOf(slm.url, partly.recordId);
    expect(partlyTimer).toMatchObject({ slaId: p1, state: 'running' });
    expect(partlyTimer.percentUsed).toBeLessThan(75);

    const whollyEvents = await eventsOf(wholly.recordId, (all) =>
      all.some((event) => event.type === S.breached),
    );
    expect(whollyEvents.map((event) => [event.type, event.threshold, event.causationId])).toEqual([
      [S.started, undefined, wholly.createId],
      [S.retargeted, undefined, wholly.raiseId],
      [S.warning, 50, wholly.raiseId],
      [S.warning, 75, wholly.raiseId],
      [S.warning, 90, wholly.raiseId],
      [S.breached, undefined, wholly.raiseId],
    ]);
    // Due the moment the re-targeting happened: the time used already exceeded the hour.
    const breach = whollyEvents[5];
    expect(breach.timer).toMatchObject({
      slaId: p1,
      state: 'breached',
      dueAt: ago(30).toISOString(),
    });
    expect(Date.parse(breach.timer.breachedAt!)).toBeGreaterThanOrEqual(ago(30).getTime());
  });

  it('every incident and request event type, delivered twice, has its effect once', async () => {
    const category = isolatedCategory();
    const sla = await defineSla(slm.url, {
      name: `${category} A resolution`,
      target: 'resolution',
      appliesTo: { category },
      duration: 'PT8H',
    });
    const olaFor = (group: string) =>
      defineSla(slm.url, {
        name: `${category} B ${group}`,
        kind: 'ola',
        target: 'resolution',
        appliesTo: { category, assignmentGroup: group },
        duration: 'PT4H',
      });
    const networkOla = await olaFor('network');
    const databaseOla = await olaFor('database');

    let incident = incidentSnapshot({ category });
    const next = (fields: Partial<IncidentSnapshot>) =>
      (incident = { ...incident, ...fields, version: incident.version + 1 });
    const twice = (type: string, record: IncidentSnapshot) => {
      const event = recordEvent(type, record, ['state']);
      return [event, event];
    };
    await publish(producer, ...twice(I.created, incident));
    await publish(producer, ...twice(I.assigned, next({ assignmentGroup: 'network' })));
    await publish(producer, ...twice(I.assigned, next({ assignmentGroup: 'database' })));
    await publish(producer, ...twice(I.updated, next({ title: 'Renamed' })));
    await publish(producer, ...twice(I.majorDeclared, next({ major: true })));
    const resolved = next({ state: 'resolved' });
    await publish(producer, ...twice(I.stateChanged, resolved), ...twice(I.resolved, resolved));
    await publish(producer, ...twice(I.reopened, next({ state: 'in_progress', reopenCount: 1 })));
    await publish(producer, ...twice(I.resolved, next({ state: 'resolved' })));
    await publish(producer, ...twice(I.closed, next({ state: 'closed' })));

    const incidentEvents = await eventsOf(
      incident.id,
      (all) => all.filter((event) => event.type === S.met).length >= 4,
    );
    expect(incidentEvents.map((event) => [event.type, event.timer.slaId])).toEqual([
      [S.started, sla],
      [S.started, networkOla],
      [S.cancelled, networkOla],
      [S.started, databaseOla],
      [S.met, sla],
      [S.met, databaseOla],
      [S.resumed, sla],
      [S.resumed, databaseOla],
      [S.met, sla],
      [S.met, databaseOla],
    ]);

    const requestCategory = isolatedCategory();
    const forPriority = (priority: string) =>
      defineSla(slm.url, {
        name: `${requestCategory} ${priority}`,
        target: 'resolution',
        appliesTo: { recordType: 'request', category: requestCategory, priorities: [priority] },
        duration: 'P1D',
      });
    const p5 = await forPriority('P5');
    const p2 = await forPriority('P2');
    let request = incidentSnapshot({
      type: 'request',
      number: 'REQ0999998',
      category: requestCategory,
      state: 'submitted',
    });
    const nextRequest = (fields: Partial<IncidentSnapshot>) =>
      (request = { ...request, ...fields, version: request.version + 1 });
    await publish(producer, ...twice(R.created, request));
    await publish(producer, ...twice(R.assigned, nextRequest({ assignmentGroup: 'service-desk' })));
    await publish(producer, ...twice(R.updated, nextRequest({ title: 'New laptop, 16 GB' })));
    await publish(
      producer,
      ...twice(R.priorityChanged, nextRequest({ priority: 'P2', impact: 1, urgency: 2 })),
    );
    await publish(producer, ...twice(R.stateChanged, nextRequest({ state: 'approved' })));
    await publish(producer, ...twice(R.fulfilled, nextRequest({ state: 'fulfilled' })));
    await publish(producer, ...twice(R.closed, nextRequest({ state: 'closed' })));
    const requestEvents = await eventsOf(request.id, (all) =>
      all.some((event) => event.type === S.met),
    );
    expect(requestEvents.map((event) => [event.type, event.timer.slaId])).toEqual([
      [S.started, p5],
      [S.retargeted, p2],
      [S.met, p2],
    ]);
  });
});
