import { randomUUID } from 'node:crypto';
import request, { type Response } from 'supertest';
import {
  EventTypes,
  EventValidator,
  ProblemEventTypes,
  Topics,
  fromKafkaRecord,
  toKafkaRecord,
  type IncidentSnapshot,
  type ItsmCloudEvent,
  type KnownErrorEventV1,
} from '@itsm/contracts';
import {
  OpenApiConformance,
  RunningPlatform,
  cloudEvent,
  eventually,
  incidentSnapshot,
  queryTestDatabase,
  readWholeTopic,
  testKafka,
  tokenFor,
} from '@itsm/testing';
import { type Producer } from 'kafkajs';

interface KnownErrorBody {
  id: string;
  number: string;
  title: string;
  symptom: string;
  workaround: string | null;
  solution: string | null;
  revision: number;
  rank?: number;
  matchedBy?: string[];
  score?: number;
  [field: string]: unknown;
}

interface Page {
  items: KnownErrorBody[];
  nextCursor: string | null;
}

/** Letters only (a-f), so that the full-text parser reads a token made with it as one word. */
function letters(): string {
  return randomUUID()
    .replace(/[^a-f]/g, '')
    .slice(0, 10)
    .padEnd(10, 'a');
}

/**
 * Known errors through the gateway, with the problem service's real PostgreSQL and Kafka:
 * recording and changing them (history, events), searching them, and offering them on
 * incidents the problem service learns from the incident topic. Each test makes up its
 * own words, CIs and codes, so it counts only what it created among whatever else the run did.
 */
