import { Topics } from '@itsm/contracts';
import {
  ServiceProcess,
  directClient,
  eventually,
  queryTestDatabase,
  readWholeTopic,
  testKafka,
} from '@itsm/testing';

async function outboxRowsFor(subject: string): Promise<number> {
  const [row] = await queryTestDatabase<{ n: number }>(
    'SELECT count(*)::int AS n FROM incident.outbox WHERE message_key = $1',
    [subject],
  );
  return row?.n ?? 0;
}

describe('the incident outbox across a crash', () => {
  let incident: ServiceProcess | undefined;

  afterEach(async () => {
    await incident?.stop();
  });

  it('publishes an event committed just before the service died, exactly once, after the restart', async () => {
    // The relay is off, so the process dies with the event committed but not yet published.
    incident = await ServiceProcess.start('incident', { OUTBOX_RELAY_ENABLED: 'false' });
    const created = await directClient('incident', incident.url, 'agent')
      .post('/api/v1/incidents')
      .send({
        title: 'Disk full on db01',
        description: 'PostgreSQL stopped accepting writes',
        impact: 1,
        urgency: 1,
      })
      .expect(201);
    const id = (created.body as { id: string }).id;
    expect(await outboxRowsFor(id)).toBe(1);

    await incident.kill();
    incident = await ServiceProcess.start('incident');

    await eventually(async () => ((await outboxRowsFor(id)) === 0 ? true : undefined), {
      description: 'the restarted relay to publish the outbox row',
    });
    const published = (await readWholeTopic(testKafka(), Topics.incidentEvents)).filter(
      ({ message }) => message.key?.toString() === id,
    );
    expect(published).toHaveLength(1);
  });
});
