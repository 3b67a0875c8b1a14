import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  RecordsApi,
  RunningPlatform,
  parseCsv,
  queryTestDatabase,
  type ServiceProcess,
} from '@itsm/testing';
import { RECORD_CSV_COLUMNS } from '../src/records/http/records-controller.base';

interface RecordBody {
  id: string;
  number: string;
}

const CSV_FIRST = 'text/csv, application/json;q=0.5';
const HEAP_LIMIT_MB = 256;

/** The list as CSV through the gateway, as a caller with Accept: text/csv would fetch it. */
function exported(api: RecordsApi, query: Record<string, string>, accept = CSV_FIRST) {
  return request(api.gatewayUrl)
    .get('/api/v1/incidents')
    .query(query)
    .set({ authorization: api.authorization, accept })
    .buffer(true)
    .parse((response, done) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(null, text));
    });
}

/** One gauge of a process's Prometheus metrics. */
async function gauge(service: ServiceProcess, name: string): Promise<number> {
  const text = await (await fetch(`${service.metricsUrl}/metrics`)).text();
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!match) throw new Error(`${service.name} has no ${name}`);
  return Number(match[1]);
}

/**
 * `Accept: text/csv` on the incident list, through the gateway, where the deployment
 * restricts agents to their groups (the seeded `agent` is in `service-desk` only).
 */
