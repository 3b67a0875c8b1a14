import { EventTypes } from '@itsm/contracts';
import { RunningPlatform, eventually, testKafka } from '@itsm/testing';
import { type Producer } from 'kafkajs';
import {
  ProblemsApi,
  incident,
  incidentEvent,
  newId,
  problemEventsOf,
  publishIncidents,
  type ProblemBody,
} from './problem-api';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The problem service through the gateway, against real Kafka and PostgreSQL; incidents
 * reach it as the incident service's events, which keep its copy of them.
 */
describe('problems', () => {
  let platform: RunningPlatform;
  let agent: ProblemsApi;
  let manager: ProblemsApi;
  let auditor: ProblemsApi;
  let producer: Producer;
  const run = `run${newId().slice(0, 8)}`;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'problem'], {
      PRIORITY_MATRIX: '2x2=P2',
      // The candidate rules are tested on their own; here they would open problems of their own.
      PROBLEM_CANDIDATE_RULES: '',
      PROBLEM_CANDIDATE_FROM_MAJOR_INCIDENTS: 'false',
    });
    agent = await ProblemsApi.as(platform.gatewayUrl, 'agent');
    manager = await ProblemsApi.as(platform.gatewayUrl, 'problem_manager');
    auditor = await ProblemsApi.as(platform.gatewayUrl, 'auditor');
    producer = testKafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await platform?.stop();
  });

  /** Incidents published as the incident service would, known to problem management once linkable. */
  async function knownIncidents(
    count: number,
    fields: Parameters<typeof incident>[0] = {},
  ): Promise<string[]> {
    const snapshots = Array.from({ length: count }, () => incident(fields));
    await publishIncidents(
      producer,
      snapshots.map((snapshot) => incidentEvent(snapshot)),
    );
    const scratch = await manager.create({ title: `Scratch ${run}` });
    const ids = snapshots.map((snapshot) => snapshot.id);
    await eventually(
      async () => {
        const response = await manager.post(`/${scratch.id}/incidents`, { incidentIds: ids });
        return response.status === 200 ? true : undefined;
      },
      { description: 'the problem service to know the incidents' },
    );
    await manager.transition(scratch.id, { to: 'cancelled', reason: 'scratch' }).expect(200);
    return ids;
  }

  async function walk(id: string, steps: ({ to: string } & Record<string, unknown>)[]) {
    let last: ProblemBody | undefined;
    for (const step of steps) {
      const response = await agent.transition(id, step);
      if (response.status !== 200) {
        throw new Error(`${step.to}: ${response.status} ${JSON.stringify(response.body)}`);
      }
      last = response.body as ProblemBody;
    }
    return last;
  }

  const TO_ASSESS = { to: 'assess', assignmentGroup: 'database' };
  const TO_RCA = { to: 'root_cause_analysis' };
  const TO_FIX = { to: 'fix_in_progress', causeNotes: 'Missing index on ledger' };
  const TO_RESOLVED = { to: 'resolved', fixNotes: 'Index added' };

  describe('creating', () => {
    it('opens a numbered problem with Location and ETag, its priority from the matrix', async () => {
      const response = await agent
        .post('', { title: `Ledger locks ${run}`, impact: 2, urgency: 2, category: 'database' })
        .expect(201);
      const body = response.body as ProblemBody;
      expect(body.number).toMatch(/^PRB\d{7}$/);
      expect(response.headers.location).toBe(`/api/v1/problems/${body.id}`);
      expect(response.headers.etag).toBe('"1"');
      expect(body).toMatchObject({
        state: 'new',
        source: 'manual',
        priority: 'P2',
        openedBy: 'agent',
        incidentCount: 0,
      });
      expect(await agent.read(body.id)).toMatchObject({ id: body.id, number: body.number });
      const events = await eventually(async () => {
        const found = await problemEventsOf(body.id);
        return found.length > 0 ? found : undefined;
      });
      expect(events.map((event) => event.type)).toEqual([EventTypes.problem.created]);
    });

    it('overrides the priority only with a reason', async () => {
      const refused = await agent
        .post('', { title: 'x', impact: 3, urgency: 3, priority: 'P1' })
        .expect(400);
      expect(JSON.stringify(refused.body)).toContain('priorityOverrideReason');
      const overridden = await agent.create({
        impact: 3,
        urgency: 3,
        priority: 'P1',
        priorityOverrideReason: 'Month end',
      });
      expect(overridden).toMatchObject({ priority: 'P1', priorityOverrideReason: 'Month end' });
    });

    it.each([
      ['title', { title: '  ', impact: 3, urgency: 3 }],
      ['impact', { title: 'Bad impact', impact: 7, urgency: 3 }],
      ['assignee', { title: 'Lonely assignee', impact: 3, urgency: 3, assignee: 'dana' }],
      ['fromIncidentId', { fromIncidentId: newId() }],
    ])('refuses a bad %s with a problem+json naming it, storing nothing', async (field, body) => {
      const marker = `bad-${field}-${run}`;
      const response = await agent.post('', { ...body, description: marker }).expect(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(response.body)).toContain(field);
      const page = (await agent.get('').query({ q: marker }).expect(200)).body as Page<ProblemBody>;
      expect(page.items).toEqual([]);
    });

    it('opens from an incident, copying its fields and linking it', async () => {
      const ciId = newId();
      const businessServiceId = newId();
      const snapshot = incident({
        title: `Mail bounces ${run}`,
        description: 'Since 9:00',
        category: 'mail',
        subcategory: 'smtp',
        businessServiceId,
        ciIds: [ciId],
        impact: 1,
        urgency: 2,
      });
      await publishIncidents(producer, [incidentEvent(snapshot)]);
      const created = await eventually(async () => {
        const response = await agent.post('', { fromIncidentId: snapshot.id, urgency: 1 });
        return response.status === 201 ? (response.body as ProblemBody) : undefined;
      });
      expect(created).toMatchObject({
        title: `Mail bounces ${run}`,
        description: 'Since 9:00',
        category: 'mail',
        subcategory: 'smtp',
        businessServiceId,
        ciIds: [ciId],
        impact: 1,
        urgency: 1,
        source: 'incident',
        incidentCount: 1,
      });
      const linked = (await agent.get(`/${created.id}/incidents`).expect(200)).body as Page<{
        id: string;
        number: string;
      }>;
      expect(linked.items).toEqual([
        expect.objectContaining({ id: snapshot.id, number: snapshot.number }),
      ]);
    });
  });

  describe('listing', () => {
    it('filters by state, source, CI, category and text, and pages with a cursor', async () => {
      const ciId = newId();
      const tag = `list${run}`;
      const first = await agent.create({
        title: `Disk full ${tag}`,
        ciIds: [ciId],
        category: 'storage',
      });
      const second = await agent.create({ title: `Disk slow ${tag}`, category: 'storage' });
      const third = await agent.create({
        title: `Printer jam ${tag}`,
        description: 'toner everywhere',
      });
      await agent.transition(second.id, TO_ASSESS).expect(200);
      const ids = async (query: Record<string, string | number>) =>
        (
          (
            await agent
              .get('')
              .query({ q: tag, limit: 100, ...query })
              .expect(200)
          ).body as Page<ProblemBody>
        ).items
          .map((item) => item.id)
          .sort();
      expect(await ids({})).toEqual([first.id, second.id, third.id].sort());
      expect(await ids({ state: 'assess' })).toEqual([second.id]);
      expect(await ids({ state: 'new,assess' })).toHaveLength(3);
      expect(await ids({ source: 'manual' })).toHaveLength(3);
      expect(await ids({ source: 'auto' })).toEqual([]);
      expect(await ids({ ciId })).toEqual([first.id]);
      expect(await ids({ category: 'storage' })).toEqual([first.id, second.id].sort());
      expect(await ids({ q: 'toner' })).toEqual([third.id]);
      const bad = await agent.get('').query({ state: 'sleeping' }).expect(400);
      expect(JSON.stringify(bad.body)).toContain('state');

      const seen: string[] = [];
      let cursor: string | null | undefined;
      do {
        const page = (
          await agent
            .get('')
            .query({ q: tag, limit: 2, ...(cursor ? { cursor } : {}) })
            .expect(200)
        ).body as Page<ProblemBody>;
        seen.push(...page.items.map((item) => item.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen.sort()).toEqual([first.id, second.id, third.id].sort());
    });
  });

  describe('changing', () => {
    it('needs the current ETag as If-Match', async () => {
      const created = await agent.create();
      await agent.patch(`/${created.id}`, { title: 'No precondition' }).expect(428);
      await agent.patch(`/${created.id}`, { title: 'Stale' }, '"7"').expect(412);
      const changed = await agent
        .patch(`/${created.id}`, { title: 'Renamed', impact: 1, urgency: 1 }, '"1"')
        .expect(200);
      expect(changed.headers.etag).toBe('"2"');
      expect(changed.body).toMatchObject({ title: 'Renamed', priority: 'P1', version: 2 });
      await agent.patch(`/${created.id}`, { title: 'Stale again' }, '"1"').expect(412);
    });
  });

  describe('the lifecycle', () => {
    it('goes from new to closed with journal and history, and re-analysis is for problem managers', async () => {
      const created = await agent.create({ title: `Lifecycle ${run}` });
      await walk(created.id, [
        TO_ASSESS,
        { ...TO_RCA, workaround: 'Restart the export' },
        TO_FIX,
        TO_RESOLVED,
      ]);
      const closed = (await agent.transition(created.id, { to: 'closed' }).expect(200))
        .body as ProblemBody;
      expect(closed).toMatchObject({
        state: 'closed',
        assignmentGroup: 'database',
        workaround: 'Restart the export',
        causeNotes: 'Missing index on ledger',
        fixNotes: 'Index added',
        resolutionCode: 'fix_applied',
        confirmedBy: 'agent',
        rootCauseIdentifiedBy: 'agent',
        resolvedBy: 'agent',
        closedBy: 'agent',
      });
      await agent
        .patch(`/${created.id}`, { title: 'Too late' }, `"${String(closed.version)}"`)
        .expect(409);

      const forbidden = await agent
        .transition(created.id, { to: 'root_cause_analysis', reason: 'It is back' })
        .expect(403);
      expect(forbidden.headers['content-type']).toContain('application/problem+json');
      const reanalysed = (
        await manager
          .transition(created.id, { to: 'root_cause_analysis', reason: 'It is back' })
          .expect(200)
      ).body as ProblemBody;
      expect(reanalysed).toMatchObject({
        state: 'root_cause_analysis',
        reanalysisCount: 1,
        resolutionCode: null,
        closedAt: null,
        resolvedAt: null,
      });

      const history = (await agent.get(`/${created.id}/history`).query({ limit: 500 }).expect(200))
        .body as Page<{ field: string; newValue: unknown; actor: string }>;
      expect(
        history.items.filter((entry) => entry.field === 'state').map((entry) => entry.newValue),
      ).toEqual([
        'new',
        'assess',
        'root_cause_analysis',
        'fix_in_progress',
        'resolved',
        'closed',
        'root_cause_analysis',
      ]);
      const journal = (await agent.get(`/${created.id}/journal`).expect(200)).body as Page<{
        kind: string;
        text: string;
        author: string;
      }>;
      expect(journal.items).toEqual([
        expect.objectContaining({
          kind: 'work_note',
          text: 'It is back',
          author: 'problem_manager',
        }),
      ]);

      const types = await eventually(async () => {
        const found = (await problemEventsOf(created.id)).map((event) => event.type);
        return found.includes(EventTypes.problem.reanalysed) ? found : undefined;
      });
      expect(types).toEqual(
        expect.arrayContaining([
          EventTypes.problem.created,
          EventTypes.problem.stateChanged,
          EventTypes.problem.resolved,
          EventTypes.problem.closed,
          EventTypes.problem.reanalysed,
        ]),
      );
    });

    it.each([
      ['new', [], 'resolved'],
      ['assess', [TO_ASSESS], 'fix_in_progress'],
      ['root_cause_analysis', [TO_ASSESS, TO_RCA], 'closed'],
      ['fix_in_progress', [TO_ASSESS, TO_RCA, TO_FIX], 'new'],
      ['resolved', [TO_ASSESS, TO_RCA, TO_FIX, TO_RESOLVED], 'cancelled'],
      ['closed', [TO_ASSESS, TO_RCA, TO_FIX, TO_RESOLVED, { to: 'closed' }], 'resolved'],
      ['cancelled', [{ to: 'cancelled', reason: 'No' }], 'assess'],
    ] as const)(
      'refuses a step the machine does not allow from %s: 409 naming it',
      async (state, steps, to) => {
        const created = await agent.create();
        await walk(created.id, [...steps]);
        const refused = await agent.transition(created.id, { to }).expect(409);
        expect(refused.headers['content-type']).toContain('application/problem+json');
        expect(refused.body.detail).toContain(`in state ${state}`);
        expect(refused.body).toMatchObject({ from: state, to });
      },
    );

    it('answers a missing field of a step with 400 naming it', async () => {
      const created = await agent.create();
      const response = await agent.transition(created.id, { to: 'assess' }).expect(400);
      expect(JSON.stringify(response.body)).toContain('assignmentGroup');
      expect((await agent.read(created.id)).state).toBe('new');
    });

    it('lists the steps open to the caller, with what each needs, as the POST then takes them', async () => {
      const created = await agent.create();
      const open = async (id: string, who = agent) =>
        (await who.get(`/${id}/transitions`).expect(200)).body as {
          id: string;
          state: string;
          transitions: { to: string; requires: string[]; accepts: string[] }[];
        };
      expect(await open(created.id)).toEqual({
        id: created.id,
        state: 'new',
        transitions: [
          { to: 'assess', requires: ['assignmentGroup'], accepts: ['assignee'] },
          { to: 'cancelled', requires: ['reason'], accepts: [] },
        ],
      });
      await walk(created.id, [TO_ASSESS, TO_RCA, TO_FIX, TO_RESOLVED]);
      // The fix notes are on the problem: closing asks for nothing more.
      expect((await open(created.id)).transitions.map(({ to }) => to)).toEqual([
        'closed',
        'root_cause_analysis',
      ]);
      await walk(created.id, [{ to: 'closed' }]);
      // A closed problem is re-analysed by a problem manager only: the agent is offered nothing.
      expect((await open(created.id)).transitions).toEqual([]);
      expect((await open(created.id, manager)).transitions).toEqual([
        {
          to: 'root_cause_analysis',
          requires: ['reason'],
          accepts: ['assignmentGroup', 'assignee'],
        },
      ]);
      await agent.get(`/${newId()}/transitions`).expect(404);
    });

    it('cancels the open tasks of a problem it closes', async () => {
      const created = await agent.create();
      const open = (
        await agent
          .post(`/${created.id}/tasks`, { type: 'general', title: 'Check the logs' })
          .expect(201)
      ).body as { id: string };
      const done = (
        await agent
          .post(`/${created.id}/tasks`, { type: 'general', title: 'Read the docs' })
          .expect(201)
      ).body as { id: string };
      await agent
        .post(`/${created.id}/tasks/${done.id}/transitions`, {
          to: 'completed',
          closeNotes: 'Read',
        })
        .expect(200);
      await agent.transition(created.id, { to: 'cancelled', reason: 'Not a problem' }).expect(200);
      const tasks = (await agent.get(`/${created.id}/tasks`).expect(200)).body as Page<{
        id: string;
        state: string;
        closeNotes: string;
      }>;
      expect(tasks.items.find((task) => task.id === open.id)).toMatchObject({
        state: 'cancelled',
        closeNotes: expect.stringContaining(created.number),
      });
      expect(tasks.items.find((task) => task.id === done.id)?.state).toBe('completed');
      await agent.post(`/${created.id}/tasks`, { type: 'general', title: 'Late' }).expect(409);
    });
  });

  describe('duplicates', () => {
    it("moves the duplicate's incidents and tasks to the original", async () => {
      const [first, second] = await knownIncidents(2);
      const original = await agent.create({ title: `Original ${run}` });
      const duplicate = await agent.create({ title: `Duplicate ${run}` });
      await agent.post(`/${duplicate.id}/incidents`, { incidentIds: [first, second] }).expect(200);
      const task = (
        await agent
          .post(`/${duplicate.id}/tasks`, { type: 'root_cause_analysis', title: 'Dig' })
          .expect(201)
      ).body as { id: string };
      await agent.transition(duplicate.id, TO_ASSESS).expect(200);
      const closed = (
        await agent
          .transition(duplicate.id, {
            to: 'closed',
            duplicateOfId: original.id,
            reason: 'Same cause',
          })
          .expect(200)
      ).body as ProblemBody;
      expect(closed).toMatchObject({
        state: 'closed',
        resolutionCode: 'duplicate',
        duplicateOfId: original.id,
      });
      expect((await agent.read(duplicate.id)).incidentCount).toBe(0);
      expect((await agent.read(original.id)).incidentCount).toBe(2);
      const moved = (await agent.get(`/${original.id}/incidents`).expect(200)).body as Page<{
        id: string;
      }>;
      expect(moved.items.map((item) => item.id).sort()).toEqual([first, second].sort());
      const tasks = (await agent.get(`/${original.id}/tasks`).expect(200)).body as Page<{
        id: string;
        state: string;
      }>;
      expect(tasks.items).toEqual([expect.objectContaining({ id: task.id, state: 'open' })]);

      await eventually(async () => {
        const unlinked = (await problemEventsOf(duplicate.id)).find(
          (event) => event.type === EventTypes.problem.incidentsUnlinked,
        );
        const linked = (await problemEventsOf(original.id)).find(
          (event) => event.type === EventTypes.problem.incidentsLinked,
        );
        if (!unlinked || !linked) return undefined;
        expect((unlinked.data.incidentIds as string[]).sort()).toEqual([first, second].sort());
        expect((linked.data.incidentIds as string[]).sort()).toEqual([first, second].sort());
        return true;
      });
      await manager
        .transition(duplicate.id, { to: 'root_cause_analysis', reason: 'Hm' })
        .expect(400);
    });

    it('refuses a duplicate of a closed problem or of itself', async () => {
      const closed = await agent.create();
      await agent.transition(closed.id, { to: 'cancelled', reason: 'No' }).expect(200);
      const duplicate = await agent.create();
      await agent.transition(duplicate.id, TO_ASSESS).expect(200);
      const refused = await agent
        .transition(duplicate.id, { to: 'closed', duplicateOfId: closed.id })
        .expect(400);
      expect(JSON.stringify(refused.body)).toContain('duplicateOfId');
      await agent
        .transition(duplicate.id, { to: 'closed', duplicateOfId: duplicate.id })
        .expect(400);
      expect((await agent.read(duplicate.id)).state).toBe('assess');
    });
  });

  describe('tasks', () => {
    it('are added, read, changed with If-Match and moved through their states', async () => {
      const problem = await agent.create();
      const created = await agent
        .post(`/${problem.id}/tasks`, { type: 'root_cause_analysis', title: 'Find the lock' })
        .expect(201);
      const task = created.body as { id: string; number: string; state: string };
      expect(task.number).toMatch(/^PTASK\d{7}$/);
      expect(created.headers.location).toBe(`/api/v1/problems/${problem.id}/tasks/${task.id}`);
      await agent.get(`/${problem.id}/tasks/${task.id}`).expect(200);
      await agent.get(`/${problem.id}/tasks/${newId()}`).expect(404);
      await agent.patch(`/${problem.id}/tasks/${task.id}`, { title: 'x' }).expect(428);
      await agent
        .patch(
          `/${problem.id}/tasks/${task.id}`,
          { assignmentGroup: 'database', assignee: 'agent' },
          '"1"',
        )
        .expect(200);
      await agent
        .post(`/${problem.id}/tasks/${task.id}/transitions`, { to: 'in_progress' })
        .expect(200);
      const missing = await agent
        .post(`/${problem.id}/tasks/${task.id}/transitions`, { to: 'completed' })
        .expect(400);
      expect(JSON.stringify(missing.body)).toContain('closeNotes');
      const done = await agent
        .post(`/${problem.id}/tasks/${task.id}/transitions`, {
          to: 'completed',
          closeNotes: 'Found',
        })
        .expect(200);
      expect(done.body).toMatchObject({ state: 'completed', closeNotes: 'Found' });
      await agent.post(`/${problem.id}/tasks/${task.id}/transitions`, { to: 'open' }).expect(409);
      const types = await eventually(async () => {
        const found = (await problemEventsOf(problem.id)).map((event) => event.type);
        return found.filter((type) => type.startsWith('itsm.problem_task.')).length >= 4
          ? found
          : undefined;
      });
      expect(types).toEqual(
        expect.arrayContaining([
          EventTypes.problem.taskCreated,
          EventTypes.problem.taskUpdated,
          EventTypes.problem.taskStateChanged,
        ]),
      );
    });
  });

  describe('incident links', () => {
    it('links in bulk, all or nothing', async () => {
      const [first, second] = await knownIncidents(2);
      const problem = await agent.create();
      const refused = await agent
        .post(`/${problem.id}/incidents`, { incidentIds: [first, newId()] })
        .expect(400);
      expect(JSON.stringify(refused.body)).toContain('incidentIds');
      expect((await agent.read(problem.id)).incidentCount).toBe(0);
      const linked = await agent
        .post(`/${problem.id}/incidents`, { incidentIds: [first, second] })
        .expect(200);
      expect(linked.body).toMatchObject({ problem: { incidentCount: 2 }, alreadyLinked: [] });
      const again = await agent
        .post(`/${problem.id}/incidents`, { incidentIds: [first] })
        .expect(200);
      expect(again.body).toMatchObject({ linked: [], alreadyLinked: [first] });
    });

    it('moves an incident linked elsewhere, and unlinks (204, then 404)', async () => {
      const [moving] = await knownIncidents(1);
      const from = await agent.create();
      const to = await agent.create();
      await agent.post(`/${from.id}/incidents`, { incidentIds: [moving] }).expect(200);
      await agent.post(`/${to.id}/incidents`, { incidentIds: [moving] }).expect(200);
      expect((await agent.read(from.id)).incidentCount).toBe(0);
      expect((await agent.read(to.id)).incidentCount).toBe(1);
      await agent.delete(`/${to.id}/incidents/${moving}`).expect(204);
      await agent.delete(`/${to.id}/incidents/${moving}`).expect(404);
      expect((await agent.read(to.id)).incidentCount).toBe(0);
      await eventually(async () => {
        const events = (await problemEventsOf(to.id)).map((event) => event.type);
        return events.filter((type) => type === EventTypes.problem.incidentsUnlinked).length ===
          1 &&
          (await problemEventsOf(from.id)).some(
            (event) => event.type === EventTypes.problem.incidentsUnlinked,
          )
          ? true
          : undefined;
      });
    });

    it('links a closed incident for a problem manager only', async () => {
      const [closed] = await knownIncidents(1, {
        state: 'closed',
        resolutionCode: 'solved',
        resolutionNotes: 'Rebooted',
        resolvedAt: new Date().toISOString(),
        closedAt: new Date().toISOString(),
      });
      const problem = await agent.create();
      await agent.post(`/${problem.id}/incidents`, { incidentIds: [closed] }).expect(403);
      await manager.post(`/${problem.id}/incidents`, { incidentIds: [closed] }).expect(200);
      expect((await agent.read(problem.id)).incidentCount).toBe(1);
    });

    it('refuses writes to the auditor', async () => {
      const problem = await agent.create();
      await auditor.get(`/${problem.id}`).expect(200);
      await auditor.post('', { title: 'x', impact: 3, urgency: 3 }).expect(403);
      await auditor.transition(problem.id, TO_ASSESS).expect(403);
    });
  });

  describe('change links and communications', () => {
    it('links and unlinks changes', async () => {
      const problem = await agent.create();
      const change = newId();
      const linked = await agent
        .post(`/${problem.id}/changes`, { changeIds: [change] })
        .expect(200);
      expect(linked.body.changeIds).toEqual([change]);
      const unlinked = await agent.delete(`/${problem.id}/changes/${change}`).expect(200);
      expect(unlinked.body.changeIds).toEqual([]);
      await agent.delete(`/${problem.id}/changes/${change}`).expect(404);
      await eventually(async () => {
        const types = (await problemEventsOf(problem.id)).map((event) => event.type);
        return types.includes(EventTypes.problem.changesLinked) &&
          types.includes(EventTypes.problem.changesUnlinked)
          ? true
          : undefined;
      });
    });

    it('communicates the workaround: 202 and an event with the text', async () => {
      const [open] = await knownIncidents(1);
      const problem = await agent.create({ workaround: 'Use the web client' });
      await agent.post(`/${problem.id}/incidents`, { incidentIds: [open] }).expect(200);
      const response = await agent
        .post(`/${problem.id}/communications`, { kind: 'workaround' })
        .expect(202);
      expect(response.body).toEqual({
        kind: 'workaround',
        text: 'Use the web client',
        openIncidentCount: 1,
      });
      const missing = await agent
        .post(`/${problem.id}/communications`, { kind: 'fix' })
        .expect(400);
      expect(JSON.stringify(missing.body)).toContain('text');
      const event = await eventually(async () =>
        (await problemEventsOf(problem.id)).find(
          (found) => found.type === EventTypes.problem.workaroundCommunicated,
        ),
      );
      expect(event.data).toMatchObject({ text: 'Use the web client', author: 'agent' });
    });
  });
});

