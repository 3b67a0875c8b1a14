import { type Producer } from 'kafkajs';
import {
  ALL_DOMAIN_TOPICS,
  EventTypes,
  Topics,
  toKafkaRecord,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import {
  ServiceProcess,
  cloudEvent,
  connectedProducer,
  eventually,
  incidentSnapshot,
  directClient,
  testKafka,
  untilConsumerCaughtUp,
} from '@itsm/testing';

interface ArchivePage {
  items: { sequence: string; event: { id: string } }[];
  nextCursor: string | null;
}

/** The archive's rule through the reporting process: the route applies it, page after page. */
describe('the event archive over HTTP', () => {
  let reporting: ServiceProcess;
  let producer: Producer;
  const startedAt = new Date(Date.now() - 1000).toISOString();

  beforeAll(async () => {
    reporting = await ServiceProcess.start('reporting');
    // Once: whatever the run published before this suite is behind the consumer, not in each wait.
    await untilConsumerCaughtUp('reporting', ALL_DOMAIN_TOPICS);
    producer = await connectedProducer(testKafka());
  });

  afterAll(async () => {
    await producer?.disconnect();
    await reporting?.stop();
  });

  const page = async (username: string, query: Record<string, string>): Promise<ArchivePage> =>
    (
      await directClient('reporting', reporting.url, username)
        .get('/api/v1/reports/event-archive')
        .query(query)
        .expect(200)
    ).body as ArchivePage;

  const everyPage = async (username: string, limit: number): Promise<string[]> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const current: ArchivePage = await page(username, {
        from: startedAt,
        limit: String(limit),
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...current.items.map((item) => item.event.id));
      cursor = current.nextCursor;
    } while (cursor);
    return ids;
  };

  const recordEvents = (type: 'incident' | 'request', count: number): ItsmCloudEvent[] => {
    const record = incidentSnapshot(type === 'request' ? { type, number: 'REQ0999997' } : { type });
    return Array.from({ length: count }, (_, index) =>
      cloudEvent(
        type === 'request' ? EventTypes.request.updated : EventTypes.incident.updated,
        '/itsm/incident',
        record.id,
        { [type]: { ...record, version: index + 1 }, changedFields: [], previous: {} },
      ),
    );
  };

  it('shows a problem manager incident events, never request snapshots, each once across pages', async () => {
    const incidents = recordEvents('incident', 5);
    const requests = recordEvents('request', 5);
    // Interleaved on one partition each, so that pages mix what may and may not be read.
    await producer.send({
      topic: Topics.incidentEvents,
      messages: [...incidents, ...requests].map((event) => toKafkaRecord(event)),
    });
    const requestSubject = requests[0]?.subject ?? '';
    await eventually(
      async () => {
        const archived = await page('auditor', { subject: requestSubject });
        return archived.items.length === requests.length ? true : undefined;
      },
      { description: 'the request events in the archive' },
    );
    await eventually(
      async () => {
        const archived = await page('auditor', { subject: incidents[0]?.subject ?? '' });
        return archived.items.length === incidents.length ? true : undefined;
      },
      { description: 'the incident events in the archive' },
    );
    expect((await page('problem_manager', { subject: requestSubject })).items).toEqual([]);
    const seen = await everyPage('problem_manager', 2);
    expect(new Set(seen).size).toBe(seen.length);
    for (const event of incidents) expect(seen).toContain(event.id);
    for (const event of requests) expect(seen).not.toContain(event.id);
    const auditor = await everyPage('auditor', 3);
    for (const event of [...incidents, ...requests]) expect(auditor).toContain(event.id);
  });
});
