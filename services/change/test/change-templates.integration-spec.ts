import request, { type Response } from 'supertest';
import { EventValidator, Topics } from '@itsm/contracts';
import {
  OpenApiConformance,
  RecordsApi,
  RunningPlatform,
  eventsOf,
  eventually,
} from '@itsm/testing';

interface VersionBody {
  version: number;
  state: string;
  name: string;
  changeTitle: string;
  risk: string;
  authors: string[];
  approvedBy: string | null;
  supersededBy: number | null;
  stateReason: string | null;
  [field: string]: unknown;
}

interface TemplateBody {
  id: string;
  name: string;
  state: string;
  publishedVersion: number | null;
  draftVersion: number | null;
  latestVersion: number;
  revision: number;
  published: VersionBody | null;
  draft: VersionBody | null;
}

interface ChangeBody {
  id: string;
  number: string;
  state: string;
  [field: string]: unknown;
}

const validator = new EventValidator();
const DAY = 24 * 3600 * 1000;
const COLLECTION = '/api/v1/change-templates';

function plannedWindow(daysAhead: number, hours = 2): { plannedStart: string; plannedEnd: string } {
  const start = new Date(Date.now() + daysAhead * DAY);
  return {
    plannedStart: start.toISOString(),
    plannedEnd: new Date(start.getTime() + hours * 3600 * 1000).toISOString(),
  };
}

const TEMPLATE = {
  name: 'Restart an application server',
  description: 'A rolling restart behind the load balancer, one node at a time',
  changeTitle: 'Rolling restart of the payments application servers',
  changeDescription: 'Restart to apply the new JVM settings',
  category: 'software',
  implementationPlan: 'Drain a node, restart it, check /health, undrain; next node',
  backoutPlan: 'Nothing to undo: stop after the first node that does not come back',
  testPlan: 'Synthetic payment through each node',
  impact: 3,
  risk: 'low',
  assignmentGroup: 'applications',
  tasks: [
    { type: 'implementation', title: 'Restart each node in turn', description: '' },
    { type: 'testing', title: 'Synthetic payment through each node', description: '' },
  ],
};

