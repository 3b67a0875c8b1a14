import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  AlertmanagerProcess,
  alertmanagerForGateway,
  RecordsApi,
  RunningPlatform,
  eventually,
  tokenFor,
} from '@itsm/testing';

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
