import { Validator } from '@seriousme/openapi-schema-validator';
import { type Producer } from 'kafkajs';
import { EventTypes } from '@itsm/contracts';
import { INTERNAL_OPENAPI_PATH } from '@itsm/platform';
import {
  OpenApiConformance,
  ServiceProcess,
  connectedProducer,
  eventually,
  incidentSnapshot,
  testKafka,
} from '@itsm/testing';
import {
  asServiceLevelManager,
  defineSla,
  isolatedCategory,
  publish,
  recordEvent,
  timersOf,
  type TimerView,
} from './support/slm-test-kit';

const I = EventTypes.incident;

describe('the slm API', () => {
  let slm: ServiceProcess;
  let producer: Producer;

  beforeAll(async () => {
    slm = await ServiceProcess.start('slm');
    producer = await connectedProducer(testKafka());
  });

  afterAll(async () => {
    await producer?.disconnect();
    await slm?.stop();
  });

  const api = () => asServiceLevelManager(slm.url);
  const fieldsAtFault = (body: unknown) =>
    ((body as { errors?: { field: string }[] }).errors ?? []).map((error) => error.field);

  describe('business calendars', () => {
    it('has a built-in 24x7 calendar, addressable by name, that cannot be changed', async () => {
      const response = await api().get('/api/v1/calendars/24x7').expect(200);
      expect(response.body).toMatchObject({ name: '24x7', builtIn: true, timeZone: 'UTC' });
      const byId = await api()
        .get(`/api/v1/calendars/${(response.body as { id: string }).id}`)
        .expect(200);
      expect(byId.body).toEqual(response.body);
      await api()
        .patch('/api/v1/calendars/24x7')
        .set('If-Match', response.headers.etag)
        .send({ timeZone: 'Europe/Berlin' })
        .expect(409);
    });

    it('refuses a calendar with an unknown zone or overlapping hours, naming the fields, and records nothing', async () => {
      const name = isolatedCategory();
      const response = await api()
        .post('/api/v1/calendars')
        .send({
          name,
          timeZone: 'Mars/Olympus_Mons',
          workingHours: {
            monday: [
              { start: '09:00', end: '13:00' },
              { start: '12:00', end: '17:00' },
            ],
            tuesday: [{ start: '9am', end: '17:00' }],
          },
          holidays: ['2026-13-45'],
        })
        .expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(fieldsAtFault(response.body)).toEqual(['workingHours.tuesday[0].start']);
      const domain = await api()
        .post('/api/v1/calendars')
        .send({
          name,
          timeZone: 'Mars/Olympus_Mons',
          workingHours: {
            monday: [
              { start: '09:00', end: '13:00' },
              { start: '12:00', end: '17:00' },
            ],
          },
          holidays: ['2026-13-45'],
        })
        .expect(400);
      expect(fieldsAtFault(domain.body)).toEqual([
        'timeZone',
        'workingHours.monday',
        'holidays[0]',
      ]);
      const list = await api().get('/api/v1/calendars').query({ limit: 500 }).expect(200);
      expect(
        (list.body as { items: { name: string }[] }).items.map((item) => item.name),
      ).not.toContain(name);
    });

    // Each was a 500 the fuzzer found: the service read a field the validation had let through.
    it.each([
      ['without working hours', {}, 'workingHours'],
      ['with a day of null', { workingHours: { sunday: null } }, 'workingHours.sunday'],
    ])('refuses a calendar %s with a 400 naming the field', async (_, fields, field) => {
      const response = await api()
        .post('/api/v1/calendars')
        .send({ name: isolatedCategory(), timeZone: 'Europe/Berlin', ...fields })
        .expect(400);
      expect(new Set(fieldsAtFault(response.body))).toEqual(new Set([field]));
    });

    it('changes a calendar only with the ETag it was read with', async () => {
      const created = await api()
        .post('/api/v1/calendars')
        .send({
          name: isolatedCategory(),
          timeZone: 'Europe/Berlin',
          workingHours: { monday: [{ start: '09:00', end: '17:00' }] },
        })
        .expect(201);
      expect(created.headers.etag).toBe('"1"');
      const path = `/api/v1/calendars/${(created.body as { id: string }).id}`;
      await api()
        .patch(path)
        .send({ holidays: ['2026-12-25'] })
        .expect(428);
      await api()
        .patch(path)
        .set('If-Match', '"7"')
        .send({ holidays: ['2026-12-25'] })
        .expect(412);
      const changed = await api()
        .patch(path)
        .set('If-Match', '"1"')
        .send({ holidays: ['2026-12-25'] })
        .expect(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toMatchObject({
        holidays: ['2026-12-25'],
        timeZone: 'Europe/Berlin',
        version: 2,
      });
    });
  });

  describe('SLA definitions', () => {
    it('fills in the documented defaults', async () => {
      const category = isolatedCategory();
      const id = await defineSla(slm.url, {
        name: category,
        target: 'response',
        appliesTo: { category },
        duration: 'PT8S',
      });
      const response = await api().get(`/api/v1/slas/${id}`).expect(200);
      expect(response.body).toMatchObject({
        kind: 'sla',
        version: 1,
        durationMs: 8000,
        appliesTo: { recordType: 'incident', priorities: [], businessServiceId: null },
        pauseStates: ['on_hold'],
        warningThresholds: [50, 75, 90],
        startCondition: {
          states: ['new', 'in_progress', 'on_hold', 'submitted', 'approved', 'fulfilling'],
        },
        stopCondition: { onFirstResponse: true },
        cancelCondition: { states: ['cancelled', 'rejected'] },
      });
    });

    it('refuses a bad duration, calendar or threshold, naming each field', async () => {
      const response = await api()
        .post('/api/v1/slas')
        .send({
          name: 'bad',
          target: 'resolution',
          duration: 'P1M',
          calendarId: 'nowhere',
          warningThresholds: [50, 150],
        })
        .expect(400);
      expect(fieldsAtFault(response.body)).toEqual(['warningThresholds']);
      const domain = await api()
        .post('/api/v1/slas')
        .send({ name: 'bad', target: 'resolution', duration: 'P1M', calendarId: 'nowhere' })
        .expect(400);
      expect(fieldsAtFault(domain.body)).toEqual(['duration', 'calendarId']);
    });

    it('a change is a new version; a running timer keeps the version it started with', async () => {
      const category = isolatedCategory();
      const id = await defineSla(slm.url, {
        name: category,
        target: 'resolution',
        appliesTo: { category },
        duration: 'PT1H',
      });
      const first = incidentSnapshot({ category });
      await publish(
        producer,
        recordEvent(I.created, first, ['title'], {}, new Date(first.openedAt)),
      );
      // The first event this slm consumes: on a busy machine its group may still be joining.
      const [before] = await eventually(
        async () => {
          const timers = await timersOf(slm.url, first.id);
          return timers.length > 0 ? timers : undefined;
        },
        { timeoutMs: 60_000, description: 'the timer of the first incident' },
      );
      await api().patch(`/api/v1/slas/${id}`).send({ duration: 'PT2H' }).expect(428);
      const changed = await api()
        .patch(`/api/v1/slas/${id}`)
        .set('If-Match', '"1"')
        .send({ duration: 'PT2H' })
        .expect(200);
      expect(changed.headers.etag).toBe('"2"');
      const versions = await api().get(`/api/v1/slas/${id}/versions`).expect(200);
      expect(
        (versions.body as { items: { version: number; duration: string }[] }).items.map((v) => [
          v.version,
          v.duration,
        ]),
      ).toEqual([
        [1, 'PT1H'],
        [2, 'PT2H'],
      ]);
      const document = await OpenApiConformance.of(slm.url);
      expect(
        document.errors('get', '/api/v1/slas/{id}/versions', 200, versions.body as unknown),
      ).toEqual([]);
      // 4864844357 is beyond the integer column: the fuzzer's request failed the query (a 500).
      for (const version of ['0', '4864844357', '1.5']) {
        const beyond = await api().get(`/api/v1/slas/${id}/versions/${version}`).expect(400);
        expect(fieldsAtFault(beyond.body)).toEqual(['version']);
      }

      const second = incidentSnapshot({ category });
      await publish(
        producer,
        recordEvent(I.created, second, ['title'], {}, new Date(second.openedAt)),
      );
      const [after] = await eventually(async () => {
        const timers = await timersOf(slm.url, second.id);
        return timers.length > 0 ? timers : undefined;
      });
      const [stillFirst] = await timersOf(slm.url, first.id);
      expect([
        before.slaVersion,
        stillFirst.slaVersion,
        stillFirst.durationMs,
        stillFirst.dueAt,
      ]).toEqual([1, 1, 3_600_000, before.dueAt]);
      expect([after.slaVersion, after.durationMs]).toEqual([2, 7_200_000]);
    });
  });

  it('reports compliance per definition: met, breached, in flight, share met and time used', async () => {
    const category = isolatedCategory();
    const slaId = await defineSla(slm.url, {
      name: category,
      target: 'resolution',
      appliesTo: { category },
      duration: 'PT1H',
    });
    const now = Date.now();
    const minutesAgo = (minutes: number) => new Date(now - minutes * 60_000);
    // Resolved before it is due, so that no scheduler round can find it overdue first.
    const metInTime = incidentSnapshot({
      category,
      assignmentGroup: 'network',
      openedAt: minutesAgo(40).toISOString(),
    });
    const late = incidentSnapshot({
      category,
      assignmentGroup: 'network',
      openedAt: minutesAgo(180).toISOString(),
    });
    const open = incidentSnapshot({
      category,
      assignmentGroup: 'database',
      openedAt: minutesAgo(10).toISOString(),
    });
    await publish(
      producer,
      recordEvent(I.created, metInTime, ['title'], {}, minutesAgo(40)),
      recordEvent(
        I.resolved,
        { ...metInTime, state: 'resolved', version: 2 },
        ['state'],
        {},
        minutesAgo(10),
      ),
      recordEvent(I.created, late, ['title'], {}, minutesAgo(180)),
      recordEvent(I.created, open, ['title'], {}, minutesAgo(10)),
    );
    // The late one breaches at once (its hour passed long ago); then it is resolved.
    await eventually(async () => {
      const [timer] = await timersOf(slm.url, late.id);
      return timer?.state === 'breached' ? timer : undefined;
    });
    await publish(
      producer,
      recordEvent(
        I.resolved,
        { ...late, state: 'resolved', version: 2 },
        ['state'],
        {},
        minutesAgo(0),
      ),
    );
    await eventually(async () => {
      const [timer]: TimerView[] = await timersOf(slm.url, late.id);
      return timer?.stoppedAt ? timer : undefined;
    });

    const query = {
      from: minutesAgo(24 * 60).toISOString(),
      to: new Date(now + 60_000).toISOString(),
      slaId,
    };
    const bySla = await api().get('/api/v1/sla-compliance').query(query).expect(200);
    const [item] = (bySla.body as { items: Record<string, unknown>[] }).items;
    expect(item).toMatchObject({
      slaId,
      slaName: category,
      met: 1,
      breached: 1,
      inFlight: 1,
      cancelled: 0,
      shareMet: 0.5,
    });
    // Time used over the two finished timers: 50 % and 300 %.
    expect(item.meanPercentUsed).toBeCloseTo(175, 0);
    expect(item.meanElapsedMs).toBeCloseTo(105 * 60_000, -4);
    // The fixture of every figure and grouping is in sla-compliance.integration-spec.ts.

    const byGroup = await api()
      .get('/api/v1/sla-compliance')
      .query({ ...query, groupBy: 'group', period: 'day' })
      .expect(200);
    const groups = (
      byGroup.body as {
        items: { assignmentGroup: string; met: number; breached: number; inFlight: number }[];
      }
    ).items;
    expect(
      groups
        .map((group) => [group.assignmentGroup, group.met, group.breached, group.inFlight])
        .sort(),
    ).toEqual(expect.arrayContaining([['database', 0, 0, 1]]));
    expect(
      groups
        .filter((group) => group.assignmentGroup === 'network')
        .reduce((sum, group) => sum + group.met + group.breached, 0),
    ).toBe(2);

    await api()
      .get('/api/v1/sla-compliance')
      .query({ ...query, groupBy: 'colour' })
      .expect(400);
  });

  it('documents every route in a valid OpenAPI 3.1 document', async () => {
    const response = await api().get(INTERNAL_OPENAPI_PATH).expect(200);
    const document = response.body as { paths: Record<string, unknown> };
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors).toBeUndefined();
    const publicPaths = Object.keys(document.paths).filter((path) => path.startsWith('/api/v1/'));
    expect(publicPaths.sort()).toEqual([
      '/api/v1/calendars',
      '/api/v1/calendars/{id}',
      '/api/v1/operations/dead-letters/slm',
      '/api/v1/operations/dead-letters/slm/{id}',
      '/api/v1/operations/dead-letters/slm/{id}/discard',
      '/api/v1/operations/dead-letters/slm/{id}/replay',
      '/api/v1/operations/outbox/slm',
      '/api/v1/operations/outbox/slm/{id}',
      '/api/v1/operations/outbox/slm/{id}/retry',
      '/api/v1/sla-compliance',
      '/api/v1/sla-timers',
      '/api/v1/sla-timers/{id}',
      '/api/v1/slas',
      '/api/v1/slas/{id}',
      '/api/v1/slas/{id}/versions',
      '/api/v1/slas/{id}/versions/{version}',
    ]);
  });
});