describe('known errors through the gateway', () => {
  let platform: RunningPlatform;
  let producer: Producer;
  let conformance: OpenApiConformance;
  const tokens = new Map<string, string>();
  const validator = new EventValidator();

  beforeAll(async () => {
    // Agents see their groups' records only: an incident of another group is hidden from them.
    platform = await RunningPlatform.start(['gateway', 'problem'], {
      AGENT_RECORD_SCOPE: 'groups',
    });
    for (const user of ['problem_manager', 'agent', 'change_manager', 'requester'])
      tokens.set(user, await tokenFor(platform.gatewayUrl, user));
    conformance = await OpenApiConformance.of(platform.service('problem').url);
    producer = testKafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await platform?.stop();
  });

  const as = (user: string) => ({ authorization: `Bearer ${tokens.get(user)}` });

  function create(body: object, user = 'problem_manager'): request.Test {
    return request(platform.gatewayUrl).post('/api/v1/known-errors').set(as(user)).send(body);
  }

  function search(query: Record<string, string | number | boolean>, user = 'agent'): request.Test {
    return request(platform.gatewayUrl).get('/api/v1/known-errors').query(query).set(as(user));
  }

  function read(id: string, user = 'agent'): request.Test {
    return request(platform.gatewayUrl).get(`/api/v1/known-errors/${id}`).set(as(user));
  }

  function patch(id: string, body: object, ifMatch?: string): request.Test {
    const sent = request(platform.gatewayUrl)
      .patch(`/api/v1/known-errors/${id}`)
      .set(as('problem_manager'));
    if (ifMatch) sent.set('if-match', ifMatch);
    return sent.send(body);
  }

  function offers(incidentId: string, user = 'problem_manager', limit?: number): request.Test {
    const sent = request(platform.gatewayUrl)
      .get(`/api/v1/incidents/${incidentId}/known-errors`)
      .set(as(user));
    return limit === undefined ? sent : sent.query({ limit });
  }

  async function recorded(body: object): Promise<KnownErrorBody> {
    return (await create(body).expect(201)).body as KnownErrorBody;
  }

  function idsOf(response: Response): string[] {
    return (response.body as Page).items.map((item) => item.id);
  }

  function expectConforms(method: string, path: string, response: Response): void {
    expect(conformance.errors(method, path, response.status, response.body)).toEqual([]);
  }

  function expectProblem(response: Response, field?: string): void {
    expect(response.headers['content-type']).toContain('application/problem+json');
    if (field)
      expect((response.body as { errors: { field: string }[] }).errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
  }

  /** The problem topic's events about one known error, in order. */
  async function eventsOf(id: string): Promise<ItsmCloudEvent<KnownErrorEventV1>[]> {
    const records = await readWholeTopic(testKafka(), Topics.problemEvents);
    return records
      .filter(({ message }) => message.key?.toString() === id)
      .map(({ message }) => fromKafkaRecord(message) as ItsmCloudEvent<KnownErrorEventV1>);
  }

  async function untilEvents(id: string, count: number) {
    return eventually(
      async () => {
        const events = await eventsOf(id);
        return events.length >= count ? events : undefined;
      },
      { description: `${count} event(s) of known error ${id}` },
    );
  }

  /** An incident as the incident service announces it; the problem service keeps a copy. */
  async function announceIncident(fields: Partial<IncidentSnapshot>): Promise<IncidentSnapshot> {
    const incident = incidentSnapshot({ number: 'INC0990001', ...fields });
    await producer.send({
      topic: Topics.incidentEvents,
      messages: [
        toKafkaRecord(
          cloudEvent(EventTypes.incident.created, '/itsm/incident', incident.id, {
            incident,
            changedFields: ['title'],
            previous: {},
          }),
        ),
      ],
    });
    return incident;
  }

  it('records a known error: 201 with Location and ETag, numbered KE, titled after its symptom, with history and a valid event', async () => {
    const ciId = randomUUID();
    const response = await create({
      symptom: `  Outlook shows "Trying to connect" after the VPN reconnects ${'and keeps retrying '.repeat(12)}`,
      workaround: 'Restart Outlook',
      errorCode: 'OL-0x800CCC0E',
      ciIds: [ciId],
      ciClass: 'application',
      vendor: 'Microsoft',
    }).expect(201);
    const body = response.body as KnownErrorBody;
    expect(body.number).toMatch(/^KE[0-9]{7}$/);
    expect(body).toMatchObject({
      symptom: expect.stringMatching(/^Outlook shows/) as string,
      workaround: 'Restart Outlook',
      rootCause: null,
      ciIds: [ciId],
      validUntil: null,
      problemId: null,
      createdBy: 'problem_manager',
      revision: 1,
    });
    expect(body.title.length).toBeLessThanOrEqual(200);
    expect(body.title).toMatch(/^Outlook shows "Trying to connect" after the VPN reconnects and/);
    expect(response.headers.location).toBe(`/api/v1/known-errors/${body.id}`);
    expect(response.headers.etag).toBe('"1"');
    expectConforms('post', '/api/v1/known-errors', response);

    const readBack = await read(body.id).expect(200);
    expect(readBack.body).toEqual(body);
    expect(readBack.headers.etag).toBe('"1"');

    const history = await request(platform.gatewayUrl)
      .get(`/api/v1/known-errors/${body.id}/history`)
      .set(as('agent'))
      .expect(200);
    expectConforms('get', '/api/v1/known-errors/{id}/history', history);
    expect((history.body as { items: { field: string }[] }).items).toEqual(
      ['title', 'symptom', 'workaround', 'errorCode', 'ciIds', 'ciClass', 'vendor'].map(
        (field): unknown =>
          expect.objectContaining({ field, oldValue: null, actor: 'problem_manager' }),
      ),
    );

    const [event] = await untilEvents(body.id, 1);
    expect(event).toMatchObject({
      type: ProblemEventTypes.knownErrorCreated,
      source: '/itsm/problem',
      subject: body.id,
      data: { knownError: body, previous: {} },
    });
    expect(event.data.changedFields).toEqual(expect.arrayContaining(['symptom', 'ciIds']));
    expect(() => validator.assertValid(event.type, event.data)).not.toThrow();
  });

  it('answers a retried create with the first answer and records it once', async () => {
    const symptom = `Retried ${letters()}`;
    const key = randomUUID();
    const first = await create({ symptom }).set('idempotency-key', key).expect(201);
    const again = await create({ symptom }).set('idempotency-key', key).expect(201);
    expect(again.body).toEqual(first.body);
    const [row] = await queryTestDatabase<{ n: number }>(
      'SELECT count(*)::int AS n FROM problem.known_errors WHERE symptom = $1',
      [symptom],
    );
    expect(row?.n).toBe(1);
  });

  it.each([
    ['no symptom', { workaround: 'x' }, 'symptom'],
    ['a blank symptom', { symptom: '   ' }, 'symptom'],
    ['a title of white space', { title: ' ', symptom: 'Mail down' }, 'title'],
    ['a title of 201 characters', { title: 'x'.repeat(201), symptom: 'Mail down' }, 'title'],
    ['a CI that is not a UUID', { symptom: 'Mail down', ciIds: ['srv-1'] }, 'ciIds'],
    ['101 CIs', { symptom: 'Mail down', ciIds: Array.from({ length: 101 }, randomUUID) }, 'ciIds'],
    [
      'a validUntil that is not a date-time',
      { symptom: 'Mail down', validUntil: 'soon' },
      'validUntil',
    ],
    [
      'a validUntil in the year 0',
      { symptom: 'Mail down', validUntil: '0000-06-01T00:00:00Z' },
      'validUntil',
    ],
    ['a problemId that is not a UUID', { symptom: 'Mail down', problemId: '42' }, 'problemId'],
    [
      'a problem that does not exist',
      { symptom: 'Mail down', problemId: randomUUID() },
      'problemId',
    ],
    ['a field the API does not know', { symptom: 'Mail down', severity: 'high' }, 'severity'],
  ])('refuses %s with a 400 naming the field, and stores nothing', async (_case, body, field) => {
    const marker = `Refused ${letters()}`;
    const response = await create({ ...body, workaround: marker }).expect(400);
    expectProblem(response, field);
    const [row] = await queryTestDatabase<{ n: number }>(
      'SELECT count(*)::int AS n FROM problem.known_errors WHERE workaround = $1',
      [marker],
    );
    expect(row?.n).toBe(0);
  });

  it('records a known error of an existing problem, and finds it by that problem', async () => {
    const problem = await request(platform.gatewayUrl)
      .post('/api/v1/problems')
      .set(as('problem_manager'))
      .send({ title: 'Outlook disconnects', impact: 2, urgency: 2 })
      .expect(201);
    const problemId = (problem.body as { id: string }).id;
    const knownError = await recorded({ symptom: 'Outlook disconnects', problemId });
    expect(knownError.problemId).toBe(problemId);
    expect(idsOf(await search({ problemId }).expect(200))).toEqual([knownError.id]);
  });

  it('lets those who read problems search, and only those who write them record', async () => {
    await search({}, 'change_manager').expect(200);
    expectProblem(await create({ symptom: 'Not mine to record' }, 'change_manager').expect(403));
    expectProblem(await search({}, 'requester').expect(403));
  });

  it('finds known errors by CI, class, error code (exactly, any case) and category, filters combined', async () => {
    const word = letters();
    const ciId = randomUUID();
    const otherCi = randomUUID();
    const code = `ORA-${word}`;
    const byCi = await recorded({ symptom: 'Listener down', ciIds: [otherCi, ciId] });
    const byClass = await recorded({ symptom: 'Disk full', ciClass: `server-${word}` });
    const byCode = await recorded({ symptom: 'Internal error', errorCode: code });
    const byCategory = await recorded({
      symptom: 'Queue stuck',
      category: `mq-${word}`,
      ciIds: [ciId],
    });

    expect(idsOf(await search({ ciId }).expect(200))).toEqual([byCategory.id, byCi.id]);
    expect(idsOf(await search({ ciClass: `server-${word}` }).expect(200))).toEqual([byClass.id]);
    expect(idsOf(await search({ errorCode: code.toLowerCase() }).expect(200))).toEqual([byCode.id]);
    expect(idsOf(await search({ errorCode: 'ORA' }).expect(200))).not.toContain(byCode.id);
    expect(idsOf(await search({ category: `mq-${word}` }).expect(200))).toEqual([byCategory.id]);
    expect(idsOf(await search({ ciId, category: `mq-${word}` }).expect(200))).toEqual([
      byCategory.id,
    ]);
    expect(idsOf(await search({ ciId, ciClass: `server-${word}` }).expect(200))).toEqual([]);
    const response = await search({ ciId });
    expectConforms('get', '/api/v1/known-errors', response);
    expect((response.body as Page).items[0]).not.toHaveProperty('rank');
  });

  it('ranks a text search: the better match first, each item with its rank, paged by rank', async () => {
    const word = letters();
    const inSolution = await recorded({
      symptom: 'Reports are slow',
      solution: `Rebuild the ${word} index`,
    });
    const inTitle = await recorded({
      title: `The ${word} spooler stalls`,
      symptom: `Every ${word} job waits in the spooler`,
    });
    const inWorkaround = await recorded({
      symptom: 'Jobs wait',
      workaround: `Restart the ${word} service`,
    });
    const unrelated = await recorded({ symptom: 'Spooler stalls on Mondays' });

    const response = await search({ q: word }).expect(200);
    expectConforms('get', '/api/v1/known-errors', response);
    const items = (response.body as Page).items;
    expect(items.map((item) => item.id)).toEqual([inTitle.id, inWorkaround.id, inSolution.id]);
    const ranks = items.map((item) => item.rank ?? -1);
    expect(ranks.every((rank) => rank > 0)).toBe(true);
    expect([...ranks].sort((a, b) => b - a)).toEqual(ranks);
    expect(items.map((item) => item.id)).not.toContain(unrelated.id);

    // Web search syntax: a phrase, and a word left out.
    expect(idsOf(await search({ q: `"${word} spooler"` }).expect(200))).toEqual([inTitle.id]);
    expect(idsOf(await search({ q: `${word} -index` }).expect(200)).sort()).toEqual(
      [inTitle.id, inWorkaround.id].sort(),
    );

    // One item a page, the same order.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (
        await search({ q: word, limit: 1, ...(cursor ? { cursor } : {}) }).expect(200)
      ).body as Page;
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toEqual([inTitle.id, inWorkaround.id, inSolution.id]);
  });

  it('lists newest first without a query, keyset-paged, and refuses a cursor it did not make', async () => {
    const ciId = randomUUID();
    const made: string[] = [];
    for (const symptom of ['First', 'Second', 'Third'])
      made.push((await recorded({ symptom, ciIds: [ciId] })).id);
    const first = (await search({ ciId, limit: 2 }).expect(200)).body as Page;
    expect(first.items.map((item) => item.id)).toEqual([made[2], made[1]]);
    const second = (await search({ ciId, limit: 2, cursor: first.nextCursor! }).expect(200))
      .body as Page;
    expect(second).toEqual({ items: [expect.objectContaining({ id: made[0] })], nextCursor: null });
    expectProblem(await search({ ciId, cursor: 'not-a-cursor' }).expect(400), 'cursor');
    const forged = Buffer.from(JSON.stringify({ rank: 'x', createdAt: 'y', id: 'z' })).toString(
      'base64url',
    );
    expectProblem(await search({ q: 'spooler', cursor: forged }).expect(400), 'cursor');
  });

  it('leaves out known errors past their validity unless expired ones are asked for', async () => {
    const ciId = randomUUID();
    const expired = await recorded({
      symptom: 'Old firmware hangs',
      ciIds: [ciId],
      validUntil: '2020-01-01T00:00:00+02:00',
    });
    expect(expired.validUntil).toBe('2019-12-31T22:00:00.000Z');
    const current = await recorded({
      symptom: 'New firmware hangs',
      ciIds: [ciId],
      validUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(idsOf(await search({ ciId }).expect(200))).toEqual([current.id]);
    expect(idsOf(await search({ ciId, includeExpired: true }).expect(200))).toEqual([
      current.id,
      expired.id,
    ]);
    expectProblem(await search({ ciId, includeExpired: 'yes' }).expect(400), 'includeExpired');
  });

  it('shows a requester the workarounds that match what they type, and nothing of the analysis behind them', async () => {
    const word = `zq${randomUUID().slice(0, 8)}`;
    const withWorkaround = await recorded({
      symptom: `Badge reader ${word} blinks red at the turnstile`,
      workaround: 'Hold the badge still for two seconds',
      rootCause: 'The reader firmware drops short reads',
      solution: 'Firmware 4.2',
    });
    await recorded({ symptom: `Badge reader ${word} beeps twice`, rootCause: 'Unknown yet' });
    await recorded({
      symptom: `Badge reader ${word} is dark`,
      workaround: 'Use the side door',
      validUntil: '2020-01-01T00:00:00Z',
    });
    const workarounds = (query: Record<string, string | number>, user = 'requester') =>
      request(platform.gatewayUrl)
        .get('/api/v1/known-errors/workarounds')
        .query(query)
        .set(as(user));

    const found = await workarounds({ q: `turnstile or ${word}` }).expect(200);
    expectConforms('get', '/api/v1/known-errors/workarounds', found);
    // The one without a workaround and the expired one are left out.
    expect(found.body).toEqual({
      items: [
        {
          id: withWorkaround.id,
          number: withWorkaround.number,
          title: withWorkaround.title,
          symptom: withWorkaround.symptom,
          workaround: 'Hold the badge still for two seconds',
        },
      ],
    });
    await workarounds({ q: word }, 'agent').expect(200);
    expect((await workarounds({ q: 'nothing-reads-like-this-zz' }).expect(200)).body).toEqual({
      items: [],
    });
    expectProblem(await workarounds({}).expect(400), 'q');
    expectProblem(await workarounds({ q: word, limit: 11 }).expect(400), 'limit');
    // Everything else about known errors stays with those who read problems.
    expectProblem(await read(withWorkaround.id, 'requester').expect(403));
    expectProblem(await workarounds({ q: word }, 'change_manager').expect(403));
  });

  it('changes a known error with If-Match: 428 without, 412 when stale, null clears; history, event and search follow', async () => {
    const word = letters();
    const knownError = await recorded({
      symptom: 'Badge readers reject valid badges',
      workaround: 'Let the guard open the door',
    });
    expectProblem(await patch(knownError.id, { solution: 'x' }).expect(428));
    expectProblem(await patch(knownError.id, { solution: 'x' }, '"7"').expect(412));
    expectProblem(await patch(knownError.id, { symptom: null }, '"1"').expect(400), 'symptom');
    expectProblem(await patch(randomUUID(), { solution: 'x' }, '"1"').expect(404));

    const changed = await patch(
      knownError.id,
      { workaround: null, solution: `Flash the ${word} firmware`, vendor: 'Acme' },
      '"1"',
    ).expect(200);
    expect(changed.headers.etag).toBe('"2"');
    expect(changed.body).toMatchObject({
      workaround: null,
      solution: `Flash the ${word} firmware`,
      vendor: 'Acme',
      revision: 2,
    });
    expectConforms('patch', '/api/v1/known-errors/{id}', changed);
    expectProblem(await patch(knownError.id, { vendor: 'Other' }, '"1"').expect(412));

    // The same values again change nothing: no new revision, no event.
    const unchanged = await patch(knownError.id, { vendor: 'Acme' }, '"2"').expect(200);
    expect(unchanged.headers.etag).toBe('"2"');

    expect(idsOf(await search({ q: word }).expect(200))).toEqual([knownError.id]);

    const history = (
      await request(platform.gatewayUrl)
        .get(`/api/v1/known-errors/${knownError.id}/history`)
        .set(as('agent'))
        .expect(200)
    ).body as { items: { field: string; oldValue: unknown; newValue: unknown; actor: string }[] };
    expect(history.items.slice(-3)).toEqual([
      expect.objectContaining({
        field: 'workaround',
        oldValue: 'Let the guard open the door',
        newValue: null,
        actor: 'problem_manager',
      }),
      expect.objectContaining({ field: 'solution', oldValue: null }),
      expect.objectContaining({ field: 'vendor', oldValue: null, newValue: 'Acme' }),
    ]);

    const events = await untilEvents(knownError.id, 2);
    expect(events.map((event) => event.type)).toEqual([
      ProblemEventTypes.knownErrorCreated,
      ProblemEventTypes.knownErrorUpdated,
    ]);
    expect(events[1].data).toMatchObject({
      knownError: { revision: 2, workaround: null },
      changedFields: ['workaround', 'solution', 'vendor'],
      previous: { workaround: 'Let the guard open the door', solution: null, vendor: null },
    });
    for (const event of events) validator.assertValid(event.type, event.data);
  });

  it('answers a known error that does not exist with 404, and a malformed id with 400', async () => {
    expectProblem(await read(randomUUID()).expect(404));
    expectProblem(await read('KE0000001').expect(400));
  });

  describe('offered on an incident', () => {
    it('offers the valid known errors by CI, category and text, best first, each saying why', async () => {
      const word = letters();
      const ciId = randomUUID();
      const category = `printing-${word}`;
      const byCiAndText = await recorded({ symptom: `The ${word} tray jams`, ciIds: [ciId] });
      const byCi = await recorded({ symptom: 'Toner smears', ciIds: [randomUUID(), ciId] });
      const byCategory = await recorded({ symptom: 'Driver missing', category });
      const byText = await recorded({
        symptom: `Pages come out blank from the ${word} printer`,
        workaround: 'Print again',
      });
      const expired = await recorded({
        symptom: 'Old firmware',
        ciIds: [ciId],
        validUntil: '2021-01-01T00:00:00Z',
      });
      const incident = await announceIncident({
        title: `${word} printer prints blank pages`,
        description: 'Since this morning, on the third floor',
        ciIds: [ciId],
        category,
      });

      const offered = await eventually(
        async () => {
          const response = await offers(incident.id);
          return response.status === 200 ? response : undefined;
        },
        { description: 'the problem service to know the incident' },
      );
      expectConforms('get', '/api/v1/incidents/{id}/known-errors', offered);
      const ours = new Set([byCiAndText.id, byCi.id, byCategory.id, byText.id, expired.id]);
      const items = (offered.body as Page).items.filter((item) => ours.has(item.id));
      expect(items.map((item) => [item.id, item.matchedBy])).toEqual([
        [byCiAndText.id, ['ci', 'text']],
        [byCi.id, ['ci']],
        [byCategory.id, ['category']],
        [byText.id, ['text']],
      ]);
      const scores = (offered.body as Page).items.map((item) => item.score ?? -1);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);

      const capped = (await offers(incident.id, 'problem_manager', 2).expect(200)).body as Page;
      expect(capped.items.map((item) => item.id)).toEqual([byCiAndText.id, byCi.id]);
      expectProblem(await offers(incident.id, 'problem_manager', 0).expect(400), 'limit');
    });

    it('answers an incident it does not know, or one the caller may not see, with 404', async () => {
      const unknown = await offers(randomUUID()).expect(404);
      expectProblem(unknown);
      expect((unknown.body as { detail: string }).detail).toMatch(/appears within seconds/);
      expectProblem(await offers('INC0000001').expect(400));

      const word = letters();
      const knownError = await recorded({ symptom: `The ${word} switch reboots` });
      const incident = await announceIncident({
        title: `${word} switch rebooted`,
        requester: 'someone-else',
        assignmentGroup: 'network',
      });
      const seen = await eventually(
        async () => {
          const response = await offers(incident.id);
          return response.status === 200 ? response : undefined;
        },
        { description: 'the problem service to know the incident' },
      );
      expect(idsOf(seen)).toContain(knownError.id);
      // The agent works the service desk's incidents only (AGENT_RECORD_SCOPE=groups).
      const hidden = await offers(incident.id, 'agent').expect(404);
      expectProblem(hidden);
      expect(hidden.body).toMatchObject({
        title: (unknown.body as { title: string }).title,
        detail: expect.stringMatching(/appears within seconds/) as string,
      });
      expectProblem(await offers(incident.id, 'requester').expect(403));
    });

    it('is the problem service’s alone: other methods are 405 with what it allows, and the reference documents it once', async () => {
      const response = await request(platform.gatewayUrl)
        .post(`/api/v1/incidents/${randomUUID()}/known-errors`)
        .set(as('problem_manager'))
        .send({})
        .expect(405);
      expect(response.headers.allow).toBe('GET');
      expectProblem(response);
      const document = (await request(platform.gatewayUrl).get('/api/v1/openapi.json').expect(200))
        .body as { paths: Record<string, Record<string, { operationId?: string }>> };
      const path = document.paths['/api/v1/incidents/{id}/known-errors'];
      expect(Object.keys(path ?? {}).filter((key) => key !== 'parameters')).toEqual(['get']);
      expect(path?.get?.operationId).toBe('IncidentKnownErrorsController_list');
    });
  });
});
