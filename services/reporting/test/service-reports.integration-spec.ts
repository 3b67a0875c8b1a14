import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { inflateSync } from 'node:zlib';
import { type Response } from 'supertest';
import {
  OpenApiConformance,
  directClient,
  eventually,
  queryTestDatabase,
  ServiceProcess,
} from '@itsm/testing';
import { lastCompletedPeriod, periodBefore } from '../src/service-reports/domain/report-period';
import { businessService, incidentOf, slaTimerOf } from './support/read-model-fixture';

interface ReportLineBody {
  metric: string;
  sla: string | null;
  values: (number | null)[];
  trend: { direction: string | null };
}
interface ReportBody {
  service: { id: string; name: string | null };
  period: { label: string; timeZone: string };
  previousPeriods: { label: string }[];
  sections: { id: string; lines: ReportLineBody[]; withheld?: string }[];
  notes: { text: string; updatedBy: string } | null;
  actions: { description: string; createdBy: string }[];
}
interface ProducedBody {
  id: string;
  period: string;
  version: number;
  sha256: string;
  archiveSequence: string;
  generatedBy: string;
  differences:
    { line: string; period: string; previous: number | null; restated: number | null }[] | null;
  download: string;
}

const TIME_ZONE = 'Europe/Paris';
const HOUR = 3_600_000;

/** Collects a binary answer (PDF) as bytes. */
function bytes(test: ReturnType<ReturnType<typeof directClient>['get']>) {
  return test.buffer(true).parse((response, callback) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => callback(null, Buffer.concat(chunks)));
  });
}

/** The text a PDF shows: pdfkit writes each run as a hex string of its characters in a (deflated) content stream. */
function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const streams = [...source.matchAll(/stream\r?\n/g)].map((match) => {
    const start = match.index + match[0].length;
    const end = source.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    try {
      return inflateSync(raw).toString('latin1');
    } catch {
      return raw.toString('latin1');
    }
  });
  return streams
    .flatMap((stream) => [...stream.matchAll(/<([0-9a-fA-F]+)>/g)])
    .map((match) => Buffer.from(match[1] ?? '', 'hex').toString('latin1'))
    .join('');
}

function fieldOf(response: Response): string | undefined {
  return (response.body as { errors?: { field: string }[] }).errors?.[0]?.field;
}

function lineOf(report: ReportBody, metric: string, sla: string | null = null): ReportLineBody {
  const line = report.sections
    .flatMap((section) => section.lines)
    .find((candidate) => candidate.metric === metric && candidate.sla === sla);
  if (!line) throw new Error(`no line ${metric} ${sla ?? ''}`);
  return line;
}