/** Standard change templates through the gateway, against real Kafka and PostgreSQL. */
describe('standard change templates', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;
  let cab: RecordsApi;
  let agent: RecordsApi;
  let conformance: OpenApiConformance;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change']);
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    cab = await RecordsApi.as(platform.gatewayUrl, 'cab_member');
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    conformance = await OpenApiConformance.of(platform.service('change').url);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  function send(
    as: RecordsApi,
    method: 'get' | 'post' | 'patch',
    path: string,
    body?: object,
    ifMatch?: string,
  ) {
    const sent = request(platform.gatewayUrl)
      [method](`${COLLECTION}${path}`)
      .set('authorization', as.authorization);
    if (ifMatch) sent.set('if-match', ifMatch);
    return body ? sent.send(body) : sent;
  }

  /** Answers as documented, and the expected status; the body as a template. */
  function expectAnswer(response: Response, status: number, documented: string): TemplateBody {
    expect({ status: response.status, body: response.body as unknown }).toMatchObject({ status });
    const [method, path] = documented.split(' ');
    expect(conformance.errors(method, path, response.status, response.body)).toEqual([]);
    return response.body as TemplateBody;
  }

  async function move(as: RecordsApi, id: string, body: object, status = 200) {
    return expectAnswer(
      await send(as, 'post', `/${id}/transitions`, body),
      status,
      'POST /api/v1/change-templates/{id}/transitions',
    );
  }

  async function edit(as: RecordsApi, id: string, body: object, status = 200) {
    const etag = (await send(as, 'get', `/${id}`).expect(200)).headers.etag;
    return expectAnswer(
      await send(as, 'patch', `/${id}`, body, etag),
      status,
      'PATCH /api/v1/change-templates/{id}',
    );
  }

  async function publishedTemplate(body: object = {}): Promise<TemplateBody> {
    const created = await send(manager, 'post', '', { ...TEMPLATE, ...body }).expect(201);
    const id = (created.body as TemplateBody).id;
    await move(cab, id, { to: 'approved' });
    return move(manager, id, { to: 'published' });
  }

  function standardChange(body: object) {
    return manager.create('changes', { ...plannedWindow(3), ...body });
  }

  it('takes a template from proposed to published with four eyes, each step to whom it belongs', async () => {
    const created = await send(manager, 'post', '', TEMPLATE);
    const template = expectAnswer(created, 201, 'POST /api/v1/change-templates');
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`${COLLECTION}/${template.id}`);
    expect(template).toMatchObject({
      state: 'proposed',
      publishedVersion: null,
      draftVersion: 1,
      latestVersion: 1,
      published: null,
      draft: { version: 1, state: 'proposed', authors: ['change_manager'], risk: 'low' },
    });
    const { id } = template;

    await send(cab, 'patch', `/${id}`, { name: 'x' }, '"1"').expect(403);
    await send(agent, 'post', `/${id}/transitions`, { to: 'approved' }).expect(403);
    const own = await send(manager, 'post', `/${id}/transitions`, { to: 'approved' }).expect(403);
    expect(JSON.stringify(own.body)).toContain('Four eyes');
    const early = await send(manager, 'post', `/${id}/transitions`, { to: 'published' });
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({
      from: 'proposed',
      allowedTransitions: ['approved', 'retired'],
    });

    const approved = await move(cab, id, { to: 'approved' });
    expect(approved).toMatchObject({ state: 'approved', draft: { approvedBy: 'cab_member' } });
    // The CAB approves; publishing, sending back and retiring are the change manager's.
    const cabPublishing = await send(cab, 'post', `/${id}/transitions`, { to: 'published' });
    expect(cabPublishing.status).toBe(403);
    await edit(manager, id, { testPlan: 'Changed after approval' }, 409);

    const back = await move(manager, id, { to: 'proposed', reason: 'Add the health check' });
    expect(back.draft).toMatchObject({ state: 'proposed', approvedBy: null });
    const edited = await edit(manager, id, { testPlan: 'Synthetic payment and /health' });
    expect(edited.draft?.authors).toEqual(['change_manager']);
    await move(cab, id, { to: 'approved' });
    const published = await move(manager, id, { to: 'published' });
    expect(published).toMatchObject({
      state: 'published',
      publishedVersion: 1,
      draftVersion: null,
      draft: null,
      published: { version: 1, state: 'published', publishedBy: 'change_manager' },
    });

    const read = await send(agent, 'get', `/${id}`).expect(200);
    expect(read.headers.etag).toBe(`"${published.revision}"`);
    const listed = await send(cab, 'get', '?state=published&q=APPLICATION%20server').expect(200);
    expectAnswer(listed, 200, 'GET /api/v1/change-templates');
    expect((listed.body as { items: TemplateBody[] }).items.map((item) => item.id)).toContain(id);
    const proposedOnly = await send(cab, 'get', '?state=proposed').expect(200);
    expect(
      (proposedOnly.body as { items: TemplateBody[] }).items.map((item) => item.id),
    ).not.toContain(id);

    const events = await eventually(async () => {
      const found = await eventsOf(id, Topics.changeEvents);
      return found.some((event) => event.type === 'itsm.change_template.published.v1')
        ? found
        : undefined;
    });
    for (const event of events) validator.assertValid(event.type, event.data);
    expect(events.map((event) => event.type)).toEqual([
      'itsm.change_template.created.v1',
      'itsm.change_template.state_changed.v1',
      'itsm.change_template.state_changed.v1',
      'itsm.change_template.updated.v1',
      'itsm.change_template.state_changed.v1',
      'itsm.change_template.state_changed.v1',
      'itsm.change_template.published.v1',
    ]);
  });

  it('versions a published template: only the draft is edited, publishing v2 supersedes v1, and standard changes take v2', async () => {
    const { id } = await publishedTemplate();
    await edit(manager, id, { name: 'Edited while published' }, 409);

    const started = await send(manager, 'post', `/${id}/versions`);
    const withDraft = expectAnswer(started, 201, 'POST /api/v1/change-templates/{id}/versions');
    expect(started.headers.location).toBe(`${COLLECTION}/${id}/versions/2`);
    expect(withDraft).toMatchObject({
      state: 'published',
      publishedVersion: 1,
      draftVersion: 2,
      draft: { version: 2, state: 'proposed', changeTitle: TEMPLATE.changeTitle },
    });
    await send(manager, 'post', `/${id}/versions`).expect(409);
    const stale = await send(manager, 'patch', `/${id}`, { name: 'x' }, '"1"');
    expect(stale.status).toBe(412);

    const v2 = {
      name: 'Restart an application server (canary first)',
      changeTitle: 'Rolling restart of the payments servers, canary first',
      risk: 'moderate',
      tasks: [
        { type: 'planning', title: 'Pick the canary node', description: 'The least loaded' },
        ...TEMPLATE.tasks,
      ],
    };
    const edited = await edit(manager, id, v2);
    expect(edited.published).toMatchObject({ version: 1, name: TEMPLATE.name });
    expect(edited.draft).toMatchObject({ version: 2, ...v2 });
    await move(cab, id, { to: 'approved' });
    const published = await move(manager, id, { to: 'published' });
    expect(published).toMatchObject({ name: v2.name, publishedVersion: 2, draftVersion: null });

    const versions = await send(agent, 'get', `/${id}/versions`);
    expectAnswer(versions, 200, 'GET /api/v1/change-templates/{id}/versions');
    expect((versions.body as { items: VersionBody[] }).items).toEqual([
      expect.objectContaining({
        version: 1,
        state: 'retired',
        supersededBy: 2,
        stateReason: 'Superseded by version 2',
      }),
      expect.objectContaining({ version: 2, state: 'published', risk: 'moderate' }),
    ]);
    const v1 = await send(agent, 'get', `/${id}/versions/1`).expect(200);
    expect(v1.body).toMatchObject({ name: TEMPLATE.name, state: 'retired' });
    await send(agent, 'get', `/${id}/versions/3`).expect(404);

    const fixed = await standardChange({ templateId: id, title: 'My own title' }).expect(400);
    expect(JSON.stringify(fixed.body)).toContain('title');
    const opened = await standardChange({
      templateId: id,
      ciIds: ['00000000-0000-4000-8000-00000000c1c1'],
    });
    expect(opened.status).toBe(201);
    const change = opened.body as ChangeBody;
    expect(change).toMatchObject({
      model: 'standard',
      templateId: id,
      templateVersion: 2,
      title: v2.changeTitle,
      description: TEMPLATE.changeDescription,
      implementationPlan: TEMPLATE.implementationPlan,
      backoutPlan: TEMPLATE.backoutPlan,
      category: 'software',
      assignmentGroup: 'applications',
      risk: 'moderate',
      riskSource: 'template',
      riskReasons: [
        `Template "${v2.name}" (version 2) was assessed at moderate risk when it was published.`,
      ],
      approval: 'not_required',
    });
    const tasks = await request(platform.gatewayUrl)
      .get(`/api/v1/changes/${change.id}/tasks`)
      .set('authorization', manager.authorization)
      .expect(200);
    const items = (tasks.body as { items: Record<string, unknown>[] }).items;
    expect(
      items.map(({ type, title, assignmentGroup }) => ({ type, title, assignmentGroup })),
    ).toEqual(
      v2.tasks.map(({ type, title }) => ({ type, title, assignmentGroup: 'applications' })),
    );
    await manager.patch('changes', change.id, { backoutPlan: 'Another plan' }).then((response) => {
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('backoutPlan');
    });

    let current = change;
    for (const step of [
      { to: 'scheduled' },
      { to: 'implement' },
      { to: 'review', closeCode: 'successful' },
      { to: 'closed' },
    ]) {
      const moved = await manager.transition('changes', current.id, step);
      expect({ step: step.to, status: moved.status, body: moved.body as unknown }).toMatchObject({
        status: 200,
      });
      current = moved.body as ChangeBody;
    }
    expect(current).toMatchObject({ state: 'closed', approval: 'not_required' });
    const afterReview = await request(platform.gatewayUrl)
      .get(`/api/v1/changes/${change.id}/tasks`)
      .set('authorization', manager.authorization)
      .expect(200);
    expect(
      (afterReview.body as { items: { type: string }[] }).items.map((task) => task.type),
    ).toEqual(['planning', 'implementation', 'testing', 'review']);

    const events = await eventually(async () => {
      const found = await eventsOf(change.id, Topics.changeEvents);
      return found.some((event) => event.type === 'itsm.change.closed.v1') ? found : undefined;
    });
    for (const event of events) validator.assertValid(event.type, event.data);
    expect(events.map((event) => event.type).slice(0, 4)).toEqual([
      'itsm.change.created.v1',
      'itsm.change_task.created.v1',
      'itsm.change_task.created.v1',
      'itsm.change_task.created.v1',
    ]);
    const templateEvents = await eventsOf(id, Topics.changeEvents);
    for (const event of templateEvents) validator.assertValid(event.type, event.data);
    expect(templateEvents.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        'itsm.change_template.version_started.v1',
        'itsm.change_template.retired.v1',
      ]),
    );
  });

  it('refuses standard changes from a retired, unpublished or unknown template, naming templateId', async () => {
    const { id } = await publishedTemplate({ name: 'Rotate the log volumes' });
    const retired = await move(manager, id, { to: 'retired', reason: 'Logs are shipped now' });
    expect(retired).toMatchObject({ state: 'retired', publishedVersion: null });
    const refused = await standardChange({ model: 'standard', templateId: id }).expect(400);
    expect(refused.body).toMatchObject({
      errors: [{ field: 'templateId', message: expect.stringContaining('retired') as string }],
    });

    const draft = await send(manager, 'post', '', { ...TEMPLATE, name: 'Not yet' }).expect(201);
    const unpublished = await standardChange({ templateId: (draft.body as TemplateBody).id });
    expect(unpublished.status).toBe(400);
    expect(JSON.stringify(unpublished.body)).toContain('no published version');

    const unknown = await standardChange({
      templateId: '00000000-0000-4000-8000-000000000000',
    }).expect(400);
    expect(JSON.stringify(unknown.body)).toContain('templateId');
    const withNormal = await standardChange({ model: 'normal', templateId: id }).expect(400);
    expect(JSON.stringify(withNormal.body)).toContain('templateId');
  });

  it('refuses bad templates with the field at fault', async () => {
    const risky = await send(manager, 'post', '', { ...TEMPLATE, risk: 'high' }).expect(400);
    expect(JSON.stringify(risky.body)).toContain('risk');
    const badTask = await send(manager, 'post', '', {
      ...TEMPLATE,
      tasks: [{ type: 'deploy', title: 'x' }],
    }).expect(400);
    expect(JSON.stringify(badTask.body)).toContain('type');
    const unnamed = await send(manager, 'post', '', { changeTitle: 'x' }).expect(400);
    expect(JSON.stringify(unnamed.body)).toContain('name');
    const created = await send(manager, 'post', '', {
      name: 'Without plans',
      changeTitle: 'x',
    }).expect(201);
    const missing = await send(cab, 'post', `/${(created.body as TemplateBody).id}/transitions`, {
      to: 'approved',
    }).expect(400);
    expect(JSON.stringify(missing.body)).toContain('implementationPlan');
  });
});
