import { randomUUID } from 'node:crypto';
import { Topics, toKafkaRecord, type ChangeEventV1, type ItsmCloudEvent } from '@itsm/contracts';
import {
  ServiceProcess,
  changeCompletedEvent,
  connectedProducer,
  eventually,
  testKafka,
} from '@itsm/testing';
import { cmdbCaller, unique, type CmdbCall } from './support/cmdb-client';

interface Ci {
  id: string;
  name: string;
  status: string;
  attributes: Record<string, unknown>;
  version: number;
  updatedAt: string;
}

interface HistoryEntry {
  at: string;
  kind: string;
  actor: string;
  source: string | null;
  field: string | null;
  oldValue: unknown;
  newValue: unknown;
  changeNumber: string | null;
  relationship: { id: string } | null;
}

function changeCompleted(ciIds: string[], number: string): ItsmCloudEvent<ChangeEventV1> {
  return changeCompletedEvent({ ciIds, number });
}

describe('CI history and as-of reads', () => {
  let cmdb: ServiceProcess;
  let call: CmdbCall;

  beforeAll(async () => {
    cmdb = await ServiceProcess.start('cmdb');
    call = cmdbCaller(cmdb.url);
  });

  afterAll(async () => {
    await cmdb?.stop();
  });

  const history = async (id: string): Promise<HistoryEntry[]> => {
    const response = await call('get', `/api/v1/cis/${id}/history?limit=100`);
    expect(response.status).toBe(200);
    return (response.body as { items: HistoryEntry[] }).items;
  };

  it('keeps every change (who, which source, when, old, new) and reads the CI and its relationships as they were', async () => {
    const created = (
      await call('post', '/api/v1/cis', {
        class: 'virtual_server',
        name: unique('vm'),
        attributes: { cpuCount: 2 },
      })
    ).body as Ci;
    const host = (
      await call('post', '/api/v1/cis', { class: 'physical_server', name: unique('host') })
    ).body as Ci;
    const relationship = (
      await call('post', '/api/v1/relationships', {
        type: 'hosted_on',
        sourceId: created.id,
        targetId: host.id,
      })
    ).body as { id: string };
    const firstState = new Date().toISOString();

    const changed = (
      await call(
        'patch',
        `/api/v1/cis/${created.id}`,
        { attributes: { cpuCount: 4 }, status: 'operational' },
        { 'if-match': '"1"' },
      )
    ).body as Ci;
    expect((await call('delete', `/api/v1/relationships/${relationship.id}`)).status).toBe(200);
    await call(
      'patch',
      `/api/v1/cis/${created.id}`,
      { status: 'retired' },
      { 'if-match': `"${changed.version}"` },
    );

    const entries = await history(created.id);
    expect(entries.map((entry) => [entry.kind, entry.field])).toEqual([
      ['created', null],
      ['relationship_created', null],
      ['updated', 'status'],
      ['updated', 'attributes.cpuCount'],
      ['relationship_deleted', null],
      ['retired', 'status'],
    ]);
    expect(entries[3]).toMatchObject({
      actor: 'configuration_manager',
      source: null,
      oldValue: 2,
      newValue: 4,
    });
    expect(entries[5]).toMatchObject({ oldValue: 'operational', newValue: 'retired' });

    const past = await call('get', `/api/v1/cis/${created.id}?asOf=${firstState}`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ version: 1, status: 'planned', attributes: { cpuCount: 2 } });
    const before = await call('get', `/api/v1/cis/${created.id}?asOf=2000-01-01T00:00:00Z`);
    expect(before.status).toBe(404);

    const relationshipsThen = await call(
      'get',
      `/api/v1/relationships?ciId=${created.id}&asOf=${firstState}`,
    );
    expect(
      (relationshipsThen.body as { items: { id: string }[] }).items.map((item) => item.id),
    ).toEqual([relationship.id]);
    const relationshipsNow = await call('get', `/api/v1/relationships?ciId=${created.id}`);
    expect((relationshipsNow.body as { items: unknown[] }).items).toEqual([]);
    const retired = await call('get', `/api/v1/relationships/${relationship.id}`);
    expect(retired.body).toMatchObject({ id: relationship.id, deletedBy: 'configuration_manager' });
  });

  it('pages the history with a cursor', async () => {
    const created = (await call('post', '/api/v1/cis', { class: 'storage', name: unique('vol') }))
      .body as Ci;
    let version = created.version;
    for (const capacityGb of [100, 200, 300]) {
      version = (
        (
          await call(
            'patch',
            `/api/v1/cis/${created.id}`,
            { attributes: { capacityGb } },
            { 'if-match': `"${version}"` },
          )
        ).body as Ci
      ).version;
    }
    const first = (await call('get', `/api/v1/cis/${created.id}/history?limit=2`)).body as {
      items: HistoryEntry[];
      nextCursor: string;
    };
    const second = (
      await call('get', `/api/v1/cis/${created.id}/history?limit=2&cursor=${first.nextCursor}`)
    ).body as { items: HistoryEntry[]; nextCursor: string | null };
    expect([...first.items, ...second.items].map((entry) => entry.newValue)).toEqual([
      null,
      100,
      200,
      300,
    ]);
    expect(second.nextCursor).toBeNull();
  });

  it('records "changed by CHG…" in the history of each CI a completed change names, once per event', async () => {
    const ci = (
      await call('post', '/api/v1/cis', { class: 'physical_server', name: unique('host') })
    ).body as Ci;
    const number = `CHG${String(Math.floor(Math.random() * 9_000_000) + 1_000_000)}`;
    const event = changeCompleted([ci.id, randomUUID()], number);
    const producer = await connectedProducer(testKafka());
    try {
      // Delivered twice (at least once): the inbox applies it once.
      await producer.send({
        topic: Topics.changeEvents,
        messages: [toKafkaRecord(event), toKafkaRecord(event)],
      });
    } finally {
      await producer.disconnect();
    }
    const entries = await eventually(
      async () => {
        const items = (await history(ci.id)).filter((entry) => entry.kind === 'changed_by_change');
        return items.length > 0 ? items : undefined;
      },
      { description: 'the change in the CI history', timeoutMs: 60_000 },
    );
    expect(entries).toEqual([expect.objectContaining({ changeNumber: number, actor: number })]);
    // A later event proves the duplicate was seen and skipped, not merely still in flight.
    const laterNumber = `CHG${String(Number(number.slice(3)) - 1).padStart(7, '0')}`;
    const later = changeCompleted([ci.id], laterNumber);
    const again = await connectedProducer(testKafka());
    try {
      await again.send({ topic: Topics.changeEvents, messages: [toKafkaRecord(later)] });
    } finally {
      await again.disconnect();
    }
    const all = await eventually(async () => {
      const items = (await history(ci.id)).filter((entry) => entry.kind === 'changed_by_change');
      return items.length >= 2 ? items : undefined;
    });
    expect(all.map((entry) => entry.changeNumber)).toEqual([number, laterNumber]);
  });
});