describe('problems under AGENT_RECORD_SCOPE=groups', () => {
  let platform: RunningPlatform;
  let agent: ProblemsApi;
  let manager: ProblemsApi;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'problem'], {
      AGENT_RECORD_SCOPE: 'groups',
      PROBLEM_CANDIDATE_RULES: '',
    });
    agent = await ProblemsApi.as(platform.gatewayUrl, 'agent');
    manager = await ProblemsApi.as(platform.gatewayUrl, 'problem_manager');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('hides a problem of another group from an agent: 404 and not listed', async () => {
    const tag = `scope${newId().slice(0, 8)}`;
    const other = await manager.create({ title: `Routing ${tag}`, assignmentGroup: 'network' });
    const own = await manager.create({ title: `Desk ${tag}`, assignmentGroup: 'service-desk' });
    await agent.get(`/${other.id}`).expect(404);
    await agent.transition(other.id, { to: 'cancelled', reason: 'x' }).expect(404);
    await agent.get(`/${other.id}/tasks`).expect(404);
    await agent.get(`/${own.id}`).expect(200);
    const page = (await agent.get('').query({ q: tag }).expect(200)).body as Page<ProblemBody>;
    expect(page.items.map((item) => item.id)).toEqual([own.id]);
    await manager.get(`/${other.id}`).expect(200);
  });
});
