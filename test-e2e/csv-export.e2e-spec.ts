import request from 'supertest';
import { ALL_SERVICES, RunningPlatform, parseCsv, tokenFor } from '@itsm/testing';

interface Operation {
  parameters?: { in: string; required?: boolean }[];
  'x-csv-columns'?: string[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
}

/**
 * Every list the public API documents as exporting CSV answers it through the gateway:
 * the header row its document names, then rows; a list that needs a record's id in its
 * path (a problem's incidents) is covered where that record exists.
 */
describe('CSV export of every list', () => {
  let platform: RunningPlatform;
  let document: OpenApiDocument;
  let admin: string;

  beforeAll(async () => {
    platform = await RunningPlatform.start(ALL_SERVICES);
    document = (await request(platform.gatewayUrl).get('/api/v1/openapi.json').expect(200))
      .body as OpenApiDocument;
    admin = await tokenFor(platform.gatewayUrl, 'admin');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const exporting = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      item.get?.['x-csv-columns'] ? [{ path, operation: item.get }] : [],
    );

  it('documents text/csv on the lists, from every service that serves one', () => {
    const paths = exporting().map(({ path }) => path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/incidents',
        '/api/v1/requests',
        '/api/v1/problems',
        '/api/v1/known-errors',
        '/api/v1/changes',
        '/api/v1/cis',
        '/api/v1/sla-timers',
        '/api/v1/slas',
        '/api/v1/reports/event-archive',
        '/api/v1/directory/users',
      ]),
    );
    for (const { path, operation } of exporting()) {
      expect([path, Object.keys(operation.responses['200']?.content ?? {})]).toEqual([
        path,
        expect.arrayContaining(['text/csv']),
      ]);
    }
    expect(Object.keys(document.paths['/api/v1/incidents'].get.responses['200'].content!)).toEqual([
      'application/json',
      'text/csv',
    ]);
  });

  it('answers each a CSV file with the documented header row', async () => {
    const lists = exporting().filter(
      ({ path, operation }) =>
        !path.includes('{') &&
        !(operation.parameters ?? []).some((parameter) => parameter.required),
    );
    expect(lists.length).toBeGreaterThanOrEqual(15);
    for (const { path, operation } of lists) {
      const response = await request(platform.gatewayUrl)
        .get(path)
        .set({ authorization: `Bearer ${admin}`, accept: 'text/csv' })
        .buffer(true)
        .parse((stream, done) => {
          let text = '';
          stream.setEncoding('utf8');
          stream.on('data', (chunk: string) => (text += chunk));
          stream.on('end', () => done(null, text));
        });
      expect([path, response.status, response.headers['content-type']]).toEqual([
        path,
        200,
        'text/csv; charset=utf-8',
      ]);
      const [header, ...rows] = parseCsv(response.body as string);
      expect([path, header]).toEqual([path, operation['x-csv-columns']]);
      for (const row of rows) expect([path, row.length]).toEqual([path, header.length]);
    }
  });
});
