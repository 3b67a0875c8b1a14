import { randomUUID } from 'node:crypto';
import { EventValidator, Topics } from '@itsm/contracts';
import { RecordsApi, RunningPlatform, eventsOf, eventually } from '@itsm/testing';

interface Ci {
  id: string;
  name: string;
}

interface ChangeBody {
  id: string;
  number: string;
  title: string;
  description: string;
  model: string;
  state: string;
  unauthorized: boolean;
  ciIds: string[];
  assignmentGroup: string | null;
  requestedBy: string;
  actualStart: string | null;
  actualEnd: string | null;
  approval: string;
  risk: string;
}

interface TaskBody {
  type: string;
  title: string;
  state: string;
  assignmentGroup: string | null;
}

interface JournalEntry {
  kind: string;
  text: string;
  author: string;
}

const validator = new EventValidator();
const POLL = { timeoutMs: 60_000, intervalMs: 500 };

/**
 * Unauthorised changes across the real cmdb and change services: CIs changed through the
 * cmdb API, the change service reading the CMDB's events through its inbox.
 */
describe('unauthorised changes detected from the CMDB', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;
  let configurationManager: RecordsApi;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change', 'cmdb'], {
      // So that a closed change stops explaining its CI's updates at once, without waiting.
      CHANGE_UNAUTHORIZED_GRACE: 'PT0.001S',
    });
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    configurationManager = await RecordsApi.as(platform.gatewayUrl, 'configuration_manager');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function createCi(): Promise<Ci> {
    const name = `pay-db-${randomUUID().slice(0, 8)}`;
    const created = await configurationManager
      .call('post', '/api/v1/cis')
      .send({
        class: 'virtual_server',
        name,
        status: 'operational',
        ownerGroup: 'database',
        environment: 'production',
        identifiers: { hostname: name },
        attributes: { memoryMb: 8192, os: 'Ubuntu' },
      })
      .expect(201);
    return created.body as Ci;
  }

  async function updateCi(id: string, values: object): Promise<void> {
    const read = await configurationManager.call('get', `/api/v1/cis/${id}`).expect(200);
    await configurationManager
      .call('patch', `/api/v1/cis/${id}`)
      .set('if-match', read.headers.etag)
      .send(values)
      .expect(200);
  }

  async function unauthorizedOn(ciId: string): Promise<ChangeBody[]> {
    const listed = await manager
      .list('changes', { ciId, unauthorized: true, sort: 'openedAt' })
      .expect(200);
    return (listed.body as { items: ChangeBody[] }).items;
  }

  /** Waits for the first unauthorised change on the CI. */
  function firstUnauthorizedOn(ciId: string): Promise<ChangeBody> {
    return eventually(async () => (await unauthorizedOn(ciId))[0], {
      ...POLL,
      description: `an unauthorised change on CI ${ciId}`,
    });
  }

  async function workNotes(changeId: string): Promise<JournalEntry[]> {
    const journal = await manager.journal('changes', changeId).expect(200);
    return (journal.body as { items: JournalEntry[] }).items.filter(
      (entry) => entry.kind === 'work_note',
    );
  }

  it('opens one emergency change in review, marked unauthorised, with its review task, for a CI changed with no change in implement', async () => {
    const ci = await createCi();
    // Bookkeeping and a value filled in first: they open nothing (the change lists only the memory).
    await updateCi(ci.id, { criticality: 2, attributes: { osVersion: '24.04' } });
    await updateCi(ci.id, { attributes: { memoryMb: 16384 } });

    const change = await firstUnauthorizedOn(ci.id);
    const [cmdbUpdate] = (await eventsOf(ci.id, Topics.cmdbEvents)).filter(
      (event) =>
        event.type === 'itsm.ci.updated.v1' &&
        (event.data.changedFields as string[]).includes('attributes.memoryMb'),
    );
    expect(change).toMatchObject({
      title: `Unauthorised change detected on ${ci.name}`,
      model: 'emergency',
      state: 'review',
      unauthorized: true,
      ciIds: [ci.id],
      assignmentGroup: 'database',
      requestedBy: 'system',
      actualStart: cmdbUpdate?.time,
      actualEnd: cmdbUpdate?.time,
      // The emergency CAB may authorise it after the fact.
      approval: 'requested',
      risk: 'high',
    });
    expect(change.description).toContain(
      `by configuration_manager through the CMDB API, and no change on the CI was being implemented or reviewed`,
    );
    expect(change.description).toContain('- attributes.memoryMb: 8192 → 16384');
    expect(change.description).not.toContain('criticality');
    expect(change.description).not.toContain('osVersion');

    const tasks = await manager.call('get', `/api/v1/changes/${change.id}/tasks`).expect(200);
    expect((tasks.body as { items: TaskBody[] }).items).toEqual([
      expect.objectContaining({
        type: 'review',
        title: `Post-implementation review of ${change.number}`,
        state: 'open',
        assignmentGroup: 'database',
      }),
    ]);

    // Its normal events, validated against their schemas.
    const events = await eventually(
      async () => {
        const found = await eventsOf(change.id, Topics.changeEvents);
        return found.some((event) => event.type === 'itsm.change_task.created.v1')
          ? found
          : undefined;
      },
      { ...POLL, description: 'the change’s events' },
    );
    const created = events.find((event) => event.type === 'itsm.change.created.v1');
    expect(created?.data).toMatchObject({
      change: { number: change.number, unauthorized: true, state: 'review' },
    });
    for (const event of events) validator.assertValid(event.type, event.data);

    // Authorised after the fact by a change manager; it stays in review.
    await manager
      .call('post', `/api/v1/changes/${change.id}/approvals`)
      .send({ decision: 'approve', comment: 'The DBA team sized it up for month end' })
      .expect(200);
    // Its post-implementation review is required to close it.
    await manager.transition('changes', change.id, { to: 'closed' }).expect(400);
    await manager
      .transition('changes', change.id, {
        to: 'closed',
        reviewNotes:
          'Made by the on-call DBA during the month-end run; a change is raised next time',
      })
      .expect(200);
    expect(await unauthorizedOn(ci.id)).toHaveLength(1);
  });

  it('opens nothing for a CI changed while a change on it is in implement', async () => {
    const ci = await createCi();
    const raised = await manager
      .create('changes', {
        title: 'Add memory to the payments database',
        model: 'emergency',
        ciIds: [ci.id],
      })
      .expect(201);
    const authorised = raised.body as ChangeBody;
    const start = new Date();
    await manager
      .transition('changes', authorised.id, {
        to: 'authorize',
        assignmentGroup: 'database',
        plannedStart: start.toISOString(),
        plannedEnd: new Date(start.getTime() + 3_600_000).toISOString(),
      })
      .expect(200);
    await manager
      .transition('changes', authorised.id, { to: 'implement', reason: 'Month end is tonight' })
      .expect(200);

    await updateCi(ci.id, { attributes: { memoryMb: 32768 } });

    // Once the change is done (and the test's grace period over), the next update is one
    // nobody authorised: the CI's events are read in order, so when it has been judged,
    // the one made during the implementation has been too.
    await manager
      .transition('changes', authorised.id, { to: 'review', closeCode: 'successful' })
      .expect(200);
    await manager
      .transition('changes', authorised.id, { to: 'closed', reviewNotes: 'Went as planned' })
      .expect(200);
    await updateCi(ci.id, { environment: 'staging' });

    const detected = await firstUnauthorizedOn(ci.id);
    expect(detected.description).toContain('- environment: "production" → "staging"');
    expect(detected.description).not.toContain('memoryMb');
    expect(await unauthorizedOn(ci.id)).toHaveLength(1);
  });

  it('opens one change for a burst of updates of a CI, the others noted on it', async () => {
    const ci = await createCi();
    await updateCi(ci.id, { attributes: { memoryMb: 12288 } });
    await updateCi(ci.id, { identifiers: { hostname: `${ci.name}-b` } });
    await updateCi(ci.id, { status: 'maintenance' });

    const change = await firstUnauthorizedOn(ci.id);
    const notes = await eventually(
      async () => {
        const found = await workNotes(change.id);
        return found.length === 2 ? found : undefined;
      },
      { ...POLL, description: 'the two later updates as work notes' },
    );
    expect(change.description).toContain('- attributes.memoryMb: 8192 → 12288');
    expect(notes.map((note) => note.author)).toEqual(['system', 'system']);
    expect(notes.map((note) => note.text)).toEqual([
      expect.stringContaining(`- identifiers.hostname: "${ci.name}" → "${ci.name}-b"`),
      expect.stringContaining('- status: "operational" → "maintenance"'),
    ]);
    const [only] = await unauthorizedOn(ci.id);
    expect(await unauthorizedOn(ci.id)).toHaveLength(1);
    // Its actual end is the last update of the burst.
    expect(new Date(only?.actualEnd ?? 0).getTime()).toBeGreaterThan(
      new Date(change.actualStart ?? 0).getTime(),
    );
  });
});
