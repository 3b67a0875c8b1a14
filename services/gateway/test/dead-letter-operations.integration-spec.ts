import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Producer } from 'kafkajs';
import { Topics, toKafkaRecord } from '@itsm/contracts';
import {
  DEV_PASSWORD,
  REPO_ROOT,
  RecordsApi,
  RunningPlatform,
  changeCompletedEvent,
  connectedProducer,
  eventually,
  testKafka,
  untilConsumerCaughtUp,
} from '@itsm/testing';

const execFileAsync = promisify(execFile);

interface DeadLetter {
  id: string;
  key: string | null;
  eventId: string | null;
  status: string;
  errorType: string;
  attempts: number;
  settledBy: string | null;
  settleNote: string | null;
}

/**
 * `/api/v1/operations/dead-letters/{service}` through the gateway, on the incident
 * service's consumer: an event of a change that breaks its schema is dead-lettered, the
 * change's later event waits behind it, and an operator settles both, in order.
 */
describe('dead letters through the gateway', () => {
  let platform: RunningPlatform;
  let admin: RecordsApi;
  let agent: RecordsApi;
  let producer: Producer;
  const base = '/api/v1/operations/dead-letters/incident';

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    admin = await RecordsApi.as(platform.gatewayUrl, 'admin');
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    producer = await connectedProducer(testKafka());
  });

  afterAll(async () => {
    await producer?.disconnect();
    await platform?.stop();
  });

  const publishCompleted = async (changeId: string, breakSchema = false): Promise<string> => {
    const event = changeCompletedEvent({ id: changeId });
    const record = toKafkaRecord(event);
    const value = breakSchema ? JSON.stringify({ change: 'not a change' }) : record.value;
    await producer.send({ topic: Topics.changeEvents, messages: [{ ...record, value }] });
    return event.id;
  };
  const lettersOf = async (key: string): Promise<DeadLetter[]> =>
    ((await admin.call('get', `${base}?key=${key}`).expect(200)).body as { items: DeadLetter[] })
      .items;

  it('holds a record’s later event behind its dead letter, and settles both in order', async () => {
    const changeId = randomUUID();
    const broken = await publishCompleted(changeId, true);
    const later = await publishCompleted(changeId);

    const [poison, held] = await eventually(
      async () => {
        const letters = await lettersOf(changeId);
        return letters.length === 2 ? letters : undefined;
      },
      { description: 'the broken event dead-lettered and the later one held' },
    );
    expect(poison).toMatchObject({
      eventId: broken,
      status: 'open',
      errorType: 'EventSchemaViolation',
      attempts: 0,
    });
    expect(held).toMatchObject({
      eventId: later,
      status: 'held',
      errorType: 'HeldBehindDeadLetter',
    });
    const detail = (await admin.call('get', `${base}/${poison?.id}`).expect(200)).body as {
      value: string;
      headers: Record<string, string>;
    };
    expect(detail.value).toBe('{"change":"not a change"}');
    expect(detail.headers.ce_id).toBe(broken);

    // The later event cannot jump the queue.
    const refused = await admin.call('post', `${base}/${held?.id}/replay`).send({}).expect(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);

    // Replayed as it is, the broken event fails again and stays open.
    const again = (await admin.call('post', `${base}/${poison?.id}/replay`).send({}).expect(200))
      .body as { replayed: DeadLetter[]; failed: DeadLetter | null };
    expect(again.replayed).toEqual([]);
    expect(again.failed).toMatchObject({ id: poison?.id, status: 'open' });

    const noReason = await admin.call('post', `${base}/${poison?.id}/discard`).send({}).expect(400);
    expect(noReason.body).toMatchObject({
      errors: expect.arrayContaining([expect.objectContaining({ field: 'reason' })]) as unknown,
    });
    const discarded = (
      await admin
        .call('post', `${base}/${poison?.id}/discard`)
        .send({ reason: 'the change service sent a broken event; the change is unaffected' })
        .expect(200)
    ).body as DeadLetter;
    expect(discarded).toMatchObject({
      status: 'discarded',
      settledBy: 'admin',
      settleNote: 'the change service sent a broken event; the change is unaffected',
    });

    const replay = (
      await admin
        .call('post', `${base}/${held?.id}/replay`)
        .send({ note: 'after the discard' })
        .expect(200)
    ).body as { replayed: DeadLetter[]; failed: DeadLetter | null };
    expect(replay.failed).toBeNull();
    expect(replay.replayed).toMatchObject([
      { id: held?.id, status: 'replayed', settledBy: 'admin' },
    ]);

    // Settled: the change's next event is applied, not held.
    await publishCompleted(changeId);
    await untilConsumerCaughtUp('incident', [Topics.changeEvents]);
    expect((await lettersOf(changeId)).map((letter) => letter.status)).toEqual([
      'discarded',
      'replayed',
    ]);
    await admin.call('post', `${base}/${held?.id}/discard`).send({ reason: 'late' }).expect(409);
  });

  it('is on the operator’s command line too', async () => {
    const changeId = randomUUID();
    const broken = await publishCompleted(changeId, true);
    await eventually(async () => ((await lettersOf(changeId)).length === 1 ? true : undefined), {
      description: 'the broken event dead-lettered',
    });
    const ops = (...args: string[]) =>
      execFileAsync(
        process.execPath,
        [
          '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
          join(REPO_ROOT, 'tools/itsm-ops.ts'),
          ...args,
        ],
        {
          env: {
            PATH: process.env.PATH ?? '',
            ITSM_URL: platform.gatewayUrl,
            ITSM_USERNAME: 'admin',
            ITSM_PASSWORD: DEV_PASSWORD,
          },
        },
      );
    const listed = JSON.parse(
      (await ops('dead-letters', 'incident', '--key', changeId, '--status', 'open')).stdout,
    ) as { items: DeadLetter[] };
    expect(listed.items).toMatchObject([{ eventId: broken, status: 'open' }]);
    const id = listed.items[0]?.id ?? '';
    const discarded = JSON.parse(
      (await ops('discard', 'incident', id, '--reason', 'dropped from the command line')).stdout,
    ) as DeadLetter;
    expect(discarded).toMatchObject({ status: 'discarded', settledBy: 'admin' });
    await expect(ops('discard', 'incident', id, '--reason', 'twice')).rejects.toMatchObject({
      code: 1,
    });
    await expect(ops('discard', 'incident', id)).rejects.toMatchObject({ code: 2 });
  });

  it('is for operators only, and names the field at fault', async () => {
    await agent.call('get', base).expect(403);
    await agent.call('get', '/api/v1/operations/dead-letters/gateway').expect(403);
    const refused = await admin.call('get', `${base}?status=lost&limit=0`).expect(400);
    expect(refused.body).toMatchObject({
      errors: expect.arrayContaining([
        expect.objectContaining({ field: 'status' }),
        expect.objectContaining({ field: 'limit' }),
      ]) as unknown,
    });
    await admin.call('get', `${base}/not-an-id`).expect(400);
    await admin.call('get', `${base}/987654321987`).expect(404);
  });
});
