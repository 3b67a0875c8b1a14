import { randomUUID } from 'node:crypto';
import { type Producer } from 'kafkajs';
import { Client } from 'pg';
import {
  ALL_DOMAIN_TOPICS,
  Topics,
  toKafkaRecord,
  type ChangeSnapshot,
  type CiSnapshot,
  type IncidentSnapshot,
  type ItsmCloudEvent,
  type KnownErrorSnapshot,
  type ProblemSnapshot,
  type SlaTimerSnapshot,
} from '@itsm/contracts';
import {
  OpenApiConformance,
  ServiceProcess,
  changeSnapshot,
  cloudEvent,
  connectedProducer,
  directClient,
  eventually,
  incidentSnapshot,
  problemSnapshot,
  queryTestDatabase,
  testEnvironment,
  testKafka,
  untilConsumerCaughtUp,
} from '@itsm/testing';

type Row = Record<string, unknown>;

const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** An event as its service publishes it, at a given time. */
function eventAt<T>(type: string, source: string, subject: string, time: string, data: T) {
  return { ...cloudEvent(type, source, subject, data), time };
}

function recordEvent(
  happening: string,
  record: IncidentSnapshot,
  previous: Record<string, unknown> = {},
): ItsmCloudEvent {
  return eventAt(
    `itsm.${record.type}.${happening}.v1`,
    '/itsm/incident',
    record.id,
    record.updatedAt,
    {
      [record.type]: record,
      changedFields: Object.keys(previous),
      previous,
    },
  );
}

async function factRow(table: string, key: string, id: string): Promise<Row | undefined> {
  const [row] = await queryTestDatabase<Row>(`SELECT * FROM reporting.${table} WHERE ${key} = $1`, [
    id,
  ]);
  return row;
}

async function archived(eventId: string): Promise<boolean> {
  const rows = await queryTestDatabase(
    'SELECT 1 FROM reporting.event_archive WHERE event_id = $1',
    [eventId],
  );
  return rows.length > 0;
}

