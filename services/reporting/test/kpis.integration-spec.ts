import { randomUUID } from 'node:crypto';
import { type Producer } from 'kafkajs';
import {
  ALL_DOMAIN_TOPICS,
  EventTypes,
  Topics,
  toKafkaRecord,
  type ChangeSnapshot,
  type IncidentSnapshot,
  type ItsmCloudEvent,
  type ProblemSnapshot,
  type SlaTimerSnapshot,
} from '@itsm/contracts';
import {
  ServiceProcess,
  changeSnapshot,
  cloudEvent,
  connectedProducer,
  directClient,
  eventually,
  incidentSnapshot,
  problemSnapshot,
  testKafka,
  untilConsumerCaughtUp,
} from '@itsm/testing';
import { incidentEvent } from './support/incident-events';

interface Figure {
  value: number | null;
  count: number;
  mean?: number | null;
  p50?: number | null;
  p90?: number | null;
  numerator?: number;
  denominator?: number;
  buckets?: Record<string, number>;
}
interface KpiAnswer {
  series: {
    by: Record<string, string | null>;
    total: Figure;
    points: (Figure & { start: string; partial: boolean; records: string })[];
  }[];
}

/**
 * Each KPI on a hand-built history whose answers were worked out by hand from the formulas
 * in the registry (docs/reporting.md): events published on the real topics, projected by
 * the reporting process, queried over HTTP. The history has a reassigned incident, a
 * reopened one, a cancelled one, one opened before the range, a late (older) event and a
 * duplicate, a paused SLA timer, and changes closed each way. Its records share a category
 * of their own, so the figures are this test's whatever else the database holds.
 *
 * The range is 1-4 March 2025 (UTC), by day: days D1, D2, D3.
 */
