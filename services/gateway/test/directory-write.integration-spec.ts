import { randomUUID } from 'node:crypto';
import { type Response } from 'supertest';
import { EventTypes, Topics, fromKafkaRecord } from '@itsm/contracts';
import { RecordsApi, RunningPlatform, eventually, readWholeTopic, testKafka } from '@itsm/testing';

interface GroupBody {
  name: string;
  description: string;
  members: string[];
  apiMembers: string[];
  version: number;
}

interface Problem {
  type: string;
  status: number;
  errors?: { field: string; message: string }[];
}

const INCIDENT = { title: 'Backup job stalled', description: 'Night run', impact: 3, urgency: 3 };

function problemOf(response: Response, status: number, type: string): Problem {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toContain('application/problem+json');
  const problem = response.body as Problem;
  expect(problem.type).toBe(`https://itsm.dev/problems/${type}`);
  return problem;
}

/**
 * The directory API (`directory:write`) as the people using the platform notice it: a group
 * an admin creates takes work at once, a member added before they ever signed in can be
 * assigned it, and a member's requests carry the group (a requester then sees the group's
 * incidents) until the admin takes the membership back.
 */
describe('the directory API', () => {
  let platform: RunningPlatform;
  let admin: RecordsApi;
  let agent: RecordsApi;
  let requester: RecordsApi;
  const run = randomUUID().slice(0, 8);
  const group = `night-shift-${run}`;
  const newcomer = `newcomer-${run}`;
  const groupPath = `/api/v1/directory/groups/${group}`;
  let assigned: { id: string };

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    [admin, agent, requester] = await Promise.all(
      ['admin', 'agent', 'requester'].map((user) => RecordsApi.as(platform.gatewayUrl, user)),
    );
  });

  afterAll(async () => {
    // The seeded users are shared with every suite: leave them in their seeded groups only.
    await admin?.call('delete', `${groupPath}/members/requester`);
    await platform?.stop();
  });

  it('creates a group for admins only, refusing a taken name and bad input as problems', async () => {
    problemOf(
      await agent.call('post', '/api/v1/directory/groups').send({ name: group }),
      403,
      'forbidden',
    );
    const blank = problemOf(
      await admin.call('post', '/api/v1/directory/groups').send({ name: ' padded' }),
      400,
      'validation-error',
    );
    expect(blank.errors?.map((error) => error.field)).toEqual(['name']);
    const unknown = problemOf(
      await admin.call('post', '/api/v1/directory/groups').send({ name: group, members: ['x'] }),
      400,
      'validation-error',
    );
    expect(unknown.errors?.map((error) => error.field)).toEqual(['members']);

    const created = await admin
      .call('post', '/api/v1/directory/groups')
      .send({ name: group, description: 'Nights and weekends' })
      .expect(201);
    expect(created.body).toEqual({
      name: group,
      description: 'Nights and weekends',
      members: [],
      apiMembers: [],
      version: 1,
    });
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(groupPath);
    problemOf(
      await admin.call('post', '/api/v1/directory/groups').send({ name: group }),
      409,
      'group-exists',
    );
    await agent.call('get', groupPath).expect(200);
  });

  it("changes a group's description with If-Match only", async () => {
    const path = groupPath;
    problemOf(
      await admin.call('patch', path).send({ description: 'Nights' }),
      428,
      'precondition-required',
    );
    const changed = await admin
      .call('patch', path)
      .set('if-match', '"1"')
      .send({ description: 'Nights' })
      .expect(200);
    expect(changed.headers.etag).toBe('"2"');
    expect((changed.body as GroupBody).description).toBe('Nights');
    problemOf(
      await admin.call('patch', path).set('if-match', '"1"').send({ description: 'Days' }),
      412,
      'precondition-failed',
    );
    const renamed = problemOf(
      await admin.call('patch', path).set('if-match', '"2"').send({ name: 'days' }),
      400,
      'validation-error',
    );
    expect(renamed.errors?.map((error) => error.field)).toContain('name');
  });

  it('takes work for someone who has never signed in, once an admin adds them', async () => {
    const members = `${groupPath}/members`;
    const reserved = problemOf(
      await admin.call('post', members).send({ username: 'service:change' }),
      400,
      'validation-error',
    );
    expect(reserved.errors?.map((error) => error.field)).toEqual(['username']);
    problemOf(await agent.call('post', members).send({ username: newcomer }), 403, 'forbidden');
    problemOf(
      await admin
        .call('post', `/api/v1/directory/groups/no-such-${run}/members`)
        .send({ username: newcomer }),
      404,
      'not-found',
    );

    const added = await admin.call('post', members).send({ username: newcomer }).expect(201);
    expect(added.body).toMatchObject({ members: [newcomer], apiMembers: [newcomer] });
    problemOf(await admin.call('post', members).send({ username: newcomer }), 409, 'member-exists');

    // The incident service learns the group and its member from the directory's events.
    assigned = await eventually(
      async () => {
        const response = await agent.create('incidents', {
          ...INCIDENT,
          assignmentGroup: group,
          assignee: newcomer,
        });
        return response.status === 201 ? (response.body as { id: string }) : undefined;
      },
      { description: `an incident assigned to ${newcomer} in ${group}`, timeoutMs: 60_000 },
    );
  });

  it("puts a member's requests in the group: a requester sees its incidents while a member", async () => {
    await requester.get('incidents', assigned.id).expect(404);
    await admin.call('post', `${groupPath}/members`).send({ username: 'requester' }).expect(201);
    // The same token as before: the gateway adds the group on each request.
    await requester.get('incidents', assigned.id).expect(200);
    const users = await admin.call('get', '/api/v1/directory/users').query({ limit: 500 });
    expect(
      (users.body as { items: { username: string; groups: string[] }[] }).items,
    ).toContainEqual(expect.objectContaining({ username: 'requester', groups: [group] }));

    await admin.call('delete', `${groupPath}/members/requester`).expect(204);
    await requester.get('incidents', assigned.id).expect(404);
  });

  it('deletes a group only once it is empty; new work is then refused, old work keeps its name', async () => {
    problemOf(await agent.call('delete', groupPath), 403, 'forbidden');
    problemOf(await admin.call('delete', groupPath), 409, 'group-has-members');
    await admin.call('delete', `${groupPath}/members/${newcomer}`).expect(204);
    problemOf(await admin.call('delete', `${groupPath}/members/${newcomer}`), 404, 'not-found');
    await admin.call('delete', groupPath).expect(204);
    problemOf(await admin.call('get', groupPath), 404, 'not-found');

    const refused = await eventually(
      async () => {
        const response = await agent.create('incidents', { ...INCIDENT, assignmentGroup: group });
        return response.status === 400 ? (response.body as Problem) : undefined;
      },
      { description: `the incident service to forget ${group}`, timeoutMs: 60_000 },
    );
    expect(refused.errors?.map((error) => error.field)).toEqual(['assignmentGroup']);
    const kept = await agent.get('incidents', assigned.id).expect(200);
    expect(kept.body).toMatchObject({ assignmentGroup: group, assignee: newcomer });
  });

  it('publishes every change on the directory topic', async () => {
    const types = await eventually(
      async () => {
        const events = (await readWholeTopic(testKafka(), Topics.directoryEvents))
          .map(({ message }) => fromKafkaRecord(message))
          .filter((event) => event.subject === group);
        return events.some((event) => event.type === EventTypes.directory.groupDeleted)
          ? events
          : undefined;
      },
      { description: `${group}'s deletion on ${Topics.directoryEvents}`, timeoutMs: 60_000 },
    );
    expect(types.map((event) => event.type)).toEqual([
      EventTypes.directory.groupCreated,
      EventTypes.directory.groupUpdated, // description
      EventTypes.directory.groupUpdated, // + newcomer
      EventTypes.directory.groupUpdated, // + requester
      EventTypes.directory.groupUpdated, // - requester
      EventTypes.directory.groupUpdated, // - newcomer
      EventTypes.directory.groupDeleted,
    ]);
    expect(types.map((event) => (event.data as { group: GroupBody }).group.members)).toEqual([
      [],
      [],
      [newcomer],
      [newcomer, 'requester'].sort(),
      [newcomer],
      [],
      [],
    ]);
    const requesterEvents = (await readWholeTopic(testKafka(), Topics.directoryEvents))
      .map(({ message }) => fromKafkaRecord(message))
      .filter(
        (event) => event.subject === 'requester' && event.type === EventTypes.directory.userUpdated,
      )
      .map((event) => (event.data as { user: { groups: string[] } }).user.groups);
    expect(requesterEvents).toEqual(expect.arrayContaining([[group], []]));
  });
});
