import request from 'supertest';
import { Topics, EventTypes } from '@itsm/contracts';
import {
  ALL_SERVICES,
  OtlpReceiver,
  RecordsApi,
  RunningPlatform,
  countRows,
  eventually,
  header,
  readWholeTopic,
  testKafka,
  tokenFor,
} from '@itsm/testing';

interface ArchivedEvent {
  event: {
    id: string;
    type: string;
    subject: string;
    source: string;
    traceparent?: string;
    data: { incident: { number: string } };
  };
}

describe('the first slice: an incident from the gateway to the reporting archive', () => {
  let otlp: OtlpReceiver;
  let platform: RunningPlatform;
  let token: string;
  let auditorToken: string;

  beforeAll(async () => {
    otlp = await OtlpReceiver.start();
    platform = await RunningPlatform.start(ALL_SERVICES, otlp.exporterEnvironment());
    token = await tokenFor(platform.gatewayUrl, 'agent');
    auditorToken = await tokenFor(platform.gatewayUrl, 'auditor');
  });

  afterAll(async () => {
    await platform?.stop();
    await otlp?.stop();
  });

  const archiveOf = async (subject: string): Promise<ArchivedEvent[]> => {
    const response = await request(platform.gatewayUrl)
      .get('/api/v1/reports/event-archive')
      .query({ subject })
      .set('authorization', `Bearer ${auditorToken}`)
      .expect(200);
    return (response.body as { items: ArchivedEvent[] }).items;
  };

  it('runs all seven services, each ready and serving Prometheus metrics on its metrics port only', async () => {
    for (const name of ALL_SERVICES) {
      const service = platform.service(name);
      const ready = await request(service.url).get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        info: { postgres: { status: 'up' }, kafka: { status: 'up' } },
      });
      await request(service.url).get('/health/live').expect(200);
      const metrics = await request(service.metricsUrl).get('/metrics').expect(200);
      expect(metrics.text).toContain('process_cpu_user_seconds_total');
      await request(service.url).get('/metrics').expect(404);
    }
  });

  it('creates an incident, returns it, publishes one CloudEvent and archives it once', async () => {
    const created = await request(platform.gatewayUrl)
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .send({ title: 'Mail is down', description: 'No mail since 09:00', impact: 2, urgency: 1 })
      .expect(201);
    const incident = created.body as {
      id: string;
      number: string;
      priority: string;
      state: string;
      requester: string;
    };
    expect(incident.number).toMatch(/^INC\d{7}$/);
    expect(incident).toMatchObject({ priority: 'P2', state: 'new', requester: 'agent' });
    expect(created.headers.location).toBe(`/api/v1/incidents/${incident.id}`);

    const read = await request(platform.gatewayUrl)
      .get(`/api/v1/incidents/${incident.id}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(read.body).toEqual(created.body);

    const archived = await eventually(
      async () => {
        const items = await archiveOf(incident.id);
        return items.length > 0 ? items : undefined;
      },
      // The run's reporting group starts with every event the earlier suites produced to archive first.
      { description: 'the created event in the archive', timeoutMs: 90_000 },
    );
    expect(archived).toHaveLength(1);
    const event = archived[0].event;
    expect(event).toMatchObject({
      type: EventTypes.incident.created,
      subject: incident.id,
      source: '/itsm/incident',
    });
    expect(event.data.incident.number).toBe(incident.number);
    expect(event.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);

    const records = (await readWholeTopic(testKafka(), Topics.incidentEvents)).filter(
      ({ message }) => message.key?.toString() === incident.id,
    );
    expect(records).toHaveLength(1);
    const record = records[0].message;
    expect(header(record, 'ce_type')).toBe(EventTypes.incident.created);
    expect(header(record, 'ce_id')).toBe(event.id);
    expect(header(record, 'ce_specversion')).toBe('1.0');
    expect(header(record, 'content-type')).toContain('application/json');
    expect(header(record, 'traceparent')).toMatch(/^00-/);
  });

  it('follows one trace from the gateway through the incident service and Kafka to reporting', async () => {
    const created = await request(platform.gatewayUrl)
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .send({ title: 'VPN drops', description: 'Every ten minutes', impact: 3, urgency: 3 })
      .expect(201);
    const id = (created.body as { id: string }).id;
    await eventually(async () => ((await archiveOf(id)).length > 0 ? true : undefined), {
      timeoutMs: 90_000,
    });
    const archivedTraceparent = (await archiveOf(id))[0].event.traceparent as string;
    const traceId = archivedTraceparent.split('-')[1];

    const servicesInTrace = await eventually(
      () => {
        const services = new Set(
          otlp.spans.filter((span) => span.traceId === traceId).map((span) => span.service),
        );
        return ['itsm-gateway', 'itsm-incident', 'itsm-reporting'].every((service) =>
          services.has(service),
        )
          ? services
          : undefined;
      },
      { description: `spans of trace ${traceId} from gateway, incident and reporting` },
    );
    // The slm service consumes incident events too, so its spans may join the trace.
    expect([...servicesInTrace]).toEqual(
      expect.arrayContaining(['itsm-gateway', 'itsm-incident', 'itsm-reporting']),
    );

    const spans = otlp.spans.filter((span) => span.traceId === traceId);
    const gatewayServer = spans.find((span) => span.service === 'itsm-gateway' && span.kind === 2);
    expect(gatewayServer?.parentSpanId).toBeUndefined();
    const kafkaProducer = spans.find((span) => span.service === 'itsm-incident' && span.kind === 4);
    const kafkaConsumer = spans.find(
      (span) => span.service === 'itsm-reporting' && span.kind === 5,
    );
    expect(kafkaProducer).toBeDefined();
    expect(kafkaConsumer).toBeDefined();
    expect(
      spans.some(
        (span) => span.service === 'itsm-reporting' && span.name.toLowerCase().includes('insert'),
      ),
    ).toBe(true);
  });

  it('answers bad input with 400 problem+json naming each field, and stores nothing', async () => {
    const incidentsBefore = await countRows('incident.records');
    const outboxBefore = await countRows('incident.outbox');
    const response = await request(platform.gatewayUrl)
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .send({ title: '', description: 'x', impact: 7, urgency: 'high', severity: 1 })
      .expect(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const problem = response.body as {
      status: number;
      traceId: string;
      errors: { field: string }[];
    };
    expect(problem.status).toBe(400);
    expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(problem.errors.map((error) => error.field))).toEqual(
      new Set(['title', 'impact', 'urgency', 'severity']),
    );

    const malformed = await request(platform.gatewayUrl)
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .send('{"title": "unterminated')
      .expect(400);
    expect(malformed.headers['content-type']).toContain('application/problem+json');

    expect(await countRows('incident.records')).toBe(incidentsBefore);
    expect(await countRows('incident.outbox')).toBe(outboxBefore);
  });

  it('refuses a request without a token, or with a bad one, with 401 and stores nothing', async () => {
    const incidentsBefore = await countRows('incident.records');
    const body = { title: 'Printer on fire', description: 'Really', impact: 1, urgency: 1 };
    const [headerPart, payloadPart, signaturePart] = token.split('.') as [string, string, string];
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payloadPart}.`;
    const tampered = `${headerPart}.${Buffer.from(JSON.stringify({ sub: 'admin', roles: ['admin'] })).toString('base64url')}.${signaturePart}`;
    const attempts: [string, string | undefined][] = [
      ['no token', undefined],
      ['not a JWT', 'Bearer not-a-token'],
      ['unsigned', `Bearer ${unsigned}`],
      ['tampered payload', `Bearer ${tampered}`],
    ];
    for (const [, authorization] of attempts) {
      const call = request(platform.gatewayUrl).post('/api/v1/incidents').send(body);
      if (authorization) void call.set('authorization', authorization);
      const response = await call.expect(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    await request(platform.gatewayUrl)
      .post('/api/v1/auth/token')
      .send({ username: 'agent', password: 'wrong' })
      .expect(401)
      .expect('content-type', /application\/problem\+json/);
    expect(await countRows('incident.records')).toBe(incidentsBefore);
  });

  it('puts a requester’s incident in the service desk’s queue, where an agent finds and takes it', async () => {
    const requester = await RecordsApi.as(platform.gatewayUrl, 'requester');
    const agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    const raised = (
      await requester
        .create('incidents', {
          title: 'Cannot print',
          description: 'Since this morning',
          impact: 3,
          urgency: 2,
        })
        .expect(201)
    ).body as { id: string; assignmentGroup: string; assignee: string | null };
    expect(raised).toMatchObject({ assignmentGroup: 'service-desk', assignee: null });
    await agent.get('incidents', raised.id).expect(200);
    const queue = (
      await agent
        .list('incidents', { assignmentGroup: 'service-desk', unassigned: true, limit: 500 })
        .expect(200)
    ).body as { items: { id: string }[] };
    expect(queue.items.map((item) => item.id)).toContain(raised.id);
    await agent.untilGroupsKnown(['service-desk']);
    const taken = await agent.patch('incidents', raised.id, { assignee: 'agent' });
    expect(taken.status).toBe(200);
    await requester.get('incidents', raised.id).expect(200);
  });
});
