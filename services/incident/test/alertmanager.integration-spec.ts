import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  AlertmanagerProcess,
  alertmanagerForGateway,
  RecordsApi,
  RunningPlatform,
  eventually,
  queryTestDatabase,
  tokenFor,
} from '@itsm/testing';
import {
  capturedAlert,
  capturedNotification,
} from '../src/alerting/domain/alertmanager-payload.fixture';

interface Listed {
  id: string;
  number: string;
  title: string;
  priority: string;
  source: string;
  assignmentGroup: string | null;
  externalRef: string;
  tags: string[];
  state: string;
}

/**
 * A real Prometheus Alertmanager (Debian's package) notifying the gateway with an API key:
 * one incident per alert, a note for each repeat notification, a note when it resolves.
 */
describe('Prometheus Alertmanager raising incidents through the gateway', () => {
  let platform: RunningPlatform;
  let alertmanager: AlertmanagerProcess;
  let manager: RecordsApi;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    manager = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    await manager.untilGroupsKnown(['database']);
    alertmanager = await alertmanagerForGateway(platform.gatewayUrl, { repeatInterval: '3s' });
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await platform?.stop();
  });

  async function incidentsFor(alertname: string): Promise<Listed[]> {
    const response = await manager
      .list('incidents', { tag: `alertname:${alertname.toLowerCase()}` })
      .expect(200);
    return (response.body as { items: Listed[] }).items;
  }

  async function notesOf(id: string): Promise<string[]> {
    const response = await manager.journal('incidents', id).expect(200);
    return (response.body as { items: { text: string }[] }).items.map((entry) => entry.text);
  }

  it('opens one incident per alert, notes the repeats instead of duplicating, and notes the resolution', async () => {
    const alertname = `PostgresReplicationLag${randomUUID().slice(0, 6)}`;
    const alert = {
      labels: { alertname, severity: 'critical', instance: 'db01:9187', team: 'database' },
      annotations: {
        summary: 'Replication lag above 5 minutes on db01',
        description: 'Standby db02 is 312 s behind.',
      },
    };
    await alertmanager.postAlerts([alert]);

    const [incident] = await eventually(
      async () => {
        const found = await incidentsFor(alertname);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 30_000, description: 'the incident Alertmanager raised' },
    );
    expect(incident).toMatchObject({
      title: 'Replication lag above 5 minutes on db01',
      priority: 'P1',
      source: 'monitoring',
      assignmentGroup: 'database',
      externalRef: expect.stringMatching(/^alertmanager:[0-9a-f]+$/),
    });

    const repeatNote = await eventually(
      async () => (await notesOf(incident.id)).find((text) => /still firing/i.test(text)),
      { timeoutMs: 30_000, description: 'a note for the repeated notification' },
    );
    expect(repeatNote).toContain('Replication lag above 5 minutes on db01');
    expect(await incidentsFor(alertname)).toHaveLength(1);

    await alertmanager.resolveAlerts([alert]);
    const resolvedNote = await eventually(
      async () => (await notesOf(incident.id)).find((text) => /resolved/i.test(text)),
      { timeoutMs: 30_000, description: 'a note for the resolution' },
    );
    expect(resolvedNote).toBeDefined();
    const after = await incidentsFor(alertname);
    expect(after).toHaveLength(1);
    expect(after[0]?.state).toBe('new');
  });

  it('applies a notification whole or not at all, so its retry after a failure notes no alert twice', async () => {
    const agent = await tokenFor(platform.gatewayUrl, 'agent');
    const suffix = randomUUID().replaceAll('-', '').slice(0, 14);
    // Alerts are applied in fingerprint order: the first one's note is written before the second fails.
    const first = { fingerprint: `00${suffix}`, summary: 'Queue depth high on mq01' };
    const second = { fingerprint: `ff${suffix}`, summary: `Refused by the database ${suffix}` };
    const firing = (alerts: { fingerprint: string; summary: string }[]) => ({
      ...capturedNotification(),
      groupKey: `{}:{alertname="QueueDepth${suffix}"}`,
      alerts: alerts.map(({ fingerprint, summary }) =>
        capturedAlert({
          labels: { alertname: `QueueDepth${suffix}`, fingerprint },
          annotations: { summary },
          fingerprint,
        }),
      ),
    });
    const notify = (body: object) =>
      request(platform.gatewayUrl)
        .post('/api/v1/integrations/alertmanager')
        .set('authorization', `Bearer ${agent}`)
        .send(body);
    const incidentFor = async (fingerprint: string) =>
      (
        (
          await manager
            .list('incidents', { externalRef: `alertmanager:${fingerprint}` })
            .expect(200)
        ).body as { items: Listed[] }
      ).items;

    await notify(firing([first])).expect(200);
    const [opened] = await incidentFor(first.fingerprint);
    if (!opened) throw new Error('the first notification opened no incident');
    const openedId = opened.id;
    const notesBefore = (await notesOf(openedId)).length;

    const trigger = `refuse_${suffix}`;
    await queryTestDatabase(
      `CREATE FUNCTION incident.${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION 'refused by the test'; END $$`,
    );
    await queryTestDatabase(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON incident.records FOR EACH ROW
         WHEN (NEW.title = '${second.summary}') EXECUTE FUNCTION incident.${trigger}()`,
    );
    try {
      const failed = await notify(firing([first, second]));
      expect(failed.status).toBe(500);
      expect(failed.headers['content-type']).toContain('application/problem+json');
    } finally {
      await queryTestDatabase(`DROP TRIGGER ${trigger} ON incident.records`);
      await queryTestDatabase(`DROP FUNCTION incident.${trigger}()`);
    }
    expect(await notesOf(openedId)).toHaveLength(notesBefore);
    expect(await incidentFor(second.fingerprint)).toHaveLength(0);

    // Alertmanager retries the failed notification: each alert is applied once.
    const retried = await notify(firing([first, second])).expect(200);
    expect(retried.body).toMatchObject({
      outcomes: [
        { fingerprint: first.fingerprint, action: 'note', incidentId: openedId },
        { fingerprint: second.fingerprint, action: 'open' },
      ],
    });
    const notes = await notesOf(openedId);
    expect(notes).toHaveLength(notesBefore + 1);
    expect(notes.at(-1)).toMatch(/still firing/);
    expect(await incidentFor(second.fingerprint)).toHaveLength(1);
  });

  it('refuses a payload that is not version 4, naming the field, and raises nothing', async () => {
    const agent = await tokenFor(platform.gatewayUrl, 'agent');
    const response = await request(platform.gatewayUrl)
      .post('/api/v1/integrations/alertmanager')
      .set('authorization', `Bearer ${agent}`)
      .send({ version: '3', status: 'firing', alerts: [] })
      .expect(400);
    expect(
      (response.body as { errors: { field: string }[] }).errors.map((error) => error.field),
    ).toContain('version');
    const requester = await tokenFor(platform.gatewayUrl, 'requester');
    await request(platform.gatewayUrl)
      .post('/api/v1/integrations/alertmanager')
      .set('authorization', `Bearer ${requester}`)
      .send({ version: '4' })
      .expect(403);
  });
});
