import { type Producer } from 'kafkajs';
import { EventTypes, type IncidentSnapshot } from '@itsm/contracts';
import {
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
} from './support/slm-test-kit';

const I = EventTypes.incident;
const SERVICE_A = '0c0a0000-0000-4000-8000-00000000000a';
const SERVICE_B = '0c0a0000-0000-4000-8000-00000000000b';

/** One fixture record: opened at `opened`, then (optionally) moved to `end.state` at `end.at`. */
interface FixtureRecord {
  name: string;
  service: string;
  group: string;
  opened: string;
  state?: IncidentSnapshot['state'];
  end?: { state: IncidentSnapshot['state']; at: string };
  /** The timer's state once every event is applied. */
  expected: string;
}

/**
 * The fixture, a 1-hour resolution SLA on the 24x7 calendar, times in UTC. 2026-03-30 and
 * 2026-04-06 are Mondays: the first two weeks hold four and three timers, March two and
 * April five. Time used by the five finished timers: 30, 40, 50, 70 and 90 minutes
 * (50, 66.67, 83.33, 116.67 and 150 %).
 */
const FIXTURE: FixtureRecord[] = [
  {
    name: 'a1',
    service: SERVICE_A,
    group: 'network',
    opened: '2026-03-30T09:00:00Z',
    end: { state: 'resolved', at: '2026-03-30T09:30:00Z' },
    expected: 'met',
  },
  {
    name: 'a2',
    service: SERVICE_A,
    group: 'network',
    opened: '2026-03-30T10:00:00Z',
    end: { state: 'resolved', at: '2026-03-30T10:40:00Z' },
    expected: 'met',
  },
  {
    name: 'a3',
    service: SERVICE_A,
    group: 'database',
    opened: '2026-04-01T09:00:00Z',
    end: { state: 'resolved', at: '2026-04-01T09:50:00Z' },
    expected: 'met',
  },
  {
    name: 'b1',
    service: SERVICE_B,
    group: 'database',
    opened: '2026-04-01T12:00:00Z',
    end: { state: 'resolved', at: '2026-04-01T13:10:00Z' },
    expected: 'breached',
  },
  {
    name: 'b2',
    service: SERVICE_B,
    group: 'network',
    opened: '2026-04-06T08:00:00Z',
    end: { state: 'resolved', at: '2026-04-06T09:30:00Z' },
    expected: 'breached',
  },
  {
    name: 'b3',
    service: SERVICE_B,
    group: 'network',
    opened: '2026-04-06T09:00:00Z',
    end: { state: 'cancelled', at: '2026-04-06T09:20:00Z' },
    expected: 'cancelled',
  },
  {
    name: 'b4',
    service: SERVICE_B,
    group: 'network',
    opened: '2026-04-06T10:00:00Z',
    state: 'on_hold',
    expected: 'paused',
  },
];

const minutes = (count: number) => count * 60_000;

/** One item of `GET /api/v1/sla-compliance`. */
interface ComplianceItem {
  slaId: string | null;
  slaName: string | null;
  businessServiceId: string | null;
  assignmentGroup: string | null;
  periodStart: string | null;
  met: number;
  breached: number;
  inFlight: number;
  cancelled: number;
  shareMet: number | null;
  meanPercentUsed: number | null;
  p90PercentUsed: number | null;
  meanElapsedMs: number | null;
  p90ElapsedMs: number | null;
}

/**
 * Compliance figures computed by hand from a fixture, for every grouping and period the
 * API offers. The fixture lies in the past, so its timers were overdue the moment they
 * were created: this suite's slm runs without the scheduler, so that whether a timer is met
 * or breached follows from the record's events alone (an overdue timer's breach is
 * announced when the next event about its record comes), never from a race with a round.
 */