describe('service reports and scheduled reports', () => {
  let replicas: ServiceProcess[] = [];
  let serviceId: string;
  let openApi: OpenApiConformance;
  // The period a monthly schedule produces now, and the one before it, in the test's zone.
  const period = lastCompletedPeriod('monthly', new Date(), TIME_ZONE);
  const earlier = periodBefore(period);
  const inPeriod = (hours: number) => new Date(period.start.getTime() + hours * HOUR);

  beforeAll(async () => {
    serviceId = await businessService('Payroll Service');
    // Two incidents this period (one resolved in 24 h, under an SLA met), one the period before.
    const resolved = await incidentOf(serviceId, inPeriod(30), inPeriod(54));
    await incidentOf(serviceId, inPeriod(40));
    await incidentOf(serviceId, new Date(earlier.start.getTime() + 30 * HOUR));
    await slaTimerOf(resolved, 'P3 resolution', inPeriod(54), false);
    // Two replicas, both scheduling, as a deployment with several runs them.
    const env = { REPORT_SCHEDULER_INTERVAL_MS: '200' };
    // One after the other: the first positions the new consumer group, the second joins it.
    replicas = [await ServiceProcess.start('reporting', env)];
    replicas.push(await ServiceProcess.start('reporting', env));
    openApi = await OpenApiConformance.of(replicas[0].url);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
  });

  const as = (username: string, replica = 0) =>
    directClient('reporting', replicas[replica].url, username);
  /** What the service answered is what its OpenAPI document says it answers. */
  const documented = (method: string, template: string, response: Response) =>
    expect(openApi.errors(method, template, response.status, response.body)).toEqual([]);
  const reportPath = (label = period.label) =>
    `/api/v1/reports/service-reports/${serviceId}/${label}?timezone=${encodeURIComponent(TIME_ZONE)}`;

  it('answers the figures of the period and the three before it, with the notes and actions agreed', async () => {
    const notes = await as('service_level_manager')
      .put(`/api/v1/reports/service-reports/${serviceId}/${period.label}/notes`)
      .send({ text: 'Backlog grew after the payroll run.' })
      .expect(200);
    documented('PUT', '/api/v1/reports/service-reports/{service}/{period}/notes', notes);
    const action = await as('incident_manager')
      .post(`/api/v1/reports/service-reports/${serviceId}/${period.label}/actions`)
      .send({ description: 'Add a second batch worker', owner: 'alice', dueDate: '2027-01-15' })
      .expect(201);
    documented('POST', '/api/v1/reports/service-reports/{service}/{period}/actions', action);

    const answer = await as('auditor').get(reportPath()).expect(200);
    documented('GET', '/api/v1/reports/service-reports/{service}/{period}', answer);
    const report = answer.body as ReportBody;
    expect(report.service).toEqual({ id: serviceId, name: 'Payroll Service' });
    expect(report.period).toMatchObject({ label: period.label, timeZone: TIME_ZONE });
    expect(report.previousPeriods.map(({ label }) => label)).toEqual([
      earlier.label,
      periodBefore(period, 2).label,
      periodBefore(period, 3).label,
    ]);
    expect(report.sections.map(({ id }) => id)).toEqual([
      'sla',
      'incidents',
      'problems',
      'changes',
    ]);
    expect(lineOf(report, 'opened').values).toEqual([2, 1, 0, 0]);
    expect(lineOf(report, 'opened').trend.direction).toBe('worse');
    expect(lineOf(report, 'resolved').values).toEqual([1, 0, 0, 0]);
    expect(lineOf(report, 'mttr').values[0]).toBe(24);
    expect(lineOf(report, 'sla_compliance', 'P3 resolution').values[0]).toBe(100);
    for (const metric of ['changes_opened', 'problems_opened', 'backlog', 'reopen_rate'])
      expect(lineOf(report, metric).values).toHaveLength(4);
    expect(report.notes).toMatchObject({
      text: 'Backlog grew after the payroll run.',
      updatedBy: 'service_level_manager',
    });
    expect(report.actions).toEqual([
      expect.objectContaining({
        description: 'Add a second batch worker',
        createdBy: 'incident_manager',
      }),
    ]);
  });

  it('withholds the sections whose records the reader may not read', async () => {
    const report = (await as('configuration_manager').get(reportPath()).expect(200))
      .body as ReportBody;
    expect(report.sections.find(({ id }) => id === 'sla')).toMatchObject({
      lines: [],
      withheld: 'sla:read',
    });
    expect(report.sections.find(({ id }) => id === 'incidents')?.lines.length).toBeGreaterThan(0);
  });

  it('serves the report as CSV and as a PDF of the figures, notes and actions', async () => {
    const csv = await as('auditor').get(reportPath()).set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = csv.text.trim().split(/\r?\n/);
    expect(header).toBe(
      `section,metric,sla,name,unit,${period.label},${earlier.label},${periodBefore(period, 2).label},${periodBefore(period, 3).label},previous_mean,change,trend`,
    );
    expect(rows).toContain('incidents,opened,,Incidents opened,count,2,1,0,0,0.3333,1.6667,worse');

    const pdf = (
      await bytes(as('auditor').get(reportPath()).set('Accept', 'application/pdf'))
        .expect(200)
        .expect('Content-Type', 'application/pdf')
    ).body as Buffer;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toMatch(/%%EOF/);
    const pages = pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? [];
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(2);
    const text = pdfText(pdf);
    expect(text).toContain('Service report: Payroll Service');
    expect(text).toContain('Incidents opened');
    expect(text).toContain('Backlog grew after the payroll run.');
    expect(text).toContain('Add a second batch worker');

    await as('auditor').get(reportPath()).set('Accept', 'image/png').expect(406);
  });

  it('answers bad input with a problem naming the field', async () => {
    const expectField = async (test: Promise<Response>, field: string) => {
      const response = await test;
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(fieldOf(response)).toBe(field);
    };
    await expectField(
      as('auditor').get(`/api/v1/reports/service-reports/not-a-uuid/${period.label}`),
      'service',
    );
    for (const bad of ['2026-13', '2026-W54', '2026-Q5', 'November'])
      await expectField(
        as('auditor').get(`/api/v1/reports/service-reports/${serviceId}/${bad}`),
        'period',
      );
    await expectField(as('auditor').get(`${reportPath()}&timezone=Mars/Olympus`), 'timezone');
    await expectField(
      as('admin')
        .post('/api/v1/reports/schedules')
        .send({ serviceId: 'nope', periodKind: 'monthly' }),
      'serviceId',
    );
    await expectField(
      as('admin').post('/api/v1/reports/schedules').send({ serviceId, periodKind: 'daily' }),
      'periodKind',
    );
    await expectField(
      as('admin')
        .post('/api/v1/reports/schedules')
        .send({ serviceId, periodKind: 'monthly', timeZone: 'Paris' }),
      'timeZone',
    );
    await expectField(
      as('admin')
        .post('/api/v1/reports/schedules')
        .send({ serviceId, periodKind: 'monthly', recipients: [{ kind: 'team', name: 'ops' }] }),
      'recipients[0].kind',
    );
    await expectField(
      as('admin')
        .post('/api/v1/reports/schedules')
        .send({
          serviceId,
          periodKind: 'monthly',
          recipients: [
            { kind: 'user', name: 'alice' },
            { kind: 'group', name: 'a b' },
          ],
        }),
      'recipients[1].name',
    );
    await expectField(
      as('admin')
        .put(`/api/v1/reports/service-reports/${serviceId}/${period.label}/notes`)
        .send({ text: '   ' }),
      'text',
    );
  });

  it('lets only report writers change notes, actions and schedules', async () => {
    await as('requester').get(reportPath()).expect(403);
    await as('auditor')
      .put(`/api/v1/reports/service-reports/${serviceId}/${period.label}/notes`)
      .send({ text: 'An auditor does not write here.' })
      .expect(403);
    // A configuration manager reads reports but does not write them.
    await as('configuration_manager')
      .post('/api/v1/reports/schedules')
      .send({ serviceId, periodKind: 'monthly' })
      .expect(403);
  });

  it('creates, reads, changes and deletes schedules, a change needing the version read', async () => {
    const created = await as('service_level_manager')
      .post('/api/v1/reports/schedules')
      .send({ serviceId, periodKind: 'weekly', enabled: false })
      .expect(201);
    const id = (created.body as { id: string }).id;
    expect(created.headers.location).toBe(`/api/v1/reports/schedules/${id}`);
    const read = await as('auditor').get(`/api/v1/reports/schedules/${id}`).expect(200);
    documented('GET', '/api/v1/reports/schedules/{id}', read);
    expect(read.body).toMatchObject({
      serviceId,
      periodKind: 'weekly',
      timeZone: 'UTC',
      format: 'pdf',
      recipients: [],
      enabled: false,
      createdBy: 'service_level_manager',
    });
    await as('admin').patch(`/api/v1/reports/schedules/${id}`).send({ format: 'csv' }).expect(428);
    const changed = await as('admin')
      .patch(`/api/v1/reports/schedules/${id}`)
      .set('If-Match', read.headers.etag)
      .send({ format: 'csv', recipients: [{ kind: 'group', name: 'payroll-owners' }] })
      .expect(200);
    documented('PATCH', '/api/v1/reports/schedules/{id}', changed);
    expect(changed.body).toMatchObject({
      format: 'csv',
      recipients: [{ kind: 'group', name: 'payroll-owners' }],
      periodKind: 'weekly',
      version: 2,
      updatedBy: 'admin',
    });
    await as('admin')
      .patch(`/api/v1/reports/schedules/${id}`)
      .set('If-Match', read.headers.etag)
      .send({ enabled: true })
      .expect(412);
    const listed = await as('auditor').get('/api/v1/reports/schedules?limit=500').expect(200);
    documented('GET', '/api/v1/reports/schedules', listed);
    expect((listed.body as { items: { id: string }[] }).items.map((item) => item.id)).toContain(id);
    // Disabled, it produced nothing: it may go.
    await as('admin').delete(`/api/v1/reports/schedules/${id}`).expect(204);
    await as('auditor').get(`/api/v1/reports/schedules/${id}`).expect(404);
  });

  it('produces a due report once with two replicas, stored with the hash of the bytes served', async () => {
    const created = await as('service_level_manager')
      .post('/api/v1/reports/schedules')
      .send({
        serviceId,
        periodKind: 'monthly',
        timeZone: TIME_ZONE,
        format: 'pdf',
        recipients: [
          { kind: 'user', name: 'alice' },
          { kind: 'group', name: 'service-desk' },
        ],
      })
      .expect(201);
    documented('POST', '/api/v1/reports/schedules', created);
    const scheduleId = (created.body as { id: string }).id;
    const listPath = `/api/v1/reports/schedules/${scheduleId}/reports`;
    documented(
      'GET',
      '/api/v1/reports/schedules/{id}/reports',
      await as('auditor').get(listPath).expect(200),
    );
    const listed = (replica: number) =>
      as('auditor', replica)
        .get(listPath)
        .expect(200)
        .then((response) => (response.body as { items: ProducedBody[] }).items);

    const [produced] = await eventually(
      async () => {
        const items = await listed(0);
        return items.length > 0 ? items : undefined;
      },
      { timeoutMs: 20_000, description: 'the scheduled report' },
    );
    // An absence has no event to wait for: ten more rounds of each replica, still one report.
    await sleep(2_000);
    expect(await listed(1)).toHaveLength(1);
    const stored = await queryTestDatabase<{ n: number }>(
      'SELECT count(*)::int AS n FROM reporting.produced_reports WHERE schedule_id = $1',
      [scheduleId],
    );
    expect(stored[0]?.n).toBe(1);
    expect(produced).toMatchObject({ period: period.label, version: 1, generatedBy: 'schedule' });
    const [archive] = await queryTestDatabase<{ max: string }>(
      'SELECT COALESCE(max(sequence), 0)::text AS max FROM reporting.event_archive',
    );
    expect(BigInt(produced.archiveSequence)).toBeLessThanOrEqual(BigInt(archive?.max ?? '0'));

    const download = await bytes(as('auditor', 1).get(produced.download)).expect(200);
    const body = download.body as Buffer;
    const sha256 = createHash('sha256').update(body).digest();
    expect(sha256.toString('hex')).toBe(produced.sha256);
    expect(download.headers['repr-digest']).toBe(`sha-256=:${sha256.toString('base64')}:`);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(pdfText(body)).toContain('Payroll Service');

    // The stored report cannot be rewritten, even from inside the database.
    await expect(
      queryTestDatabase('UPDATE reporting.produced_reports SET sha256 = $1 WHERE id = $2', [
        'forged',
        produced.id,
      ]),
    ).rejects.toThrow(/immutable/);
    await expect(
      queryTestDatabase('DELETE FROM reporting.produced_reports WHERE id = $1', [produced.id]),
    ).rejects.toThrow(/immutable/);
    // Nor its schedule removed from under it.
    await as('admin').delete(`/api/v1/reports/schedules/${scheduleId}`).expect(409);
  });

  it('restates a produced period as a new version that notes the figures that changed', async () => {
    const created = await as('admin')
      .post('/api/v1/reports/schedules')
      .send({ serviceId, periodKind: 'monthly', timeZone: TIME_ZONE, format: 'json' })
      .expect(201);
    const scheduleId = (created.body as { id: string }).id;
    const listPath = `/api/v1/reports/schedules/${scheduleId}/reports`;
    await as('admin')
      .post(`/api/v1/reports/schedules/${scheduleId}/periods/${earlier.label}/restatements`)
      .send({})
      .expect(409);
    const [first] = await eventually(
      async () => {
        const items = (await as('auditor').get(listPath).expect(200)).body as {
          items: ProducedBody[];
        };
        return items.items.length > 0 ? items.items : undefined;
      },
      { timeoutMs: 20_000, description: 'the scheduled report' },
    );
    const firstBytes = (await bytes(as('auditor').get(first.download)).expect(200)).body as Buffer;

    // A late incident of the period reaches the read model.
    await incidentOf(serviceId, inPeriod(100));
    const restated = (
      await as('incident_manager')
        .post(`/api/v1/reports/schedules/${scheduleId}/periods/${period.label}/restatements`)
        .send({ reason: 'a late incident' })
        .expect(201)
    ).body as ProducedBody;
    documented(
      'GET',
      '/api/v1/reports/schedules/{id}/reports',
      await as('auditor').get(listPath).expect(200),
    );
    expect(restated).toMatchObject({
      period: period.label,
      version: 2,
      generatedBy: 'incident_manager',
    });
    expect(restated.differences).toContainEqual({
      line: 'opened',
      period: period.label,
      previous: 2,
      restated: 3,
    });
    expect(restated.differences?.every(({ period: label }) => label === period.label)).toBe(true);

    const items = (
      (await as('auditor').get(listPath).expect(200)).body as { items: ProducedBody[] }
    ).items;
    expect(items.map(({ version }) => version)).toEqual([2, 1]);
    // The first version is still served as it was produced.
    const again = (await bytes(as('auditor').get(first.download)).expect(200)).body as Buffer;
    expect(again.equals(firstBytes)).toBe(true);
    const restatedReport = JSON.parse(
      ((await bytes(as('auditor').get(restated.download)).expect(200)).body as Buffer).toString(
        'utf8',
      ),
    ) as ReportBody;
    expect(lineOf(restatedReport, 'opened').values[0]).toBe(3);
  });
});