describe('KPIs on a hand-built event history', () => {
  let reporting: ServiceProcess;
  let producer: Producer;
  const category = `kpi-${randomUUID()}`;
  const at = (day: number, time: string) => `2025-03-0${day}T${time}:00.000Z`;
  const range = { from: '2025-03-01', to: '2025-03-04', category };

  beforeAll(async () => {
    reporting = await ServiceProcess.start('reporting');
    // Once: whatever the run published before this suite is behind the consumer, not in each wait.
    await untilConsumerCaughtUp('reporting', ALL_DOMAIN_TOPICS);
    producer = await connectedProducer(testKafka());
  });

  afterAll(async () => {
    await producer?.disconnect();
    await reporting?.stop();
  });

  const publish = async (topic: string, events: ItsmCloudEvent[]) => {
    await producer.send({ topic, messages: events.map((event) => toKafkaRecord(event)) });
  };

  /** An incident's versions, each the previous one changed as given. */
  const history = (first: Partial<IncidentSnapshot>, ...changes: Partial<IncidentSnapshot>[]) => {
    const versions: IncidentSnapshot[] = [
      incidentSnapshot({
        category,
        firstResponseAt: null,
        resolvedAt: null,
        closedAt: null,
        reopenCount: 0,
        state: 'new',
        version: 1,
        updatedAt: first.openedAt,
        ...first,
      }),
    ];
    for (const change of changes)
      versions.push({ ...versions.at(-1)!, ...change, version: versions.length + 1 });
    return versions;
  };

  const timer = (
    record: IncidentSnapshot,
    fields: Partial<SlaTimerSnapshot>,
  ): SlaTimerSnapshot => ({
    id: randomUUID(),
    recordId: record.id,
    recordType: 'incident',
    recordNumber: record.number,
    slaId: randomUUID(),
    slaVersion: 1,
    slaName: `resolution ${category}`,
    target: 'resolution',
    state: 'running',
    startedAt: record.openedAt,
    dueAt: null,
    elapsedMs: 0,
    percentUsed: 0,
    breachedAt: null,
    stoppedAt: null,
    pauseReason: null,
    ...fields,
  });
  const slaEvent = (type: string, snapshot: SlaTimerSnapshot) =>
    cloudEvent(type, '/itsm/slm', snapshot.recordId, { timer: snapshot });

  const kpi = async (metric: string, query: Record<string, string> = {}): Promise<KpiAnswer> =>
    (
      await directClient('reporting', reporting.url, 'auditor')
        .get(`/api/v1/reports/kpis/${metric}`)
        .query({ ...range, ...query })
        .expect(200)
    ).body as KpiAnswer;

  const values = (answer: KpiAnswer) => answer.series[0].points.map((point) => point.value);

  // D1: A opened 08:00, answered 09:00, resolved 12:00 (4 h). F opened 13:00, cancelled 14:00.
  const a = history(
    { openedAt: at(1, '08:00'), assignmentGroup: 'network' },
    { firstResponseAt: at(1, '09:00'), state: 'in_progress', updatedAt: at(1, '09:00') },
    { resolvedAt: at(1, '12:00'), state: 'resolved', updatedAt: at(1, '12:00') },
  );
  const f = history(
    { openedAt: at(1, '13:00'), assignmentGroup: 'network' },
    { state: 'cancelled', updatedAt: at(1, '14:00') },
  );
  // B opened D1 10:00 by network, reassigned to database 11:00, answered 12:00 (2 h), resolved
  // D2 10:00, reopened 12:00, resolved again D2 16:00 (30 h).
  const b = history(
    { openedAt: at(1, '10:00'), assignmentGroup: 'network' },
    { assignmentGroup: 'database', updatedAt: at(1, '11:00') },
    { firstResponseAt: at(1, '12:00'), state: 'in_progress', updatedAt: at(1, '12:00') },
    { resolvedAt: at(2, '10:00'), state: 'resolved', updatedAt: at(2, '10:00') },
    { resolvedAt: null, state: 'in_progress', reopenCount: 1, updatedAt: at(2, '12:00') },
    { resolvedAt: at(2, '16:00'), state: 'resolved', updatedAt: at(2, '16:00') },
  );
  // C opened D2 09:00, answered 09:30 (0.5 h), still open.
  const c = history(
    { openedAt: at(2, '09:00'), assignmentGroup: 'database' },
    { firstResponseAt: at(2, '09:30'), state: 'in_progress', updatedAt: at(2, '09:30') },
  );
  // D opened D2 10:00, answered 11:00 (1 h), linked to a problem, resolved D3 10:00 (24 h).
  const problemId = randomUUID();
  const d = history(
    { openedAt: at(2, '10:00'), assignmentGroup: 'network' },
    { firstResponseAt: at(2, '11:00'), state: 'in_progress', updatedAt: at(2, '11:00') },
    { problemId, updatedAt: at(2, '15:00') },
    { resolvedAt: at(3, '10:00'), state: 'resolved', updatedAt: at(3, '10:00') },
  );
  // E opened 20 February, still open: in the backlog from the start, aged 6-30 days.
  const e = history({ openedAt: '2025-02-20T08:00:00.000Z', assignmentGroup: 'network' });

  beforeAll(async () => {
    const events: ItsmCloudEvent[] = [];
    for (const versions of [a, b, c, e, f])
      versions.forEach((version, index) =>
        events.push(
          incidentEvent(
            index === 0 ? EventTypes.incident.created : EventTypes.incident.updated,
            version,
            versions[index - 1],
          ),
        ),
      );
    // D's events arrive late and out of order: its last version first, then the others,
    // its second twice.
    events.push(
      incidentEvent(EventTypes.incident.resolved, d[3], d[2]),
      incidentEvent(EventTypes.incident.created, d[0]),
      incidentEvent(EventTypes.incident.updated, d[1], d[0]),
      incidentEvent(EventTypes.incident.updated, d[1], d[0]),
      incidentEvent(EventTypes.incident.updated, d[2], d[1]),
    );
    await publish(Topics.incidentEvents, events);

    // SLA: A's timer pauses and resumes, then is met; B's breaches, then stops; D's is met.
    const ta = timer(a[0], {});
    const tb = timer(b[0], {});
    const td = timer(d[0], {});
    await publish(Topics.slaEvents, [
      slaEvent(EventTypes.sla.started, ta),
      slaEvent(EventTypes.sla.paused, { ...ta, state: 'paused', pauseReason: 'awaiting_caller' }),
      slaEvent(EventTypes.sla.resumed, { ...ta, state: 'running' }),
      slaEvent(EventTypes.sla.met, { ...ta, state: 'met', stoppedAt: at(1, '12:00') }),
      slaEvent(EventTypes.sla.started, tb),
      slaEvent(EventTypes.sla.breached, { ...tb, state: 'breached', breachedAt: at(2, '08:00') }),
      slaEvent(EventTypes.sla.breached, {
        ...tb,
        state: 'breached',
        breachedAt: at(2, '08:00'),
        stoppedAt: at(2, '16:00'),
      }),
      slaEvent(EventTypes.sla.started, td),
      slaEvent(EventTypes.sla.met, { ...td, state: 'met', stoppedAt: at(3, '10:00') }),
    ]);

    // Changes: K1 normal, successful D1; K2 emergency, unsuccessful D2, caused B; K3 normal,
    // backed out D3.
    const change = (fields: Partial<ChangeSnapshot>) =>
      cloudEvent(EventTypes.change.closed, '/itsm/change', fields.id!, {
        change: changeSnapshot({ category, state: 'closed', ...fields }),
        changedFields: ['state'],
        previous: { state: 'review' },
      });
    await publish(Topics.changeEvents, [
      change({
        id: randomUUID(),
        openedAt: at(1, '01:00'),
        closedAt: at(1, '20:00'),
        closeCode: 'successful',
      }),
      change({
        id: randomUUID(),
        model: 'emergency',
        openedAt: at(2, '01:00'),
        closedAt: at(2, '20:00'),
        closeCode: 'unsuccessful',
        causedIncidentIds: [b[0].id],
      }),
      change({
        id: randomUUID(),
        openedAt: at(3, '01:00'),
        closedAt: at(3, '20:00'),
        closeCode: 'backed_out',
      }),
    ]);

    // A problem opened D1 00:00, its root cause found D2 00:00 (1 day), still open.
    const problem = (fields: Partial<ProblemSnapshot>) =>
      cloudEvent(EventTypes.problem.updated, '/itsm/problem', problemId, {
        problem: problemSnapshot({ id: problemId, category, ...fields }),
        changedFields: ['state'],
        previous: {},
      });
    await publish(Topics.problemEvents, [
      problem({
        openedAt: at(1, '00:00'),
        rootCauseIdentifiedAt: at(2, '00:00'),
        state: 'fix_in_progress',
        version: 4,
      }),
    ]);

    await eventually(
      async () => {
        const answers = await Promise.all([
          kpi('resolved'),
          kpi('sla_compliance'),
          kpi('change_success_rate'),
          kpi('problems_opened'),
          kpi('mtta'),
        ]);
        const [resolved, sla, changes, problems, mtta] = answers.map(
          (answer) => answer.series[0]?.total.count,
        );
        return resolved === 3 && sla === 3 && changes === 3 && problems === 1 && mtta === 4
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, description: 'the history projected' },
    );
  });

  it('counts incidents opened and resolved per day, and the backlog at the end of each day', async () => {
    expect(values(await kpi('opened'))).toEqual([3, 2, 0]);
    expect((await kpi('opened')).series[0].total.value).toBe(5);
    expect(values(await kpi('resolved'))).toEqual([1, 1, 1]);
    // End of D1: E and B open; end of D2: E, C, D; end of D3: E, C.
    expect(values(await kpi('backlog'))).toEqual([2, 3, 2]);
    const ageing = await kpi('backlog_ageing');
    expect(ageing.series[0].points[2].buckets).toEqual({
      '<1d': 0,
      '1-5d': 1,
      '6-30d': 1,
      '31-90d': 0,
      '>90d': 0,
    });
  });

  it('breaks counts down by the current group', async () => {
    const opened = await kpi('opened', { by: 'group' });
    expect(
      Object.fromEntries(
        opened.series.map((series) => [series.by.group, values({ series: [series] })]),
      ),
    ).toEqual({ database: [1, 1, 0], network: [2, 1, 0] });
  });

  it('gives MTTA and MTTR in hours with their median, per day and over the range', async () => {
    const mttr = await kpi('mttr');
    expect(values(mttr)).toEqual([4, 30, 24]);
    expect(mttr.series[0].total).toMatchObject({ count: 3, mean: 19.3333, p50: 24 });
    const mtta = await kpi('mtta');
    expect(values(mtta)).toEqual([1.5, 0.75, null]);
    expect(mtta.series[0].total).toMatchObject({ count: 4, mean: 1.125, p50: 1 });
  });

  it('computes the ratios of each period from its own records, and the total from all of them', async () => {
    const reopened = await kpi('reopen_rate');
    expect(values(reopened)).toEqual([0, 100, 0]);
    expect(reopened.series[0].total).toMatchObject({ numerator: 1, denominator: 3 });
    expect(reopened.series[0].total.value).toBeCloseTo(33.3333, 3);
    expect(values(await kpi('first_assignment_resolution'))).toEqual([100, 0, 100]);
    expect(values(await kpi('resolved_by_problem'))).toEqual([0, 0, 100]);
  });

  it('measures SLA compliance on the timers stopped in each period, a paused one included', async () => {
    const compliance = await kpi('sla_compliance');
    expect(values(compliance)).toEqual([100, 0, 100]);
    expect(compliance.series[0].total).toMatchObject({ numerator: 2, denominator: 3 });
    expect(values(await kpi('sla_breaches'))).toEqual([0, 1, 0]);
  });

  it('measures changes: success, failure (caused an incident) and emergency rates', async () => {
    expect(values(await kpi('change_success_rate'))).toEqual([100, 0, 0]);
    const failures = await kpi('change_failure_rate');
    expect(values(failures)).toEqual([0, 100, 0]);
    expect(failures.series[0].total).toMatchObject({ numerator: 1, denominator: 3 });
    expect((await kpi('emergency_change_rate')).series[0].total).toMatchObject({
      numerator: 1,
      denominator: 3,
    });
  });

  it('measures problems: opened, time to root cause in days, age at the end of each day', async () => {
    expect(values(await kpi('problems_opened'))).toEqual([1, 0, 0]);
    expect(values(await kpi('time_to_root_cause'))).toEqual([null, 1, null]);
    expect(values(await kpi('problem_age'))).toEqual([1, 2, 3]);
  });

  it('drills down from a figure to its records', async () => {
    const resolved = await kpi('reopen_rate');
    const link = resolved.series[0].points[1].records;
    const records = (
      await directClient('reporting', reporting.url, 'auditor').get(link).expect(200)
    ).body as { items: { id: string; counted: boolean }[] };
    expect(records.items).toEqual([expect.objectContaining({ id: b[0].id, counted: true })]);
  });

  it('gives the same figures after every read model is rebuilt from the archive', async () => {
    const metrics = [
      'opened',
      'backlog',
      'mttr',
      'first_assignment_resolution',
      'sla_compliance',
      'change_failure_rate',
      'problem_age',
    ];
    const live = await Promise.all(metrics.map((metric) => kpi(metric, { by: 'group' })));
    const operator = directClient('reporting', reporting.url, 'admin');
    for (const name of ['service_records', 'sla_timers', 'changes', 'problems']) {
      const started = (await operator.get(`/api/v1/reports/projections/${name}`).expect(200))
        .body as { rebuild: { startedAt: string } | null };
      await operator.post(`/api/v1/reports/projections/${name}/rebuild`).expect(202);
      await eventually(
        async () => {
          const current = (await operator.get(`/api/v1/reports/projections/${name}`).expect(200))
            .body as { status: string; rebuild: { startedAt: string; finishedAt: string | null } };
          return current.status === 'live' &&
            current.rebuild.finishedAt &&
            current.rebuild.startedAt !== started.rebuild?.startedAt
            ? current
            : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 200, description: `${name} rebuilt` },
      );
    }
    const rebuilt = await Promise.all(metrics.map((metric) => kpi(metric, { by: 'group' })));
    const figures = (answer: KpiAnswer) =>
      answer.series.map(({ by, total, points }) => ({ by, total, points }));
    expect(rebuilt.map(figures)).toEqual(live.map(figures));
  });

  it('answers a bad query with the field at fault, and a metric the caller may not read with 403', async () => {
    const client = directClient('reporting', reporting.url, 'configuration_manager');
    const bad = await client.get('/api/v1/reports/kpis/mttr').query({ by: 'model' }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('by');
    await client.get('/api/v1/reports/kpis/nope').expect(404);
    // A configuration manager reads reports and incidents, but not SLA timers (sla:read).
    await client.get('/api/v1/reports/kpis/sla_compliance').expect(403);
  });
});