describe('SLA compliance', () => {
  let slm: ServiceProcess;
  let producer: Producer;
  let slaId: string;

  beforeAll(async () => {
    slm = await ServiceProcess.start('slm', { SLA_SCHEDULER_ENABLED: 'false' });
    producer = await connectedProducer(testKafka());
    const category = isolatedCategory();
    slaId = await defineSla(slm.url, {
      name: category,
      target: 'resolution',
      appliesTo: { category },
      duration: 'PT1H',
    });
    const records = FIXTURE.map((fixture) => ({
      fixture,
      record: incidentSnapshot({
        category,
        businessServiceId: fixture.service,
        assignmentGroup: fixture.group,
        openedAt: fixture.opened,
        state: fixture.state ?? 'new',
        holdReason: fixture.state === 'on_hold' ? 'awaiting_caller' : null,
      }),
    }));
    for (const { fixture, record } of records) {
      await publish(
        producer,
        recordEvent(I.created, record, ['title'], {}, new Date(fixture.opened)),
      );
      if (fixture.end)
        await publish(
          producer,
          recordEvent(
            fixture.end.state === 'resolved' ? I.resolved : I.stateChanged,
            { ...record, state: fixture.end.state, version: 2 },
            ['state'],
            {},
            new Date(fixture.end.at),
          ),
        );
    }
    for (const { fixture, record } of records)
      await eventually(
        async () => {
          const [timer] = await timersOf(slm.url, record.id);
          const finished = fixture.expected !== 'breached' || timer?.stoppedAt;
          return timer?.state === fixture.expected && finished ? timer : undefined;
        },
        { description: `the timer of ${fixture.name} to be ${fixture.expected}` },
      );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await slm?.stop();
  });

  const compliance = async (query: Record<string, string>) => {
    const response = await asServiceLevelManager(slm.url)
      .get('/api/v1/sla-compliance')
      .query({ from: '2026-03-01T00:00:00Z', to: '2026-05-01T00:00:00Z', slaId, ...query })
      .expect(200);
    return (response.body as { items: ComplianceItem[] }).items;
  };

  it('per definition: counts, share met, mean and 90th percentile of the time used', async () => {
    expect(await compliance({})).toEqual([
      expect.objectContaining({
        slaId,
        met: 3,
        breached: 2,
        inFlight: 1,
        cancelled: 1,
        shareMet: 0.6,
        // 466.67 / 5; the 90th percentile lies 0.6 of the way from 116.67 to 150.
        meanPercentUsed: 93.33,
        p90PercentUsed: 136.67,
        meanElapsedMs: minutes(56),
        p90ElapsedMs: minutes(82),
      }),
    ]);
  });

  it('per business service', async () => {
    expect(await compliance({ groupBy: 'service' })).toEqual(
      [
        {
          slaId: null,
          slaName: null,
          businessServiceId: SERVICE_A,
          assignmentGroup: null,
          periodStart: null,
          met: 3,
          breached: 0,
          inFlight: 0,
          cancelled: 0,
          shareMet: 1,
          meanPercentUsed: 66.67,
          p90PercentUsed: 80,
          meanElapsedMs: minutes(40),
          p90ElapsedMs: minutes(48),
        },
        {
          slaId: null,
          slaName: null,
          businessServiceId: SERVICE_B,
          assignmentGroup: null,
          periodStart: null,
          met: 0,
          breached: 2,
          inFlight: 1,
          cancelled: 1,
          shareMet: 0,
          meanPercentUsed: 133.33,
          p90PercentUsed: 146.67,
          meanElapsedMs: minutes(80),
          p90ElapsedMs: minutes(88),
        },
      ].sort((a, b) => a.businessServiceId.localeCompare(b.businessServiceId)),
    );
  });

  it('per assignment group', async () => {
    expect(await compliance({ groupBy: 'group' })).toEqual([
      expect.objectContaining({
        slaId: null,
        assignmentGroup: 'database',
        met: 1,
        breached: 1,
        inFlight: 0,
        cancelled: 0,
        shareMet: 0.5,
        meanPercentUsed: 100,
        p90PercentUsed: 113.33,
        meanElapsedMs: minutes(60),
        p90ElapsedMs: minutes(68),
      }),
      expect.objectContaining({
        assignmentGroup: 'network',
        met: 2,
        breached: 1,
        inFlight: 1,
        cancelled: 1,
        shareMet: 0.6667,
        meanPercentUsed: 88.89,
        p90PercentUsed: 133.33,
        meanElapsedMs: 3_200_000,
        p90ElapsedMs: minutes(80),
      }),
    ]);
  });

  it('per definition and service together, and filtered by service or group', async () => {
    const both = await compliance({ groupBy: 'sla,service' });
    expect(
      both.map((item) => [item.slaId, item.businessServiceId, item.met, item.breached]),
    ).toEqual(
      [
        [slaId, SERVICE_A, 3, 0],
        [slaId, SERVICE_B, 0, 2],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    expect(await compliance({ businessServiceId: SERVICE_A })).toEqual([
      expect.objectContaining({ slaId, met: 3, breached: 0, p90ElapsedMs: minutes(48) }),
    ]);
    expect(await compliance({ assignmentGroup: 'database' })).toEqual([
      expect.objectContaining({ slaId, met: 1, breached: 1, p90ElapsedMs: minutes(68) }),
    ]);
  });

  it('per UTC week (from Monday) and per month', async () => {
    expect(await compliance({ period: 'week' })).toEqual([
      expect.objectContaining({
        slaId,
        periodStart: '2026-03-30T00:00:00.000Z',
        met: 3,
        breached: 1,
        inFlight: 0,
        cancelled: 0,
        meanPercentUsed: 79.17,
        p90PercentUsed: 106.67,
        meanElapsedMs: 2_850_000,
        p90ElapsedMs: minutes(64),
      }),
      expect.objectContaining({
        slaId,
        periodStart: '2026-04-06T00:00:00.000Z',
        met: 0,
        breached: 1,
        inFlight: 1,
        cancelled: 1,
        shareMet: 0,
        meanPercentUsed: 150,
        p90PercentUsed: 150,
        p90ElapsedMs: minutes(90),
      }),
    ]);
    expect(await compliance({ period: 'month' })).toEqual([
      expect.objectContaining({
        periodStart: '2026-03-01T00:00:00.000Z',
        met: 2,
        breached: 0,
        p90PercentUsed: 65,
        p90ElapsedMs: minutes(39),
      }),
      expect.objectContaining({
        periodStart: '2026-04-01T00:00:00.000Z',
        met: 1,
        breached: 2,
        inFlight: 1,
        cancelled: 1,
        p90PercentUsed: 143.33,
        p90ElapsedMs: minutes(86),
      }),
    ]);
    const days = await compliance({ groupBy: 'service', period: 'day' });
    expect(
      days.map((item) => [item.businessServiceId, item.periodStart, item.met + item.breached]),
    ).toEqual([
      [SERVICE_A, '2026-03-30T00:00:00.000Z', 2],
      [SERVICE_A, '2026-04-01T00:00:00.000Z', 1],
      [SERVICE_B, '2026-04-01T00:00:00.000Z', 1],
      [SERVICE_B, '2026-04-06T00:00:00.000Z', 1],
    ]);
  });

  it('refuses an unknown grouping or period and an empty range, naming the field', async () => {
    const refused = async (query: Record<string, string>) => {
      const response = await asServiceLevelManager(slm.url)
        .get('/api/v1/sla-compliance')
        .query({ from: '2026-03-01T00:00:00Z', to: '2026-05-01T00:00:00Z', ...query })
        .expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      return ((response.body as { errors?: { field: string }[] }).errors ?? []).map(
        (error) => error.field,
      );
    };
    expect(await refused({ groupBy: 'sla,colour' })).toEqual(['groupBy']);
    expect(await refused({ period: 'fortnight' })).toEqual(['period']);
    expect(await refused({ to: '2026-03-01T00:00:00Z' })).toEqual(['to']);
  });
});
