import request from 'supertest';
import { RecordsApi, RunningPlatform, eventually, tokenFor } from '@itsm/testing';

interface StreamEvent {
  event: string;
  data: Record<string, unknown>;
}

/** A client of `GET /api/v1/stream` as a browser's fetch reads it: events as they come. */
class StreamClient {
  readonly events: StreamEvent[] = [];
  readonly comments: string[] = [];
  private readonly abort = new AbortController();
  private ended = false;

  private constructor(readonly status: number) {}

  static async open(gatewayUrl: string, token: string): Promise<StreamClient> {
    const abort = new AbortController();
    const response = await fetch(`${gatewayUrl}/api/v1/stream`, {
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    const client = new StreamClient(response.status);
    client.abort.signal.addEventListener('abort', () => abort.abort());
    if (response.ok && response.body) void client.read(response.body);
    else await response.body?.cancel();
    return client;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  changesOf(id: string): Record<string, unknown>[] {
    return this.events
      .filter((each) => each.event === 'change' && each.data.id === id)
      .map((each) => each.data);
  }

  async ready(): Promise<void> {
    await eventually(() => this.events.find((each) => each.event === 'ready'), {
      description: 'the stream to be ready',
    });
  }

  close(): void {
    this.abort.abort();
  }

  /** Server-sent events: blocks separated by a blank line, `field: value` lines, `:` comments. */
  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
            const colon = line.indexOf(':');
            if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
          }
          const data = fields.get('data');
          if (data !== undefined) {
            this.events.push({ event: fields.get('event') ?? 'message', data: JSON.parse(data) });
          }
        }
      }
    } catch {
      // Aborted by the test.
    } finally {
      this.ended = true;
    }
  }
}

