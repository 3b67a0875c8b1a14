import request, { type Response } from 'supertest';
import { EventValidator, Topics } from '@itsm/contracts';
import {
  OpenApiConformance,
  RecordsApi,
  RunningPlatform,
  eventsOf,
  eventually,
} from '@itsm/testing';

interface TaskBody {
  id: string;
  number: string;
  changeId: string;
  type: string;
  title: string;
  state: string;
  plannedStart: string | null;
  plannedEnd: string | null;
  closeNotes: string | null;
  version: number;
  [field: string]: unknown;
}

interface ChangeBody {
  id: string;
  number: string;
  state: string;
  version: number;
  [field: string]: unknown;
}

const validator = new EventValidator();
const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/** A change window `daysAhead` from now, three hours long, and instants `hours` into it. */
function windowAhead(daysAhead: number) {
  const start = Date.now() + daysAhead * DAY;
  const at = (hours: number) => new Date(start + hours * HOUR).toISOString();
  return { plannedStart: at(0), plannedEnd: at(3), at };
}

/** Change tasks through the gateway, against real Kafka and PostgreSQL. */
describe('change tasks', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;
  let cab: RecordsApi;
  let requester: RecordsApi;
  let conformance: OpenApiConformance;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change']);
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    cab = await RecordsApi.as(platform.gatewayUrl, 'cab_member');
    requester = await RecordsApi.as(platform.gatewayUrl, 'requester');
    conformance = await OpenApiConformance.of(platform.service('change').url);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  function tasksOf(changeId: string, suffix = '') {
    return `/api/v1/changes/${changeId}/tasks${suffix}`;
  }

  function send(
    as: RecordsApi,
    method: 'get' | 'post' | 'patch',
    path: string,
    body?: object,
    ifMatch?: string,
  ) {
    const sent = request(platform.gatewayUrl)[method](path).set('authorization', as.authorization);
    if (ifMatch) sent.set('if-match', ifMatch);
    return body ? sent.send(body) : sent;
  }

  function expectAnswer(response: Response, status: number, documented: string): TaskBody {
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status });
    const [method, path] = documented.split(' ');
    expect(conformance.errors(method, path, response.status, response.body)).toEqual([]);
    return response.body as TaskBody;
  }

  async function raise(body: object): Promise<ChangeBody> {
    const response = await manager.create('changes', {
      title: 'Fail over the payments database to the new primary',
      ...body,
    });
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({
      status: 201,
    });
    return response.body as ChangeBody;
  }

  async function addTask(changeId: string, body: object, status = 201): Promise<TaskBody> {
    return expectAnswer(
      await send(manager, 'post', tasksOf(changeId), body),
      status,
      'POST /api/v1/changes/{id}/tasks',
    );
  }

  async function listTasks(changeId: string): Promise<TaskBody[]> {
    const listed = await send(cab, 'get', tasksOf(changeId)).expect(200);
    return (listed.body as { items: TaskBody[] }).items;
  }

  async function walk(id: string, steps: ({ to: string } & Record<string, unknown>)[]) {
    for (const step of steps) {
      const moved = await manager.transition('changes', id, step);
      expect({ step: step.to, status: moved.status, body: moved.body as unknown }).toMatchObject({
        status: 200,
      });
    }
  }

  it("keeps tasks inside the change's window, works them with If-Match, and keeps their history", async () => {
    const window = windowAhead(5);
    const change = await raise({
      plannedStart: window.plannedStart,
      plannedEnd: window.plannedEnd,
    });

    const inside = await addTask(change.id, {
      type: 'implementation',
      title: 'Promote the replica',
      assignmentGroup: 'database',
      plannedStart: window.at(1),
      plannedEnd: window.at(2),
    });
    expect(inside).toMatchObject({
      number: expect.stringMatching(/^CTASK[0-9]{7}$/) as string,
      changeId: change.id,
      state: 'open',
      openedBy: 'change_manager',
    });
    const early = await addTask(
      change.id,
      {
        type: 'planning',
        title: 'Too early',
        plannedStart: window.at(-1),
        plannedEnd: window.at(1),
      },
      400,
    );
    expect(JSON.stringify(early)).toContain('plannedStart');
    const late = await addTask(
      change.id,
      { type: 'testing', title: 'Too late', plannedStart: window.at(2), plannedEnd: window.at(4) },
      400,
    );
    expect(JSON.stringify(late)).toContain('plannedEnd');
    const undated = await addTask(change.id, { type: 'planning', title: 'Agree the date' });

    const path = tasksOf(change.id, `/${inside.id}`);
    await send(manager, 'patch', path, { title: 'x' }).expect(428);
    await send(manager, 'patch', path, { title: 'x' }, '"9"').expect(412);
    const read = await send(cab, 'get', path).expect(200);
    expect(read.headers.etag).toBe('"1"');
    const moved = await send(manager, 'patch', path, { plannedEnd: window.at(4) }, '"1"');
    expect(
      JSON.stringify(expectAnswer(moved, 400, 'PATCH /api/v1/changes/{id}/tasks/{taskId}')),
    ).toContain('plannedEnd');
    const patched = await send(
      manager,
      'patch',
      path,
      { assignee: 'dana', plannedEnd: window.at(3) },
      '"1"',
    );
    expect(expectAnswer(patched, 200, 'PATCH /api/v1/changes/{id}/tasks/{taskId}')).toMatchObject({
      assignee: 'dana',
      plannedEnd: window.at(3),
      version: 2,
    });

    const transition = (to: string, body: object = {}) =>
      send(manager, 'post', `${path}/transitions`, { to, ...body });
    const refused = await transition('completed').expect(409);
    expect(refused.body).toMatchObject({
      from: 'open',
      allowedTransitions: ['in_progress', 'cancelled'],
    });
    await transition('in_progress').expect(200);
    const done = expectAnswer(
      await transition('completed', { closeNotes: 'Promoted in 40 s' }),
      200,
      'POST /api/v1/changes/{id}/tasks/{taskId}/transitions',
    );
    expect(done).toMatchObject({ state: 'completed', closeNotes: 'Promoted in 40 s' });
    await send(manager, 'patch', path, { title: 'After the fact' }, `"${done.version}"`).expect(
      409,
    );

    const history = await send(cab, 'get', `${path}/history`).expect(200);
    const fields = (history.body as { items: { field: string }[] }).items.map(
      (entry) => entry.field,
    );
    expect(fields).toEqual(expect.arrayContaining(['title', 'assignee', 'plannedEnd', 'state']));
    expect((await listTasks(change.id)).map((task) => task.id)).toEqual([inside.id, undated.id]);

    await send(cab, 'post', tasksOf(change.id), { type: 'planning', title: 'x' }).expect(403);
    await send(requester, 'get', tasksOf(change.id)).expect(403);
    await send(cab, 'get', tasksOf('00000000-0000-4000-8000-000000000000')).expect(404);
    const other = await raise({ title: 'Another change' });
    await send(cab, 'get', tasksOf(other.id, `/${inside.id}`)).expect(404);

    const events = await eventually(async () => {
      const found = await eventsOf(change.id, Topics.changeEvents);
      const tasks = found.filter((event) => event.type.startsWith('itsm.change_task.'));
      return tasks.length >= 5 ? tasks : undefined;
    });
    for (const event of events) validator.assertValid(event.type, event.data);
    // Refused requests publish nothing.
    expect(events.map((event) => event.type)).toEqual([
      'itsm.change_task.created.v1',
      'itsm.change_task.created.v1',
      'itsm.change_task.updated.v1',
      'itsm.change_task.state_changed.v1',
      'itsm.change_task.state_changed.v1',
    ]);
    expect(events[4]?.data).toMatchObject({
      task: { id: inside.id, state: 'completed' },
      previous: { state: 'in_progress' },
    });
  });

  it("refuses moving the change's window away from its open tasks, naming them and the field at fault", async () => {
    const window = windowAhead(6);
    const change = await raise({
      plannedStart: window.plannedStart,
      plannedEnd: window.plannedEnd,
    });
    const first = await addTask(change.id, {
      type: 'implementation',
      title: 'Promote the replica',
      plannedStart: window.at(0),
      plannedEnd: window.at(1),
    });
    const last = await addTask(change.id, {
      type: 'testing',
      title: 'Check the payments flow',
      plannedStart: window.at(2),
      plannedEnd: window.at(3),
    });
    const finished = await addTask(change.id, {
      type: 'planning',
      title: 'Agree the date',
      plannedStart: window.at(0),
      plannedEnd: window.at(1),
    });
    await send(manager, 'post', tasksOf(change.id, `/${finished.id}/transitions`), {
      to: 'cancelled',
      closeNotes: 'Agreed by mail',
    }).expect(200);

    // Later by an hour: the first task would start before the change; shorter: the last would end after it.
    const refused = await manager.patch('changes', change.id, {
      plannedStart: window.at(1),
      plannedEnd: window.at(2),
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      type: expect.stringContaining('validation-error') as string,
      errors: [
        {
          field: 'plannedStart',
          message: expect.stringContaining(
            `open task ${first.number} (starts ${window.at(0)})`,
          ) as string,
        },
        {
          field: 'plannedEnd',
          message: expect.stringContaining(
            `open task ${last.number} (ends ${window.at(3)})`,
          ) as string,
        },
      ],
    });
    expect(JSON.stringify(refused.body)).not.toContain(finished.number);
    expect((await manager.get('changes', change.id).expect(200)).body).toMatchObject({
      plannedStart: window.plannedStart,
      version: change.version,
    });

    // A step that moves the window is held to the same rule.
    await walk(change.id, [{ to: 'assess', assignmentGroup: 'database' }]);
    const stepped = await manager.transition('changes', change.id, {
      to: 'authorize',
      plannedEnd: window.at(2),
      implementationPlan: 'Fail over',
      backoutPlan: 'Fail back',
    });
    expect(stepped.status).toBe(400);
    expect(JSON.stringify(stepped.body)).toContain(last.number);

    // Widening it keeps every task inside.
    const widened = await manager.patch('changes', change.id, { plannedEnd: window.at(4) });
    expect(widened.status).toBe(200);
  });

  it('creates the review task when a change enters review, once per change', async () => {
    const window = windowAhead(0);
    const change = await raise({ model: 'emergency', title: 'Replace the failed core switch' });
    await walk(change.id, [
      {
        to: 'authorize',
        assignmentGroup: 'network',
        plannedStart: window.plannedStart,
        plannedEnd: window.plannedEnd,
      },
      { to: 'implement', reason: 'The site is offline' },
      { to: 'review', closeCode: 'successful' },
    ]);
    const [review, ...others] = await listTasks(change.id);
    expect(others).toEqual([]);
    expect(review).toMatchObject({
      type: 'review',
      title: `Post-implementation review of ${change.number}`,
      state: 'open',
      assignmentGroup: 'network',
    });

    const withOwnReview = await raise({ model: 'emergency', title: 'Patch the VPN concentrator' });
    await addTask(withOwnReview.id, { type: 'review', title: 'Review with the vendor' });
    await walk(withOwnReview.id, [
      {
        to: 'authorize',
        assignmentGroup: 'network',
        plannedStart: window.plannedStart,
        plannedEnd: window.plannedEnd,
      },
      { to: 'implement', reason: 'Actively exploited' },
      { to: 'review', closeCode: 'successful_with_issues' },
    ]);
    expect((await listTasks(withOwnReview.id)).map((task) => task.title)).toEqual([
      'Review with the vendor',
    ]);
  });

  it("cancels a cancelled change's open tasks, and refuses tasks on a finished change", async () => {
    const change = await raise({});
    const open = await addTask(change.id, { type: 'planning', title: 'Ask the vendor' });
    const finished = await addTask(change.id, { type: 'planning', title: 'Read the notes' });
    const path = tasksOf(change.id, `/${finished.id}/transitions`);
    await send(manager, 'post', path, { to: 'in_progress' }).expect(200);
    await send(manager, 'post', path, { to: 'completed' }).expect(200);

    await walk(change.id, [{ to: 'cancelled', reason: 'The vendor does it' }]);
    const tasks = await listTasks(change.id);
    expect(tasks.find((task) => task.id === open.id)).toMatchObject({
      state: 'cancelled',
      closeNotes: `Cancelled with change ${change.number}.`,
    });
    expect(tasks.find((task) => task.id === finished.id)).toMatchObject({ state: 'completed' });
    const refused = await addTask(change.id, { type: 'planning', title: 'Too late' }, 409);
    expect(JSON.stringify(refused)).toContain('cancelled');
  });
});
