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
  estimated?: boolean;
}
interface KpiAnswer {
  computedFrom: 'daily_rollups' | 'fact_rows';
  series: {
    by: Record<string, string | null>;
    total: Figure;
    points: (Figure & { start: string; end: string; partial: boolean })[];
  }[];
}
interface Metric {
  id: string;
  kind: string;
  counts: string;
  dimensions: string[];
}

const ZONE = 'Europe/Paris';
/**
 * Six weeks from before the change to summer time in Paris (30 March 2003: a day of 23
 * hours), with the whole of April, which totals and months read from its month rows.
 */
const RANGE = { from: '2003-03-24', to: '2003-05-05', timezone: ZONE };
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The rollups' percentiles of merged days are estimates within 5 % (docs/adr/0022). */
const ESTIMATE_TOLERANCE = 0.05;

/** A small deterministic generator, so that a failure can be replayed. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  return {
    next,
    pick: <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)],
  };
}

/**
 * The KPI daily rollups (docs/adr/0022) answer exactly as the fact rows do: every rolled-up
 * metric, by each of its breakdowns, by day, week and month, in a reporting time zone with
 * a daylight-saving change, compared with the same query computed from the fact rows
 * (`exact=true`). The history is this suite's alone: its dates are in 2003, where no other
 * suite writes.
 */
