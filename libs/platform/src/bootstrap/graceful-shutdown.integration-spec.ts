import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { EVENT_SUBSCRIPTIONS } from '@itsm/contracts';
import {
  ServiceProcess,
  directClient,
  eventually,
  testEnvironment,
  testKafka,
  untilConsumerCaughtUp,
} from '@itsm/testing';

/**
 * A rolling update's SIGTERM to a real incident service process, against the real Kafka and
 * PostgreSQL: the request it is answering is answered, readiness says 503 meanwhile, the
 * consumer leaves its group, and the process exits 0 in time.
 */
describe('graceful shutdown on SIGTERM', () => {
  const consumerGroupPrefix = `itsm-shutdown-${randomUUID().slice(0, 8)}`;
  const group = `${consumerGroupPrefix}.incident`;
  const INCIDENT_TOPICS = [
    ...new Set(
      EVENT_SUBSCRIPTIONS.filter(({ service }) => service === 'incident').map(({ topic }) => topic),
    ),
  ];
  const admin = testKafka().admin();
  const locker = new Client({ connectionString: testEnvironment().databaseUrl });
  // Watches from outside the locker's transaction: PostgreSQL keeps a session's view of
  // pg_stat_activity until its transaction ends, so the locker would see a stale picture.
  const observer = new Client({ connectionString: testEnvironment().databaseUrl });
  let incident: ServiceProcess;

  beforeAll(async () => {
    await Promise.all([admin.connect(), locker.connect(), observer.connect()]);
    incident = await ServiceProcess.start('incident', {
      KAFKA_CONSUMER_GROUP_PREFIX: consumerGroupPrefix,
      // A group of its own starting at the topics' end: the broken events other suites leave
      // on the shared topics would be dead-lettered to a topic no migrate step made for it,
      // and the producer's retries would outlast the shutdown this test times.
      KAFKA_CONSUMER_START: 'latest',
      SHUTDOWN_DELAY_MS: '1500',
      SHUTDOWN_TIMEOUT_MS: '20000',
    });
  });

  afterAll(async () => {
    await incident?.kill();
    await locker.query('ROLLBACK').catch(() => undefined);
    await Promise.all([admin.disconnect(), locker.end(), observer.end()]);
  });

  /** Until a session of an incident service waits on the test's lock on incident.records. */
  const anIncidentSessionWaitsOnTheLock = () =>
    eventually(
      async () => {
        const { rows } = await observer.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'itsm-incident'
              AND wait_event_type = 'Lock'`,
        );
        return (rows[0]?.n ?? 0) >= 1 ? true : undefined;
      },
      { description: 'the read to wait on the lock' },
    );

  const members = async () => {
    const { groups } = await admin.describeGroups([group]);
    return groups[0]?.members.length ?? 0;
  };

  it('answers the request in flight, turns not ready, leaves its consumer group and exits 0', async () => {
    const agent = directClient('incident', incident.url, 'agent');
    const created = await agent
      .post('/api/v1/incidents')
      .set('Idempotency-Key', randomUUID())
      .send({ title: 'Shutdown drill', description: 'a rolling update', impact: 3, urgency: 3 })
      .expect(201);
    const id = (created.body as { id: string }).id;
    await eventually(async () => ((await members()) === 1 ? true : undefined), {
      description: 'the incident service to join its consumer group',
    });

    // Held by the test, so the read below waits on it: a request in flight at SIGTERM. The
    // service's consumer may wait on it as well, applying events earlier suites published.
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE incident.records IN ACCESS EXCLUSIVE MODE');
    const inFlight = agent.get(`/api/v1/incidents/${id}`).then((response) => response);
    await anIncidentSessionWaitsOnTheLock();

    const signalledAt = Date.now();
    const exited = incident.terminate();
    const readiness = await eventually(
      async () => {
        const response = await fetch(`${incident.url}/health/ready`);
        return response.status === 503 ? await response.json() : undefined;
      },
      { timeoutMs: 1000, intervalMs: 50, description: 'readiness to answer 503' },
    );
    expect(readiness).toMatchObject({ status: 503 });
    // Alive all the same: liveness must not have the orchestrator kill a draining process.
    expect((await fetch(`${incident.url}/health/live`)).status).toBe(200);

    // Past SHUTDOWN_DELAY_MS the listener is closed while the read still waits on the lock.
    await eventually(
      () =>
        fetch(`${incident.url}/health/live`).then(
          () => undefined,
          () => true,
        ),
      { timeoutMs: 5000, intervalMs: 50, description: 'the service to stop taking connections' },
    );
    await locker.query('COMMIT');
    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ id, title: 'Shutdown drill' });

    expect(await exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(15_000);
    expect(await members()).toBe(0);

    const log = readFileSync(incident.logFile, 'utf8');
    for (const step of [
      'SIGTERM: shutting down; /health/ready answers 503',
      'still taking new connections for 1500 ms',
      'waiting for 1 request(s) in flight',
      'every request in flight answered',
      'outbox relay stopped',
      `left the consumer group ${group}`,
      'database pool closed',
    ])
      expect(log).toContain(step);
  });

  it('does not outlive SHUTDOWN_TIMEOUT_MS for a request that never finishes', async () => {
    // Only the request may wait on the lock: a consumer applying what earlier suites
    // published would wait on it too and could not leave its group in time. So a group of
    // its own, starting now, and nothing behind it before the lock is taken.
    const stuckGroupPrefix = `${consumerGroupPrefix}-stuck`;
    const stuck = await ServiceProcess.start('incident', {
      KAFKA_CONSUMER_GROUP_PREFIX: stuckGroupPrefix,
      KAFKA_CONSUMER_START: new Date().toISOString(),
      SHUTDOWN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '6000',
    });
    try {
      await untilConsumerCaughtUp('incident', INCIDENT_TOPICS, { groupPrefix: stuckGroupPrefix });
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE incident.records IN ACCESS EXCLUSIVE MODE');
      const request = directClient('incident', stuck.url, 'agent')
        .get(`/api/v1/incidents/${randomUUID()}`)
        .then(
          (response) => response.status,
          () => 'cut',
        );
      await anIncidentSessionWaitsOnTheLock();
      const signalledAt = Date.now();
      expect(await stuck.terminate()).toBe(0);
      // SHUTDOWN_TIMEOUT_MS less the 5 s kept for Kafka and the pool: the connection is cut then.
      expect(Date.now() - signalledAt).toBeLessThan(6000);
      expect(await request).toBe('cut');
      expect(readFileSync(stuck.logFile, 'utf8')).toMatch(
        /1 request\(s\) still running after \d+ ms: closing their connections/,
      );
    } finally {
      await locker.query('ROLLBACK');
      await stuck.kill();
    }
  });
});
