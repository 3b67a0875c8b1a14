import { Client } from 'pg';
import { ALL_SERVICES, eventually } from '@itsm/testing';
import { startFaultStage, stopFaultStage, type FaultStage } from './support/private-platform';
import { bearerToken, call, type Answer } from './support/http';

/**
 * Graceful degradation (issue 20, item 7): PostgreSQL or Kafka going away must cost
 * availability only where it has to, never a hanging request or a service that needs a
 * restart to come back.
 */
describe('the platform while PostgreSQL or Kafka is down', () => {
  let stage: FaultStage | undefined;
  let gatewayUrl: string;
  let token: string;
  let incidentId: string;

  // A request answered within this is not hanging: the gateway's upstream deadline (10 s) plus room for a loaded machine.
  const NO_HANG_MS = 20_000;
  // Recovery on two shared cores, reconnect back-offs included.
  const RECOVERY = { timeoutMs: 240_000, intervalMs: 1000 };

  beforeAll(async () => {
    stage = await startFaultStage('degradation');
    gatewayUrl = stage.platform.gatewayUrl;
    token = await bearerToken(gatewayUrl, 'agent');
    const created = await createIncident('Before any outage');
    expect(created.status).toBe(201);
    incidentId = (created.body as { id: string }).id;
  }, 600_000);

  afterAll(async () => {
    await stopFaultStage(stage);
  }, 120_000);

  const auth = (): Record<string, string> => ({ authorization: `Bearer ${token}` });
  const createIncident = (title: string): Promise<Answer> =>
    call(
      `${gatewayUrl}/api/v1/incidents`,
      {
        method: 'POST',
        headers: auth(),
        body: { title, description: 'graceful degradation', impact: 3, urgency: 3 },
      },
      NO_HANG_MS,
    );
  const readiness = (service: (typeof ALL_SERVICES)[number]): Promise<Answer> =>
    call(`${stage!.platform.service(service).url}/health/ready`, {}, NO_HANG_MS);
  const outboxRows = async (): Promise<number> => {
    const client = new Client({ connectionString: stage!.infrastructure.databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM incident.outbox',
      );
      return rows[0]?.n ?? 0;
    } finally {
      await client.end();
    }
  };
  const allReady = async (): Promise<true | undefined> => {
    const answers = await Promise.all(ALL_SERVICES.map(readiness));
    return answers.every((answer) => answer.status === 200) ? true : undefined;
  };

  const expectUnavailable = (answer: Answer): void => {
    expect({ status: answer.status, contentType: answer.contentType }).toEqual({
      status: 503,
      contentType: expect.stringContaining('application/problem+json') as string,
    });
    expect(answer.body).toMatchObject({ status: 503 });
  };

  it('answers 503 problem+json without hanging while PostgreSQL is down, and every service recovers by itself', async () => {
    await stage!.infrastructure.stopPostgres();

    // A write, a read, and the gateway's own use of the database (issuing a token).
    expectUnavailable(await createIncident('While PostgreSQL is down'));
    expectUnavailable(
      await call(`${gatewayUrl}/api/v1/incidents/${incidentId}`, { headers: auth() }, NO_HANG_MS),
    );
    expectUnavailable(
      await call(
        `${gatewayUrl}/api/v1/auth/token`,
        { method: 'POST', body: { username: 'agent', password: 'itsm-dev' } },
        NO_HANG_MS,
      ),
    );
    for (const service of ALL_SERVICES)
      await eventually(async () => ((await readiness(service)).status === 503 ? true : undefined), {
        ...RECOVERY,
        description: `${service} to report not ready without PostgreSQL`,
      });

    await stage!.infrastructure.startPostgres();

    await eventually(allReady, { ...RECOVERY, description: 'every service to be ready again' });
    await eventually(
      async () => (await createIncident('After PostgreSQL came back')).status === 201 || undefined,
      { ...RECOVERY, description: 'writes to succeed again' },
    );
    await eventually(async () => ((await outboxRows()) === 0 ? true : undefined), {
      ...RECOVERY,
      description: 'the relay to publish again',
    });
  }, 600_000);

  it('answers 503 or 504 problem+json without hanging while PostgreSQL is frozen, and recovers when it thaws', async () => {
    await stage!.infrastructure.pausePostgres();
    try {
      // New connections wait for the connect timeout, queries on open ones for the gateway's deadline.
      for (const answer of [
        await createIncident('While PostgreSQL is frozen'),
        await call(`${gatewayUrl}/api/v1/incidents/${incidentId}`, { headers: auth() }, NO_HANG_MS),
      ]) {
        expect([503, 504]).toContain(answer.status);
        expect(answer.contentType).toContain('application/problem+json');
      }
      expect((await readiness('incident')).status).toBe(503);
    } finally {
      await stage!.infrastructure.resumePostgres();
    }
    await eventually(allReady, { ...RECOVERY, description: 'every service to be ready again' });
    await eventually(
      async () => (await createIncident('After PostgreSQL thawed')).status === 201 || undefined,
      { ...RECOVERY, description: 'writes to succeed again' },
    );
  }, 600_000);

  it('answers 504 for a service that hangs and 503 for one that is gone, through the gateway', async () => {
    const read = (): Promise<Answer> =>
      call(`${gatewayUrl}/api/v1/incidents/${incidentId}`, { headers: auth() }, NO_HANG_MS);
    const incident = stage!.platform.service('incident');
    incident.pause();
    try {
      const frozen = await read();
      expect(frozen.contentType).toContain('application/problem+json');
      expect(frozen.body).toMatchObject({
        status: 504,
        type: expect.stringContaining('/upstream-timeout') as string,
      });
    } finally {
      incident.resume();
    }
    await incident.kill();
    const gone = await read();
    expect(gone.contentType).toContain('application/problem+json');
    expect(gone.body).toMatchObject({
      status: 503,
      type: expect.stringContaining('/upstream-unavailable') as string,
    });
    await stage!.platform.startService('incident');
    expect((await read()).status).toBe(200);
  }, 600_000);

  it('takes writes while Kafka is down and publishes them when it returns', async () => {
    await stage!.infrastructure.stopKafka();

    const created = await createIncident('While Kafka is down');
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    const patched = await call(
      `${gatewayUrl}/api/v1/incidents/${id}`,
      {
        method: 'PATCH',
        headers: { ...auth(), 'if-match': created.etag ?? '"1"' },
        body: { urgency: 2 },
      },
      NO_HANG_MS,
    );
    expect(patched.status).toBe(200);
    const moved = await call(
      `${gatewayUrl}/api/v1/incidents/${id}/transitions`,
      { method: 'POST', headers: auth(), body: { to: 'in_progress' } },
      NO_HANG_MS,
    );
    expect(moved.status).toBe(200);
    // The outbox holds them: nothing can have left.
    expect(await outboxRows()).toBeGreaterThanOrEqual(3);
    await eventually(
      async () => ((await readiness('incident')).status === 503 ? true : undefined),
      { ...RECOVERY, description: 'incident to report not ready without Kafka' },
    );

    await stage!.infrastructure.startKafka();

    await eventually(async () => ((await outboxRows()) === 0 ? true : undefined), {
      ...RECOVERY,
      description: 'the outbox to be published once Kafka is back',
    });
    await eventually(allReady, { ...RECOVERY, description: 'every service to be ready again' });
  }, 600_000);
});