describe('live updates through the gateway (GET /api/v1/stream)', () => {
  let platform: RunningPlatform;
  const streams: StreamClient[] = [];
  const open = async (username: string) => {
    const stream = await StreamClient.open(
      platform.gatewayUrl,
      await tokenFor(platform.gatewayUrl, username),
    );
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident', 'problem', 'change'], {
      LIVE_MAX_STREAMS_PER_USER: '2',
      LIVE_HEARTBEAT_SECONDS: '1',
    });
  });

  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('tells an agent of every change, and a requester only of the records it may see, without their content', async () => {
    const agentStream = await open('agent');
    const requesterStream = await open('requester');
    await Promise.all([agentStream.ready(), requesterStream.ready()]);
    const agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    const requester = await RecordsApi.as(platform.gatewayUrl, 'requester');

    const agentsOwn = (
      await agent
        .create('incidents', {
          title: 'Core switch fan failure',
          description: 'Secret detail',
          impact: 2,
          urgency: 2,
        })
        .expect(201)
    ).body as { id: string; number: string };
    await agent.transition('incidents', agentsOwn.id, { to: 'in_progress' }).expect(200);
    const requesters = (
      await requester
        .create('incidents', {
          title: 'My laptop will not boot',
          description: 'Since Monday',
          impact: 3,
          urgency: 3,
        })
        .expect(201)
    ).body as { id: string; number: string };
    // The agent works the requester's incident: the requester hears of it.
    await agent.transition('incidents', requesters.id, { to: 'in_progress' }).expect(200);

    await eventually(() => {
      expect(agentStream.changesOf(agentsOwn.id).map((change) => change.state)).toContain(
        'in_progress',
      );
      expect(agentStream.changesOf(requesters.id).map((change) => change.state)).toContain(
        'in_progress',
      );
      expect(requesterStream.changesOf(requesters.id).map((change) => change.state)).toContain(
        'in_progress',
      );
      return true;
    });
    expect(requesterStream.changesOf(agentsOwn.id)).toEqual([]);

    const [created] = agentStream.changesOf(agentsOwn.id);
    expect(created).toEqual({
      recordType: 'incident',
      id: agentsOwn.id,
      number: agentsOwn.number,
      state: 'new',
      version: 1,
      event: 'created',
      changedFields: expect.any(Array),
      at: expect.any(String),
    });
    expect(agentStream.changesOf(agentsOwn.id)).toContainEqual(
      expect.objectContaining({ event: 'state_changed', state: 'in_progress', version: 2 }),
    );
    expect(JSON.stringify(agentStream.events)).not.toContain('Secret detail');
  });

  it('tells of problems and changes too, each to those who may read it', async () => {
    const [problemManagerStream, cabStream, requesterStream] = await Promise.all(
      ['problem_manager', 'cab_member', 'requester'].map(open),
    );
    await Promise.all([problemManagerStream, cabStream, requesterStream].map((s) => s.ready()));
    const problemManager = await RecordsApi.as(platform.gatewayUrl, 'problem_manager');
    const changeManager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');

    const problem = (
      await problemManager
        .call('post', '/api/v1/problems')
        .send({ title: 'Switch fans fail in the summer', description: 'Secret cause' })
        .expect(201)
    ).body as { id: string; number: string };
    const change = (
      await changeManager
        .create('changes', { title: 'Replace the core switch fans', description: 'Secret plan' })
        .expect(201)
    ).body as { id: string; number: string };

    await eventually(() => {
      expect(problemManagerStream.changesOf(problem.id)).toContainEqual(
        expect.objectContaining({
          recordType: 'problem',
          number: problem.number,
          event: 'created',
        }),
      );
      expect(cabStream.changesOf(change.id)).toContainEqual(
        expect.objectContaining({ recordType: 'change', number: change.number, event: 'created' }),
      );
      expect(problemManagerStream.changesOf(change.id)).not.toEqual([]);
      return true;
    });
    // A CAB member reads no problems; a requester neither problems nor changes.
    expect(cabStream.changesOf(problem.id)).toEqual([]);
    expect(requesterStream.changesOf(problem.id)).toEqual([]);
    expect(requesterStream.changesOf(change.id)).toEqual([]);
    expect(JSON.stringify([problemManagerStream.events, cabStream.events])).not.toMatch(/Secret/);
  });

  it('keeps an idle stream alive with comments', async () => {
    const stream = await open('agent');
    await stream.ready();
    await eventually(() => stream.comments.find((comment) => comment === 'heartbeat'));
  });

  it('needs a token, and holds at most LIVE_MAX_STREAMS_PER_USER streams per user', async () => {
    const refused = await request(platform.gatewayUrl).get('/api/v1/stream').expect(401);
    expect(refused.headers['content-type']).toContain('application/problem+json');

    const first = await open('incident_manager');
    const second = await open('incident_manager');
    await Promise.all([first.ready(), second.ready()]);
    const third = await open('incident_manager');
    expect(third.status).toBe(429);
    // Another user is not counted against the first.
    const other = await open('agent');
    expect(other.status).toBe(200);

    // A closed stream frees its place.
    first.close();
    await eventually(async () => {
      const again = await open('incident_manager');
      expect(again.status).toBe(200);
      return true;
    });
  });
});

describe('a live update stream does not outlive its welcome', () => {
  let platform: RunningPlatform;
  let stream: StreamClient | undefined;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway'], { LIVE_MAX_STREAM_SECONDS: '10' });
  });

  afterAll(async () => {
    stream?.close();
    await platform?.stop();
  });

  it('ends it after LIVE_MAX_STREAM_SECONDS, so that the client opens another with its current token', async () => {
    stream = await StreamClient.open(
      platform.gatewayUrl,
      await tokenFor(platform.gatewayUrl, 'agent'),
    );
    await stream.ready();
    const openedAt = Date.now();
    await eventually(() => (stream?.isEnded ? true : undefined), {
      timeoutMs: 15_000,
      description: 'the stream to end',
    });
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(8_000);
  });
});