describe('KPI daily rollups', () => {
  let reporting: ServiceProcess;
  let producer: Producer;
  const random = generator(20_030_330);
  const rangeStart = Date.parse('2003-03-23T23:00:00.000Z');
  const groups = ['network', 'database', 'service-desk', null] as const;
  const services = [randomUUID(), randomUUID(), randomUUID()];
  const incidents: IncidentSnapshot[][] = [];

  const kpi = async (metric: string, query: Record<string, string> = {}): Promise<KpiAnswer> =>
    (
      await directClient('reporting', reporting.url, 'auditor')
        .get(`/api/v1/reports/kpis/${metric}`)
        .query({ ...RANGE, ...query })
        .expect(200)
    ).body as KpiAnswer;

  const publish = async (topic: string, events: ItsmCloudEvent[]) => {
    await producer.send({ topic, messages: events.map((event) => toKafkaRecord(event)) });
  };

  const eventsOf = (versions: IncidentSnapshot[]) =>
    versions.map((version, index) =>
      incidentEvent(
        index === 0 ? EventTypes.incident.created : EventTypes.incident.updated,
        version,
        versions[index - 1],
      ),
    );

  /** An incident's versions: opened, maybe reassigned, answered, resolved, reopened and resolved again. */
  function incidentHistory(): IncidentSnapshot[] {
    const iso = (ms: number) => new Date(ms).toISOString();
    const opened = rangeStart - 2 * DAY_MS + random.next() * 16 * DAY_MS;
    const priority = random.pick(['P1', 'P2', 'P3', 'P4'] as const);
    const versions = [
      incidentSnapshot({
        openedAt: iso(opened),
        updatedAt: iso(opened),
        assignmentGroup: random.pick(groups),
        businessServiceId: random.pick([...services, null]),
        priority,
        category: random.pick(['hardware', 'software']),
        source: random.pick(['portal', 'email', 'phone']),
      }),
    ];
    const change = (at: number, fields: Partial<IncidentSnapshot>) =>
      versions.push({
        ...versions.at(-1)!,
        ...fields,
        version: versions.length + 1,
        updatedAt: iso(at),
      });
    let at = opened;
    if (random.next() < 0.3) {
      at += random.next() * 2 * HOUR_MS;
      change(at, { assignmentGroup: random.pick(groups) });
    }
    if (random.next() < 0.8) {
      at += 60_000 + random.next() * 5 * HOUR_MS;
      change(at, { firstResponseAt: new Date(at).toISOString(), state: 'in_progress' });
    }
    if (random.next() < 0.1) {
      at += HOUR_MS;
      change(at, { state: 'cancelled' });
      return versions;
    }
    if (random.next() < 0.7) {
      at += 10 * 60_000 + random.next() ** 2 * 4 * DAY_MS;
      change(at, { resolvedAt: iso(at), state: 'resolved' });
      if (random.next() < 0.15) {
        at += random.next() * DAY_MS;
        change(at, { resolvedAt: null, state: 'in_progress', reopenCount: 1 });
        at += random.next() * DAY_MS;
        change(at, { resolvedAt: iso(at), state: 'resolved' });
      }
    }
    return versions;
  }

  beforeAll(async () => {
    reporting = await ServiceProcess.start('reporting', {
      REPORTING_TIME_ZONE: ZONE,
      REPORTING_KPI_ROLLUP_INTERVAL_MS: '300',
    });
    await untilConsumerCaughtUp('reporting', ALL_DOMAIN_TOPICS);
    producer = await connectedProducer(testKafka());

    for (let index = 0; index < 160; index += 1) incidents.push(incidentHistory());
    await publish(Topics.incidentEvents, incidents.flatMap(eventsOf));

    // Resolution timers of the resolved incidents: met, or breached and then stopped.
    const timers = incidents.flatMap((versions) => {
      const last = versions.at(-1)!;
      if (!last.resolvedAt) return [];
      const timer = {
        id: randomUUID(),
        recordId: last.id,
        recordType: 'incident' as const,
        recordNumber: last.number,
        slaId: randomUUID(),
        slaVersion: 1,
        slaName: random.pick(['gold', 'silver']),
        target: 'resolution' as const,
        state: 'running' as const,
        startedAt: last.openedAt,
        dueAt: null,
        elapsedMs: 0,
        percentUsed: 0,
        breachedAt: null,
        stoppedAt: null,
        pauseReason: null,
      };
      const slaEvent = (type: string, snapshot: typeof timer) =>
        cloudEvent(type, '/itsm/slm', snapshot.recordId, { timer: snapshot });
      const breachedAt =
        random.next() < 0.3
          ? new Date((Date.parse(last.openedAt) + Date.parse(last.resolvedAt)) / 2).toISOString()
          : null;
      return [
        slaEvent(EventTypes.sla.started, timer),
        breachedAt
          ? slaEvent(EventTypes.sla.breached, {
              ...timer,
              state: 'breached',
              breachedAt,
              stoppedAt: last.resolvedAt,
            } as unknown as typeof timer)
          : slaEvent(EventTypes.sla.met, {
              ...timer,
              state: 'met',
              stoppedAt: last.resolvedAt,
            } as unknown as typeof timer),
      ];
    });
    await publish(Topics.slaEvents, timers);

    // Changes under none, one or two services (a breakdown by service counts each).
    const changes = Array.from({ length: 40 }, () => {
      const opened = rangeStart + random.next() * 13 * DAY_MS;
      const fields: Partial<ChangeSnapshot> = {
        id: randomUUID(),
        model: random.pick(['normal', 'standard', 'emergency'] as const),
        risk: random.pick(['low', 'moderate', 'high'] as const),
        assignmentGroup: random.pick(['database', 'network']),
        businessServiceIds: random.pick([[], [services[0]], [services[1], services[2]]]),
        openedAt: new Date(opened).toISOString(),
        closedAt: new Date(opened + random.next() * 3 * DAY_MS).toISOString(),
        closeCode: random.pick([
          'successful',
          'successful_with_issues',
          'unsuccessful',
          'backed_out',
        ] as const),
        causedIncidentIds: random.next() < 0.2 ? [incidents[0][0].id] : [],
      };
      return cloudEvent(EventTypes.change.closed, '/itsm/change', fields.id!, {
        change: changeSnapshot({ state: 'closed', ...fields }),
        changedFields: ['state'],
        previous: { state: 'review' },
      });
    });
    await publish(Topics.changeEvents, changes);

    const problems = Array.from({ length: 25 }, () => {
      const id = randomUUID();
      const opened = rangeStart + random.next() * 10 * DAY_MS;
      return cloudEvent(EventTypes.problem.updated, '/itsm/problem', id, {
        problem: problemSnapshot({
          id,
          openedAt: new Date(opened).toISOString(),
          rootCauseIdentifiedAt: new Date(opened + random.next() * 4 * DAY_MS).toISOString(),
          assignmentGroup: random.pick(['database', 'network']),
          state: 'fix_in_progress',
          version: 4,
        }),
        changedFields: ['state'],
        previous: {},
      });
    });
    await publish(Topics.problemEvents, problems);

    await eventually(
      async () => {
        const counts = await Promise.all(
          ['opened', 'changes_opened', 'problems_opened', 'sla_breaches'].map(
            async (metric) =>
              (await kpi(metric, { exact: 'true', from: '2003-03-01', to: '2003-05-01' })).series[0]
                ?.total.count,
          ),
        );
        const breaches = timers.filter((event) => event.type === EventTypes.sla.breached).length;
        return counts[0] === incidents.length &&
          counts[1] === changes.length &&
          counts[2] === problems.length &&
          counts[3] === breaches
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, description: 'the history projected' },
    );
    // Starting in another zone than the suites before, the service recomputes every rollup.
    await eventually(
      async () => ((await kpi('opened')).computedFrom === 'daily_rollups' ? true : undefined),
      { timeoutMs: 60_000, description: 'the rollups recomputed in the reporting time zone' },
    );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await reporting?.stop();
  });

  const closeTo = (actual: number | null | undefined, expected: number | null | undefined) =>
    actual === expected ||
    (typeof actual === 'number' &&
      typeof expected === 'number' &&
      Math.abs(actual - expected) <= ESTIMATE_TOLERANCE * Math.abs(expected) + 1e-9);

  /** The rollups' answer against the fact rows': equal, but for estimated percentiles within 5 %. */
  function expectSameFigures(rolled: KpiAnswer, exact: KpiAnswer, label: string) {
    expect({ label, computedFrom: rolled.computedFrom }).toEqual({
      label,
      computedFrom: 'daily_rollups',
    });
    expect({ label, computedFrom: exact.computedFrom }).toEqual({
      label,
      computedFrom: 'fact_rows',
    });
    const strip = ({ p50: _p50, p90: _p90, estimated: _estimated, ...figure }: Figure) => figure;
    const withoutPercentiles = (answer: KpiAnswer) =>
      answer.series.map((series) => ({
        by: series.by,
        total: strip(series.total),
        points: series.points.map((point) => strip(point)),
      }));
    expect({ label, series: withoutPercentiles(rolled) }).toEqual({
      label,
      series: withoutPercentiles(exact),
    });
    rolled.series.forEach((series, index) => {
      const exactSeries = exact.series[index];
      const figures: [Figure, Figure][] = [
        [series.total, exactSeries.total],
        ...series.points.map((point, at): [Figure, Figure] => [point, exactSeries.points[at]]),
      ];
      for (const [figure, expected] of figures) {
        if (figure.estimated) {
          const estimates = {
            label,
            p50: closeTo(figure.p50, expected.p50),
            p90: closeTo(figure.p90, expected.p90),
          };
          expect(estimates).toEqual({ label, p50: true, p90: true });
        } else {
          expect({ label, p50: figure.p50, p90: figure.p90 }).toEqual({
            label,
            p50: expected.p50,
            p90: expected.p90,
          });
        }
      }
    });
  }

  it('answers every rolled-up metric, by each breakdown, by day, week and month, as the fact rows do', async () => {
    const { items } = (
      await directClient('reporting', reporting.url, 'auditor')
        .get('/api/v1/reports/metrics')
        .expect(200)
    ).body as { items: Metric[] };
    const rolledUp = items.filter(
      (metric) =>
        ['incidents', 'requests', 'sla_timers', 'problems', 'changes'].includes(metric.counts) &&
        ['count', 'duration', 'ratio', 'stock'].includes(metric.kind),
    );
    expect(rolledUp.map((metric) => metric.id)).toEqual(
      expect.arrayContaining([
        'opened',
        'backlog',
        'mttr',
        'sla_compliance',
        'change_failure_rate',
      ]),
    );
    let estimatedFigures = 0;
    for (const metric of rolledUp)
      for (const by of ['', ...metric.dimensions.filter((dimension) => dimension !== 'ci_class')])
        for (const interval of ['day', 'week', 'month']) {
          const query = { interval, ...(by ? { by } : {}) };
          const [rolled, exact] = await Promise.all([
            kpi(metric.id, query),
            kpi(metric.id, { ...query, exact: 'true' }),
          ]);
          expectSameFigures(rolled, exact, `${metric.id} by ${by || 'nothing'} per ${interval}`);
          estimatedFigures += rolled.series.filter((series) => series.total.estimated).length;
        }
    // The merged percentiles were exercised, not only the exact daily ones.
    expect(estimatedFigures).toBeGreaterThan(0);
  });

  it('counts the 23-hour day of the change to summer time as one day of Paris', async () => {
    const opened = await kpi('opened', { exact: 'false' });
    const summerTime = opened.series[0].points.find(
      (point) => point.start === '2003-03-29T23:00:00.000Z',
    );
    expect(summerTime).toMatchObject({ end: '2003-03-30T22:00:00.000Z' });
    const openedThatDay = incidents.filter((versions) => {
      const at = Date.parse(versions[0].openedAt);
      return (
        at >= Date.parse('2003-03-29T23:00:00.000Z') && at < Date.parse('2003-03-30T22:00:00.000Z')
      );
    }).length;
    expect(summerTime!.value).toBe(openedThatDay);
    expect(opened.computedFrom).toBe('daily_rollups');
  });

  it('reads the fact rows where the rollups cannot answer: another zone, a filter, two breakdowns, the CI class', async () => {
    const computedFrom = async (query: Record<string, string>) =>
      (await kpi('mttr', query)).computedFrom;
    expect(await computedFrom({ timezone: 'UTC' })).toBe('fact_rows');
    expect(await computedFrom({ group: 'network' })).toBe('fact_rows');
    expect(await computedFrom({ by: 'group,priority' })).toBe('fact_rows');
    expect(await computedFrom({ by: 'ci_class' })).toBe('fact_rows');
    expect(await computedFrom({ from: '2003-03-24T06:00:00+01:00' })).toBe('fact_rows');
    expect(await computedFrom({})).toBe('daily_rollups');
  });

  it('reflects a record changed a moment ago: the days it touched are recomputed before the answer', async () => {
    const versions = incidents.find((history) => history.at(-1)!.assignmentGroup === 'network')!;
    const last = versions.at(-1)!;
    const moved = { ...last, assignmentGroup: 'database', version: last.version + 1 };
    await publish(Topics.incidentEvents, [incidentEvent(EventTypes.incident.updated, moved, last)]);
    const before = await kpi('opened', { by: 'group', exact: 'true' });
    await eventually(
      async () => {
        const exact = await kpi('opened', { by: 'group', exact: 'true' });
        return JSON.stringify(exact.series) !== JSON.stringify(before.series) ? true : undefined;
      },
      { description: 'the reassignment projected' },
    );
    versions.push(moved);
    const [rolled, exact] = await Promise.all([
      kpi('opened', { by: 'group' }),
      kpi('opened', { by: 'group', exact: 'true' }),
    ]);
    expectSameFigures(rolled, exact, 'opened by group after a reassignment');
  });

  it('answers as the fact rows do after the read model is rebuilt and swapped in, and keeps following it', async () => {
    const operator = directClient('reporting', reporting.url, 'admin');
    const started = (await operator.get('/api/v1/reports/projections/service_records').expect(200))
      .body as { rebuild: { startedAt: string } | null };
    await operator.post('/api/v1/reports/projections/service_records/rebuild').expect(202);
    await eventually(
      async () => {
        const current = (
          await operator.get('/api/v1/reports/projections/service_records').expect(200)
        ).body as { status: string; rebuild: { startedAt: string; finishedAt: string | null } };
        return current.status === 'live' &&
          current.rebuild.finishedAt &&
          current.rebuild.startedAt !== started.rebuild?.startedAt
          ? true
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 200, description: 'service_records rebuilt' },
    );
    await eventually(
      async () => ((await kpi('mttr')).computedFrom === 'daily_rollups' ? true : undefined),
      { timeoutMs: 60_000, description: 'the swapped table rolled up again' },
    );
    expectSameFigures(
      await kpi('mttr', { by: 'group' }),
      await kpi('mttr', { by: 'group', exact: 'true' }),
      'mttr after the rebuild',
    );

    // The swapped-in table marks its changed days as the one it replaced did.
    const versions = incidents.find(
      (history) => !history.at(-1)!.resolvedAt && history.at(-1)!.state !== 'cancelled',
    )!;
    const last = versions.at(-1)!;
    const resolvedAt = new Date(Date.parse(last.openedAt) + 3 * HOUR_MS).toISOString();
    const resolved = { ...last, resolvedAt, state: 'resolved' as const, version: last.version + 1 };
    const before = (await kpi('resolved', { exact: 'true' })).series[0].total.count;
    await publish(Topics.incidentEvents, [
      incidentEvent(EventTypes.incident.resolved, resolved, last),
    ]);
    await eventually(
      async () =>
        (await kpi('resolved', { exact: 'true' })).series[0].total.count === before + 1
          ? true
          : undefined,
      { description: 'the resolution projected' },
    );
    const rolled = await kpi('resolved');
    expect(rolled.computedFrom).toBe('daily_rollups');
    expect(rolled.series[0].total.count).toBe(before + 1);
  });
});
