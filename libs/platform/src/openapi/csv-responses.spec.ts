import { CSV_COLUMNS_EXTENSION } from '../http/csv-export';
import { documentCsvExports } from './csv-responses';
import { type OpenApiDocument } from './openapi-document';

describe('the CSV answer of a list, in the document', () => {
  const json = { 'application/json': { schema: { $ref: '#/components/schemas/Page' } } };
  const document = (): OpenApiDocument => ({
    openapi: '3.1.0',
    info: { title: 't', version: 'v1' },
    paths: {
      '/api/v1/incidents': {
        get: {
          operationId: 'IncidentsController_list',
          description: 'Keyset-paged.',
          [CSV_COLUMNS_EXTENSION]: ['number', 'title'],
          responses: { '200': { description: 'ok', content: { ...json } } },
        },
        post: {
          operationId: 'IncidentsController_create',
          responses: { '201': { description: 'ok', content: { ...json } } },
        },
      },
    },
  });

  it('is text/csv beside the JSON page, naming its columns and file, on exporting lists only', () => {
    const documented = document();
    documentCsvExports(documented);
    const list = documented.paths!['/api/v1/incidents'].get as {
      description: string;
      responses: Record<string, { content: Record<string, { schema: object }>; headers: object }>;
    };
    expect(Object.keys(list.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    expect(list.responses['200'].content['text/csv'].schema).toMatchObject({
      type: 'string',
      description: expect.stringContaining('number, title'),
    });
    expect(list.responses['200'].headers).toHaveProperty('Content-Disposition');
    expect(list.description).toMatch(/^Keyset-paged\.\n\nAnswers `text\/csv`/);
    const create = documented.paths!['/api/v1/incidents'].post as {
      responses: Record<string, { content: object }>;
    };
    expect(Object.keys(create.responses['201'].content)).toEqual(['application/json']);
  });
});
