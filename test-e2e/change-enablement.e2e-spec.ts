import { randomUUID } from 'node:crypto';
import { EventTypes, Topics } from '@itsm/contracts';
import { RecordsApi, RunningPlatform, eventsOf, eventually } from '@itsm/testing';

interface Ci {
  id: string;
  name: string;
}

interface CiHistoryEntry {
  kind: string;
  actor: string;
  changeNumber: string | null;
  at: string;
}

interface ChangeBody {
  id: string;
  number: string;
  title: string;
  state: string;
  closeCode: string | null;
}

interface IncidentBody {
  id: string;
  state: string;
  awaitingChangeId: string | null;
}

interface JournalEntry {
  kind: string;
  text: string;
  author: string;
}

const POLL = { timeoutMs: 60_000, intervalMs: 500 };

/**
 * Change enablement across the real services, through the gateway: a change implemented on
 * a CI reaches the CMDB (the CI's history names it) and the incident waiting for it (a
 * work note), each through its own consumer of `itsm.change.completed.v1`.
 */
describe('change enablement, from the change to the CMDB and the incidents waiting for it', () => {
  let platform: RunningPlatform;
  let changeManager: RecordsApi;
  let configurationManager: RecordsApi;
  let agent: RecordsApi;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident', 'change', 'cmdb']);
    changeManager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    configurationManager = await RecordsApi.as(platform.gatewayUrl, 'configuration_manager');
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    await agent.untilGroupsKnown(['service-desk']);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('records a completed change as "changed by CHG…" in its CI’s history and notes the incident on hold for it', async () => {
    const name = `ledger-db-${randomUUID().slice(0, 8)}`;
    const ci = (
      await configurationManager
        .call('post', '/api/v1/cis')
        .send({
          class: 'database',
          name,
          status: 'operational',
          environment: 'production',
          attributes: { engine: 'postgresql', engineVersion: '16.4' },
        })
        .expect(201)
    ).body as Ci;

    const change = (
      await changeManager
        .create('changes', {
          title: `Apply the PostgreSQL 16.6 security fix to ${name}`,
          description: 'CVE fix; the ledger export fails until it is applied',
          model: 'emergency',
          ciIds: [ci.id],
        })
        .expect(201)
    ).body as ChangeBody;

    const incident = (
      await agent
        .create('incidents', {
          title: 'Ledger export fails',
          description: 'The nightly ledger export stops on the database',
          impact: 2,
          urgency: 2,
          ciIds: [ci.id],
        })
        .expect(201)
    ).body as IncidentBody;
    await agent
      .transition('incidents', incident.id, { to: 'in_progress', assignmentGroup: 'service-desk' })
      .expect(200);
    await agent
      .transition('incidents', incident.id, {
        to: 'on_hold',
        holdReason: 'awaiting_change',
        awaitingChangeId: change.id,
      })
      .expect(200);

    const start = new Date();
    await changeManager
      .transition('changes', change.id, {
        to: 'authorize',
        assignmentGroup: 'database',
        plannedStart: start.toISOString(),
        plannedEnd: new Date(start.getTime() + 2 * 3_600_000).toISOString(),
      })
      .expect(200);
    await changeManager
      .transition('changes', change.id, {
        to: 'implement',
        reason: 'The export must run tonight; the emergency CAB authorises after the fact',
      })
      .expect(200);
    const reviewed = (
      await changeManager
        .transition('changes', change.id, { to: 'review', closeCode: 'successful' })
        .expect(200)
    ).body as ChangeBody;
    expect(reviewed).toMatchObject({ state: 'review', closeCode: 'successful' });

    // Leaving implement published the milestone both services act on.
    await eventually(
      async () =>
        (await eventsOf(change.id, Topics.changeEvents)).some(
          (event) => event.type === EventTypes.change.completed,
        ) || undefined,
      { ...POLL, description: `${change.number}'s completed event` },
    );

    const changedBy = await eventually(
      async () => {
        const history = await configurationManager
          .call('get', `/api/v1/cis/${ci.id}/history`)
          .expect(200);
        return (history.body as { items: CiHistoryEntry[] }).items.find(
          (entry) => entry.kind === 'changed_by_change',
        );
      },
      { ...POLL, description: `"changed by ${change.number}" in the CI's history` },
    );
    expect(changedBy).toMatchObject({ actor: change.number, changeNumber: change.number });

    const note = await eventually(
      async () => {
        const journal = await agent.journal('incidents', incident.id).expect(200);
        return (journal.body as { items: JournalEntry[] }).items.find(
          (entry) => entry.kind === 'work_note' && entry.text.includes(change.number),
        );
      },
      { ...POLL, description: `the incident's note about ${change.number}` },
    );
    expect(note).toEqual(
      expect.objectContaining({
        author: 'system',
        text: `Change ${change.number} "${change.title}" this record waits for was implemented (close code: successful). Resume work when ready.`,
      }),
    );
    // The agent resumes it: the note says the change is in, the incident still waits for them.
    expect((await agent.get('incidents', incident.id).expect(200)).body).toMatchObject({
      state: 'on_hold',
      awaitingChangeId: change.id,
    });

    // Once each: the CI names the change once in its history.
    const history = await configurationManager
      .call('get', `/api/v1/cis/${ci.id}/history`)
      .expect(200);
    expect(
      (history.body as { items: CiHistoryEntry[] }).items.filter(
        (entry) => entry.kind === 'changed_by_change',
      ),
    ).toHaveLength(1);
  });
});