describe('the read models (projections)', () => {
  let reporting: ServiceProcess;
  let producer: Producer;

  beforeAll(async () => {
    reporting = await ServiceProcess.start('reporting', {
      // Small, paused batches: a rebuild lasts long enough for events to arrive meanwhile.
      REPORTING_REBUILD_BATCH_SIZE: '25',
      REPORTING_REBUILD_PAUSE_MS: '60',
    });
    // Once: whatever the run published before this suite is behind the consumer, not in each wait.
    await untilConsumerCaughtUp('reporting', ALL_DOMAIN_TOPICS);
    producer = await connectedProducer(testKafka());
  });

  afterAll(async () => {
    await producer?.disconnect();
    await reporting?.stop();
  });

  const publish = async (topic: string, events: readonly ItsmCloudEvent[]) => {
    await producer.send({ topic, messages: events.map((event) => toKafkaRecord(event)) });
  };

  /** The row once the event with this id is archived (its projection committed with it). */
  const rowAfter = async (table: string, key: string, id: string, eventId: string) => {
    await eventually(async () => ((await archived(eventId)) ? true : undefined), {
      description: `event ${eventId} archived`,
    });
    return factRow(table, key, id);
  };

  const client = (username = 'admin') => directClient('reporting', reporting.url, username);

  const status = async (name: string) =>
    (await client('auditor').get(`/api/v1/reports/projections/${name}`).expect(200)).body as {
      status: string;
      version: number;
      eventsApplied: string;
      eventsSkipped: string;
      archiveSequence: string;
      positions: Record<string, string>;
      rebuild: {
        finishedAt: string | null;
        error: string | null;
        processed: number;
        total: number | null;
        percent: number | null;
      } | null;
    };

  describe('live', () => {
    it('follow an incident assigned, reassigned, resolved, reopened and resolved again', async () => {
      const incident = incidentSnapshot({
        openedAt: at(0),
        updatedAt: at(0),
        number: 'INC0700001',
      });
      const v = (version: number, minutes: number, fields: Partial<IncidentSnapshot>) => ({
        ...incident,
        version,
        updatedAt: at(minutes),
        ...fields,
      });
      const events = [
        recordEvent('created', incident),
        recordEvent(
          'assigned',
          v(2, 5, { assignmentGroup: 'service-desk', state: 'in_progress' }),
          {
            assignmentGroup: null,
          },
        ),
        recordEvent('assigned', v(3, 20, { assignmentGroup: 'network', state: 'in_progress' }), {
          assignmentGroup: 'service-desk',
        }),
        recordEvent(
          'resolved',
          v(4, 60, {
            assignmentGroup: 'network',
            state: 'resolved',
            resolvedAt: at(60),
            resolutionCode: 'fixed',
          }),
          { state: 'in_progress' },
        ),
        recordEvent(
          'reopened',
          v(5, 90, { assignmentGroup: 'network', state: 'in_progress', reopenCount: 1 }),
          { state: 'resolved' },
        ),
        recordEvent(
          'resolved',
          v(6, 120, {
            assignmentGroup: 'network',
            state: 'resolved',
            reopenCount: 1,
            resolvedAt: at(120),
            resolutionCode: 'fixed',
          }),
          { state: 'in_progress' },
        ),
      ];
      await publish(Topics.incidentEvents, events);
      const row = await rowAfter('service_record_facts', 'record_id', incident.id, events[5].id);
      expect(row).toMatchObject({
        record_type: 'incident',
        number: 'INC0700001',
        version: 6,
        state: 'resolved',
        assignment_group: 'network',
        resolution_code: 'fixed',
        reopen_count: 1,
        reassignment_versions: [3],
        resolved_version: 6,
        first_assigned_at: new Date(at(5)),
        resolved_at: new Date(at(120)),
        opened_at: new Date(at(0)),
        last_event_at: new Date(at(120)),
      });

      // The same event again, then an older version arriving late: the row stays as it is.
      const late = recordEvent('assigned', v(2, 5, { assignmentGroup: 'service-desk' }), {
        assignmentGroup: null,
      });
      const sentinel = recordEvent('updated', v(3, 20, { assignmentGroup: 'network' }), {
        title: 'x',
      });
      await publish(Topics.incidentEvents, [events[3], late, events[1], sentinel]);
      expect(await rowAfter('service_record_facts', 'record_id', incident.id, sentinel.id)).toEqual(
        row,
      );
    });

    it('follow a request to its fulfilment', async () => {
      const request = incidentSnapshot({
        type: 'request',
        number: 'REQ0700002',
        state: 'submitted',
        catalogItem: 'laptop',
        openedAt: at(0),
        updatedAt: at(0),
      });
      const fulfilled = {
        ...request,
        version: 3,
        state: 'fulfilled' as const,
        assignmentGroup: 'service-desk',
        resolvedAt: at(300),
        updatedAt: at(300),
      };
      const events = [
        recordEvent('created', request),
        recordEvent('fulfilled', fulfilled, { state: 'fulfilling' }),
      ];
      await publish(Topics.incidentEvents, events);
      expect(
        await rowAfter('service_record_facts', 'record_id', request.id, events[1].id),
      ).toMatchObject({
        record_type: 'request',
        catalog_item: 'laptop',
        state: 'fulfilled',
        resolved_version: 3,
        resolved_at: new Date(at(300)),
        reassignment_versions: [],
      });
    });

    it('follow a problem to its root cause', async () => {
      const problem = problemSnapshot({
        number: 'PRB0700003',
        state: 'new',
        openedAt: at(0),
        confirmedAt: null,
        confirmedBy: null,
        updatedAt: at(0),
        version: 1,
      });
      const next = (version: number, fields: Partial<ProblemSnapshot>): ProblemSnapshot => ({
        ...problem,
        version,
        ...fields,
      });
      const on = (happening: string, snapshot: ProblemSnapshot) =>
        eventAt(`itsm.problem.${happening}.v1`, '/itsm/problem', problem.id, snapshot.updatedAt, {
          problem: snapshot,
          changedFields: ['state'],
          previous: {},
        });
      const events = [
        on('created', problem),
        on(
          'state_changed',
          next(2, { state: 'root_cause_analysis', confirmedAt: at(30), updatedAt: at(30) }),
        ),
        on(
          'updated',
          next(3, {
            state: 'root_cause_analysis',
            confirmedAt: at(30),
            rootCauseIdentifiedAt: at(240),
            rootCauseIdentifiedBy: 'problem_manager',
            updatedAt: at(240),
          }),
        ),
      ];
      await publish(Topics.problemEvents, [events[0], events[2], events[1]]);
      expect(await rowAfter('problem_facts', 'problem_id', problem.id, events[1].id)).toMatchObject(
        {
          number: 'PRB0700003',
          version: 3,
          state: 'root_cause_analysis',
          opened_at: new Date(at(0)),
          confirmed_at: new Date(at(30)),
          root_cause_identified_at: new Date(at(240)),
          cancelled_at: null,
        },
      );
    });

    it('record a known error', async () => {
      const knownError: KnownErrorSnapshot = {
        id: randomUUID(),
        number: 'KE0700004',
        title: 'Ledger export deadlock',
        symptom: 'The export stops at 02:00',
        rootCause: null,
        workaround: 'Run it again at 03:00',
        solution: null,
        errorCode: 'ORA-00060',
        category: 'database',
        ciIds: [],
        ciClass: 'database',
        vendor: 'Oracle',
        model: null,
        version: null,
        problemId: null,
        validUntil: '2026-12-31T00:00:00.000Z',
        createdBy: 'problem_manager',
        createdAt: at(0),
        updatedAt: at(0),
        revision: 1,
      };
      const event = eventAt('itsm.known_error.created.v1', '/itsm/problem', knownError.id, at(0), {
        knownError,
        changedFields: [],
        previous: {},
      });
      await publish(Topics.problemEvents, [event]);
      expect(
        await rowAfter('known_error_facts', 'known_error_id', knownError.id, event.id),
      ).toMatchObject({
        number: 'KE0700004',
        revision: 1,
        error_code: 'ORA-00060',
        ci_class: 'database',
        valid_until: new Date('2026-12-31T00:00:00.000Z'),
      });
    });

    it('follow a change rejected once, then closed unsuccessful with the incidents it caused', async () => {
      const change = changeSnapshot({
        number: 'CHG0700005',
        state: 'new',
        approval: 'requested',
        closeCode: null,
        authorizedAt: null,
        actualStart: null,
        actualEnd: null,
        openedAt: at(0),
        updatedAt: at(0),
        version: 1,
      });
      const caused = randomUUID();
      const next = (version: number, minutes: number, fields: Partial<ChangeSnapshot>) => ({
        ...change,
        version,
        updatedAt: at(minutes),
        ...fields,
      });
      const on = (happening: string, snapshot: ChangeSnapshot, extra: object = {}) =>
        eventAt(`itsm.change.${happening}.v1`, '/itsm/change', change.id, snapshot.updatedAt, {
          change: snapshot,
          ...(happening.startsWith('incidents_') ? extra : { changedFields: [], previous: {} }),
        });
      const completed = next(5, 200, {
        state: 'review',
        approval: 'approved',
        authorizedAt: at(100),
        actualStart: at(150),
        actualEnd: at(200),
        closeCode: 'unsuccessful',
      });
      const events = [
        on('created', change),
        on('rejected', next(2, 30, { approval: 'rejected' })),
        on(
          'authorized',
          next(3, 100, { state: 'scheduled', approval: 'approved', authorizedAt: at(100) }),
        ),
        on('completed', completed),
        on(
          'incidents_linked',
          { ...completed, version: 6, causedIncidentIds: [caused] },
          {
            incidentIds: [caused],
            relation: 'caused',
          },
        ),
        on('closed', {
          ...completed,
          version: 7,
          state: 'closed',
          causedIncidentIds: [caused],
          closedAt: at(300),
          closedBy: 'change_manager',
          updatedAt: at(300),
        }),
      ];
      await publish(Topics.changeEvents, events);
      expect(await rowAfter('change_facts', 'change_id', change.id, events[5].id)).toMatchObject({
        number: 'CHG0700005',
        version: 7,
        state: 'closed',
        model: 'normal',
        close_code: 'unsuccessful',
        caused_incident_ids: [caused],
        rejection_versions: [2],
        rejection_count: 1,
        authorized_at: new Date(at(100)),
        actual_end: new Date(at(200)),
        closed_at: new Date(at(300)),
      });
    });

    it('keep an SLA breach once recorded, whatever arrives late', async () => {
      const timer: SlaTimerSnapshot = {
        id: randomUUID(),
        recordId: randomUUID(),
        recordType: 'incident',
        recordNumber: 'INC0700006',
        slaId: randomUUID(),
        slaVersion: 2,
        slaName: 'P2 resolution',
        target: 'resolution',
        state: 'running',
        startedAt: at(0),
        dueAt: at(240),
        elapsedMs: 0,
        percentUsed: 0,
        breachedAt: null,
        stoppedAt: null,
      };
      const on = (
        happening: string,
        minutes: number,
        fields: Partial<SlaTimerSnapshot>,
        extra = {},
      ) =>
        eventAt(`itsm.sla.${happening}.v1`, '/itsm/slm', timer.recordId, at(minutes), {
          timer: { ...timer, ...fields },
          ...extra,
        });
      const started = on('started', 0, {});
      const warning = on(
        'warning',
        180,
        { elapsedMs: 10_800_000, percentUsed: 75 },
        { threshold: 75 },
      );
      const breached = on('breached', 241, {
        state: 'breached',
        elapsedMs: 14_460_000,
        percentUsed: 100.42,
        breachedAt: at(241),
      });
      await publish(Topics.slaEvents, [started, breached, warning]);
      expect(await rowAfter('sla_timer_facts', 'timer_id', timer.id, warning.id)).toMatchObject({
        record_id: timer.recordId,
        sla_name: 'P2 resolution',
        sla_version: 2,
        state: 'breached',
        outcome: 'breached',
        breached_at: new Date(at(241)),
        stopped_at: null,
        due_at: new Date(at(240)),
        elapsed_ms: '14460000',
      });
    });

    it('record a CI and when it was retired', async () => {
      const ci: CiSnapshot = {
        id: randomUUID(),
        class: 'business_service',
        name: 'Payroll',
        status: 'operational',
        environment: 'production',
        ownerGroup: 'finance-it',
        restricted: false,
        criticality: 1,
        identifiers: {},
        attributes: {},
        sources: ['manual'],
        lastDiscoveredAt: at(10),
        createdAt: at(0),
        updatedAt: at(0),
        version: 1,
      };
      const on = (happening: string, snapshot: CiSnapshot) =>
        eventAt(`itsm.ci.${happening}.v1`, '/itsm/cmdb', ci.id, snapshot.updatedAt, {
          ci: snapshot,
          changedFields: [],
          previous: {},
          actor: 'configuration_manager',
          source: null,
        });
      const events = [
        on('created', ci),
        on('retired', { ...ci, status: 'retired', version: 2, updatedAt: at(600) }),
      ];
      await publish(Topics.cmdbEvents, events);
      expect(await rowAfter('ci_facts', 'ci_id', ci.id, events[1].id)).toMatchObject({
        name: 'Payroll',
        class: 'business_service',
        business_service: true,
        criticality: 1,
        status: 'retired',
        retired_at: new Date(at(600)),
        last_verified_at: new Date(at(10)),
        version: 2,
      });
    });

    it('skip and count an event of a schema version it has no reader for, and carry on', async () => {
      const before = await status('service_records');
      const incident = incidentSnapshot({
        number: 'INC0700007',
        openedAt: at(0),
        updatedAt: at(0),
      });
      const created = recordEvent('created', incident);
      // A future schema: a reader for it is not deployed yet.
      const future = {
        ...recordEvent('updated', {
          ...incident,
          version: 2,
          state: 'in_progress',
          updatedAt: at(5),
        }),
        type: 'itsm.incident.updated.v2',
      };
      const after = recordEvent('updated', {
        ...incident,
        version: 3,
        title: 'Later',
        updatedAt: at(9),
      });
      await publish(Topics.incidentEvents, [created, future, after]);
      const row = await rowAfter('service_record_facts', 'record_id', incident.id, after.id);
      expect(row).toMatchObject({ version: 3, state: 'new' });
      expect(await archived(future.id)).toBe(true);
      const now = await status('service_records');
      expect(BigInt(now.eventsSkipped) - BigInt(before.eventsSkipped)).toBe(1n);
      expect(BigInt(now.eventsApplied) - BigInt(before.eventsApplied)).toBe(2n);
      expect(Object.keys(now.positions).some((key) => key.startsWith(Topics.incidentEvents))).toBe(
        true,
      );
    });
  });

  describe('over HTTP', () => {
    it('lists every projection with its state', async () => {
      const response = await client('auditor').get('/api/v1/reports/projections').expect(200);
      const items = (response.body as { items: { name: string; table: string }[] }).items;
      const document = await OpenApiConformance.of(reporting.url);
      expect(document.errors('get', '/api/v1/reports/projections', 200, response.body)).toEqual([]);
      const one = await client('auditor').get('/api/v1/reports/projections/cmdb').expect(200);
      expect(document.errors('get', '/api/v1/reports/projections/{name}', 200, one.body)).toEqual(
        [],
      );
      expect(items.map((item) => [item.name, item.table])).toEqual([
        ['changes', 'change_facts'],
        ['cmdb', 'ci_facts'],
        ['known_errors', 'known_error_facts'],
        ['problems', 'problem_facts'],
        ['service_records', 'service_record_facts'],
        ['sla_timers', 'sla_timer_facts'],
      ]);
    });

    it('answers an unknown projection with 404 problem+json', async () => {
      const response = await client().get('/api/v1/reports/projections/nope').expect(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
      await client().post('/api/v1/reports/projections/nope/rebuild').expect(404);
    });

    it('lets only an operator rebuild', async () => {
      await client('auditor').post('/api/v1/reports/projections/changes/rebuild').expect(403);
    });
  });

  describe('rebuild', () => {
    const table = 'service_record_facts';
    const everyRow = () =>
      queryTestDatabase<Row>(`SELECT * FROM reporting.${table} ORDER BY record_id`);
    const indexes = () =>
      queryTestDatabase<{ indexname: string; indexdef: string }>(
        `SELECT indexname, indexdef FROM pg_indexes
          WHERE schemaname = 'reporting' AND tablename = $1 ORDER BY indexname`,
        [table],
      );

    const untilRebuilt = (name: string) =>
      eventually(
        async () => {
          const current = await status(name);
          return current.status === 'live' && current.rebuild?.finishedAt ? current : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 200, description: `${name} rebuilt` },
      );

    /** Records with three versions each: created, assigned, reassigned. */
    const historyOf = (records: readonly IncidentSnapshot[], version: number) =>
      records.map((record) =>
        recordEvent(
          version === 1 ? 'created' : 'assigned',
          {
            ...record,
            version,
            assignmentGroup: version === 1 ? null : version === 2 ? 'service-desk' : 'network',
            updatedAt: at(version),
          },
          version === 1 ? {} : { assignmentGroup: version === 2 ? null : 'service-desk' },
        ),
      );
    const newRecords = (count: number, from: number) =>
      Array.from({ length: count }, (_, index) =>
        incidentSnapshot({
          number: `INC07${String(from + index)}`,
          openedAt: at(0),
          updatedAt: at(0),
        }),
      );
    const untilArchived = (events: readonly ItsmCloudEvent[]) =>
      eventually(
        async () => {
          const [{ count }] = await queryTestDatabase<{ count: number }>(
            'SELECT count(*)::int AS count FROM reporting.event_archive WHERE event_id = ANY($1)',
            [events.map((event) => event.id)],
          );
          return count === events.length ? true : undefined;
        },
        { timeoutMs: 60_000, description: `${events.length} events archived` },
      );

    beforeAll(async () => {
      // Enough history that a rebuild in small paused batches takes a few seconds.
      const records = newRecords(300, 20_000);
      const events = [1, 2, 3].flatMap((version) => historyOf(records, version));
      await publish(Topics.incidentEvents, events);
      await untilArchived(events);
    });

    it('rebuilds from the archive the same rows as live, losing none of the events that arrive meanwhile, and refuses a second one', async () => {
      // Events of earlier suites may still be arriving: records they touch after this are set apart.
      const [{ snapshotAt }] = await queryTestDatabase<{ snapshotAt: string }>(
        'SELECT COALESCE(max(sequence), 0)::text AS "snapshotAt" FROM reporting.event_archive',
      );
      const liveRows = await everyRow();
      const liveIndexes = await indexes();
      expect(liveRows.length).toBeGreaterThan(0);

      const started = await client()
        .post(`/api/v1/reports/projections/service_records/rebuild`)
        .expect(202);
      expect(started.headers.location).toBe('/api/v1/reports/projections/service_records');
      const document = await OpenApiConformance.of(reporting.url);
      expect(
        document.errors('post', '/api/v1/reports/projections/{name}/rebuild', 202, started.body),
      ).toEqual([]);
      const second = await client()
        .post(`/api/v1/reports/projections/service_records/rebuild`)
        .expect(409);
      expect(second.headers['content-type']).toContain('application/problem+json');

      // New records keep coming while it replays: each with three versions, published in turns.
      const records = newRecords(30, 10_000);
      const sent: ItsmCloudEvent[] = [];
      for (const version of [1, 2, 3]) {
        const events = historyOf(records, version);
        await publish(Topics.incidentEvents, events);
        sent.push(...events);
        if (version === 1) expect((await status('service_records')).status).toBe('rebuilding');
        await new Promise((resolve) => setTimeout(resolve, 300));
      }

      const done = await untilRebuilt('service_records');
      expect(done.rebuild).toMatchObject({ error: null, percent: 100 });
      expect(done.version).toBe(1);
      await untilArchived(sent);

      const rebuilt = await everyRow();
      const rebuiltById = new Map(rebuilt.map((row) => [row.record_id, row]));
      const touched = new Set(
        (
          await queryTestDatabase<{ subject: string }>(
            `SELECT DISTINCT subject FROM reporting.event_archive
              WHERE sequence > $1 AND (type LIKE 'itsm.incident.%' OR type LIKE 'itsm.request.%')`,
            [snapshotAt],
          )
        ).map((row) => row.subject),
      );
      // Every row the live table had, exactly as it had it.
      for (const row of liveRows)
        if (!touched.has(row.record_id as string))
          expect(rebuiltById.get(row.record_id)).toEqual(row);
      // And every record whose events came during the rebuild, at its last version.
      for (const record of records)
        expect(rebuiltById.get(record.id)).toMatchObject({
          version: 3,
          assignment_group: 'network',
          reassignment_versions: [3],
          first_assigned_at: new Date(at(2)),
        });
      const expectedIds = new Set([...liveRows.map((row) => row.record_id as string), ...touched]);
      expect(rebuilt.map((row) => row.record_id as string).sort()).toEqual([...expectedIds].sort());
      expect(await indexes()).toEqual(liveIndexes);
      expect(BigInt(done.archiveSequence)).toBeGreaterThan(0n);

      // The table swapped in is live: the next event is applied to it.
      const later = recordEvent('updated', {
        ...records[0],
        version: 4,
        title: 'After',
        updatedAt: at(9),
      });
      await publish(Topics.incidentEvents, [later]);
      expect(await rowAfter(table, 'record_id', records[0].id, later.id)).toMatchObject({
        version: 4,
      });
    });

    it('waits for a long report reading the live table, and swaps once it is done', async () => {
      const reader = new Client({ connectionString: testEnvironment().databaseUrl });
      await reader.connect();
      let released: number | undefined;
      try {
        await reader.query('BEGIN');
        await reader.query(`SELECT count(*) FROM reporting.${table}`);
        await client().post(`/api/v1/reports/projections/service_records/rebuild`).expect(202);
        await eventually(
          async () => {
            const { rebuild } = await status('service_records');
            return rebuild?.total && rebuild.processed >= rebuild.total ? true : undefined;
          },
          { timeoutMs: 60_000, description: 'the archive replayed, the swap next' },
        );
        // The swap waits for the table, gives up, and tries again: seen as its lock request
        // appearing behind the reader's, then going away while the reader still holds on.
        const swapWaiting = async () =>
          (
            await queryTestDatabase<{ waiting: number }>(
              `SELECT count(*)::int AS waiting FROM pg_locks
                WHERE relation = 'reporting.${table}'::regclass AND NOT granted`,
            )
          )[0].waiting > 0;
        await eventually(async () => ((await swapWaiting()) ? true : undefined), {
          timeoutMs: 30_000,
          description: 'the swap to wait for the live table',
        });
        await eventually(async () => ((await swapWaiting()) ? undefined : true), {
          timeoutMs: 30_000,
          description: 'the swap to give up waiting',
        });
        released = Date.now();
        await reader.query('COMMIT');
      } finally {
        await reader.end();
      }
      const done = await untilRebuilt('service_records');
      expect(done.rebuild?.error).toBeNull();
      expect(Date.parse(done.rebuild?.finishedAt ?? '')).toBeGreaterThanOrEqual(released ?? NaN);
    });

    it('records a rebuild that a stop of the service interrupts', async () => {
      await client().post(`/api/v1/reports/projections/service_records/rebuild`).expect(202);
      await eventually(
        async () => ((await status('service_records')).rebuild?.processed ?? 0) > 0 || undefined,
        { description: 'the rebuild under way' },
      );
      await reporting.stop();
      reporting = await ServiceProcess.start('reporting', {
        REPORTING_REBUILD_BATCH_SIZE: '25',
        REPORTING_REBUILD_PAUSE_MS: '60',
      });
      const stopped = await status('service_records');
      expect(stopped.status).toBe('live');
      expect(stopped.rebuild).toMatchObject({ error: expect.stringMatching(/shutting down/) });
      expect(stopped.rebuild?.finishedAt).not.toBeNull();
    });

    it('starts again after a crash, dropping what the interrupted one left', async () => {
      await client().post(`/api/v1/reports/projections/service_records/rebuild`).expect(202);
      await eventually(
        async () => ((await status('service_records')).rebuild?.processed ?? 0) > 0 || undefined,
        { description: 'the rebuild under way' },
      );
      await reporting.kill();
      reporting = await ServiceProcess.start('reporting', {
        REPORTING_REBUILD_BATCH_SIZE: '25',
        REPORTING_REBUILD_PAUSE_MS: '60',
      });
      const interrupted = await status('service_records');
      expect(interrupted.status).toBe('live');
      expect(interrupted.rebuild?.error).toMatch(/interrupted/);
      const [{ leftover }] = await queryTestDatabase<{ leftover: boolean }>(
        `SELECT to_regclass('reporting.${table}__rebuild') IS NOT NULL AS leftover`,
      );
      expect(leftover).toBe(true);

      const before = await everyRow();
      await client().post(`/api/v1/reports/projections/service_records/rebuild`).expect(202);
      const done = await untilRebuilt('service_records');
      expect(done.rebuild?.error).toBeNull();
      expect(await everyRow()).toEqual(before);
      const [{ gone }] = await queryTestDatabase<{ gone: boolean }>(
        `SELECT to_regclass('reporting.${table}__rebuild') IS NULL AS gone`,
      );
      expect(gone).toBe(true);
    });
  });
});