describe('CSV export of a record list', () => {
  let platform: RunningPlatform;
  let agent: RecordsApi;
  let manager: RecordsApi;
  const run = `csv-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident'], {
      AGENT_RECORD_SCOPE: 'groups',
      // Less heap than the 300 MB export below: a service or gateway that gathered the
      // result before (or while) sending it would die of it mid-transfer.
      NODE_OPTIONS: `--max-old-space-size=${HEAP_LIMIT_MB}`,
    });
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    manager = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    await manager.untilGroupsKnown(['service-desk', 'network']);
  });

  afterAll(async () => {
    await queryTestDatabase(`DELETE FROM incident.records WHERE tags @> ARRAY[$1]::text[]`, [
      `${run}-bulk`,
    ]).catch(() => undefined);
    // Vacuumed here, or autovacuum would (as a superuser process the next run's DROP
    // DATABASE ... WITH (FORCE) may not terminate).
    await queryTestDatabase('VACUUM ANALYZE incident.records').catch(() => undefined);
    await platform?.stop();
  });

  describe('with filters, sort and the record-level rule', () => {
    const opened: Record<string, RecordBody> = {};

    beforeAll(async () => {
      const open = async (name: string, fields: Record<string, unknown>) => {
        const created = await manager
          .create('incidents', {
            description: 'Seen on the third floor',
            impact: 3,
            urgency: 3,
            assignmentGroup: 'service-desk',
            tags: [run],
            ...fields,
          })
          .expect(201);
        opened[name] = created.body as RecordBody;
      };
      // One after the other, so that their opening instants order them.
      await open('formula', { title: '=HYPERLINK("http://evil.example","open me")' });
      await open('quoted', {
        title: 'Printer "jammed", again',
        description: 'First line\nSecond line',
        tags: [run, 'printer'],
      });
      await open('network', { title: '@SUM(A1:A9)', assignmentGroup: 'network' });
      await open('cancelled', { title: 'Raised twice' });
      await open('dash', { title: '-2+3 monitors flicker' });
      await manager
        .transition('incidents', opened.cancelled.id, { to: 'cancelled', reason: 'Raised twice' })
        .expect(200);
    });

    const query = () => ({ tag: run, state: 'new', sort: '-openedAt' });

    it('answers every row the filters select, in the sort, as a CSV file with a header row', async () => {
      const response = await exported(manager, query()).expect(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(
        /^attachment; filename="incidents-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      const text = response.body as string;
      const [header, ...rows] = parseCsv(text);
      expect(header).toEqual([...RECORD_CSV_COLUMNS]);
      const cell = (row: string[], column: (typeof RECORD_CSV_COLUMNS)[number]) =>
        row[RECORD_CSV_COLUMNS.indexOf(column)];
      expect(rows.map((row) => cell(row, 'id'))).toEqual(
        ['dash', 'network', 'quoted', 'formula'].map((name) => opened[name].id),
      );
      // The same records as the JSON list of the same query, in the same order.
      const json = await manager.list('incidents', query()).expect(200);
      expect(rows.map((row) => cell(row, 'id'))).toEqual(
        (json.body as { items: RecordBody[] }).items.map((item) => item.id),
      );

      const byId = new Map(rows.map((row) => [cell(row, 'id'), row]));
      const row = (name: string) => byId.get(opened[name].id)!;
      // Formula-injection guard: text a spreadsheet would run starts with a quote.
      expect(cell(row('formula'), 'title')).toBe(`'=HYPERLINK("http://evil.example","open me")`);
      expect(cell(row('network'), 'title')).toBe(`'@SUM(A1:A9)`);
      expect(cell(row('dash'), 'title')).toBe(`'-2+3 monitors flicker`);
      // RFC 4180 quoting, as written on the wire: quotes doubled, commas and breaks quoted.
      expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""open me"")"`);
      expect(text).toContain(`"Printer ""jammed"", again","First line\nSecond line"`);
      expect(text.split('\r\n')[0]).toBe(RECORD_CSV_COLUMNS.join(','));
      // Arrays joined with ';', instants ISO 8601 UTC, numbers and booleans as they are.
      expect(cell(row('quoted'), 'tags')).toBe(`${run};printer`);
      expect(cell(row('quoted'), 'ciIds')).toBe('');
      expect(cell(row('quoted'), 'openedAt')).toMatch(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
      );
      expect(cell(row('quoted'), 'number')).toBe(opened.quoted.number);
      expect(cell(row('quoted'), 'impact')).toBe('3');
      expect(cell(row('quoted'), 'major')).toBe('false');
      expect(cell(row('quoted'), 'resolvedAt')).toBe('');
    });

    it('exports a record’s field history and journal too', async () => {
      const id = opened.cancelled.id;
      const csvOf = async (path: string) => {
        const response = await request(manager.gatewayUrl)
          .get(`/api/v1/incidents/${id}/${path}`)
          .set({ authorization: manager.authorization, accept: 'text/csv' })
          .expect(200)
          .expect('content-type', 'text/csv; charset=utf-8');
        return parseCsv(response.text);
      };
      const [historyHeader, ...changes] = await csvOf('history');
      expect(historyHeader).toEqual(['at', 'actor', 'field', 'oldValue', 'newValue']);
      expect(changes).toContainEqual([
        expect.stringMatching(/Z$/),
        'incident_manager',
        'state',
        'new',
        'cancelled',
      ]);
      const [journalHeader] = await csvOf('journal');
      expect(journalHeader).toEqual(['at', 'author', 'kind', 'text', 'id']);
    });

    it('shows an agent restricted to its groups only the rows it may see', async () => {
      const response = await exported(agent, query()).expect(200);
      const [, ...rows] = parseCsv(response.body as string);
      const ids = rows.map((row) => row[RECORD_CSV_COLUMNS.indexOf('id')]);
      expect(ids).toEqual(['dash', 'quoted', 'formula'].map((name) => opened[name].id));
      expect(ids).not.toContain(opened.network.id);
    });

    it('answers a bad filter, or a page asked of an export, as problem+json before any CSV', async () => {
      const bad = await exported(manager, { ...query(), state: 'no_such_state' }).expect(400);
      expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(bad.body as string)).toMatchObject({
        errors: [expect.objectContaining({ field: 'state' })],
      });
      const paged = await exported(manager, { ...query(), limit: '2' }).expect(400);
      expect(JSON.parse(paged.body as string)).toMatchObject({
        errors: [expect.objectContaining({ field: 'limit' })],
      });
    });

    it('keeps answering JSON to a client that prefers it or asks for what it cannot have', async () => {
      for (const accept of ['application/json, text/csv;q=0.5', 'application/xml', '*/*']) {
        const response = await exported(manager, query(), accept).expect(200);
        expect([accept, response.headers['content-type']]).toEqual([
          accept,
          expect.stringMatching(/^application\/json/),
        ]);
      }
    });
  });

  it('streams 100,000 records, every page, without holding them in the service or the gateway', async () => {
    const tag = `${run}-bulk`;
    const total = 100_000;
    // Fat rows (3 kB each, 300 MB in all): more than the processes' heap limit.
    await queryTestDatabase(
      `INSERT INTO incident.records (id, number, type, title, description, requester, source,
         impact, urgency, priority, state, assignment_group, opened_at, updated_at, version, tags)
       SELECT gen_random_uuid(), $2 || lpad(g::text, 6, '0'), 'incident', 'Bulk record ' || g,
         repeat('x', 3000), 'requester', 'portal', 3, 3, 'P4', 'new', 'service-desk',
         now() - g * interval '1 second', now(), 1, ARRAY[$1]
       FROM generate_series(1, $3::int) AS g`,
      [tag, `BULK-${run}-`, total],
    );
    const incident = platform.service('incident');
    const gateway = platform.service('gateway');
    const heapBefore = {
      incident: await gauge(incident, 'nodejs_heap_size_used_bytes'),
      gateway: await gauge(gateway, 'nodejs_heap_size_used_bytes'),
    };

    const response = await fetch(`${platform.gatewayUrl}/api/v1/incidents?tag=${tag}&sort=number`, {
      headers: { authorization: manager.authorization, accept: 'text/csv' },
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const decoder = new TextDecoder();
    let bytes = 0;
    let lines = 0;
    let head = '';
    let tail = '';
    let paused = false;
    let heapWhilePaused = { incident: 0, gateway: 0 };
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        const text = decoder.decode(value, { stream: true });
        // Rows end in CRLF and these cells hold no line feed: one per row, counted per LF, as a
        // chunk may end between a row's CR and its LF.
        lines += text.split('\n').length - 1;
        if (head.length < 1000) head += text.slice(0, 1000);
        tail = (tail + text).slice(-10_000);
        if (!paused && bytes > 1_000_000) {
          // A client that stops reading: a streaming service and gateway wait with a few
          // pages at most; had either gathered the result first, it would sit in its heap.
          paused = true;
          await new Promise((resolve) => setTimeout(resolve, 2000));
          heapWhilePaused = {
            incident: await gauge(incident, 'nodejs_heap_size_used_bytes'),
            gateway: await gauge(gateway, 'nodejs_heap_size_used_bytes'),
          };
        }
      }
    } finally {
      reader.releaseLock();
    }

    expect(lines).toBe(total + 1);
    expect(bytes).toBeGreaterThan(300_000_000);
    const [header, first] = head.split('\r\n');
    expect(header).toBe(RECORD_CSV_COLUMNS.join(','));
    expect(first).toContain(`BULK-${run}-000001`);
    const rows = tail.split('\r\n').filter((line) => line !== '');
    expect(rows.at(-1)).toContain(`BULK-${run}-100000`);
    // Bounded memory: tens of megabytes at most, against the 300 MB streamed.
    expect(heapWhilePaused.incident - heapBefore.incident).toBeLessThan(64_000_000);
    expect(heapWhilePaused.gateway - heapBefore.gateway).toBeLessThan(64_000_000);
    // And the whole export ran in a heap smaller than the payload (HEAP_LIMIT_MB).
    await request(incident.url).get('/health/ready').expect(200);
  }, 300_000);
});
