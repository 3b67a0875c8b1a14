import { CSV_COLUMNS_EXTENSION, CSV_MEDIA_TYPE } from '../http/csv-export';
import { operationsOf, type OpenApiDocument } from './openapi-document';

type Json = Record<string, unknown>;

/**
 * Documents the CSV answer of each list that exports one (`@CsvExport`): `text/csv` beside
 * the JSON page in its 200 response, with the columns in order and the file name header.
 */
export function documentCsvExports(document: OpenApiDocument): void {
  for (const { operation } of operationsOf(document)) {
    const columns = operation[CSV_COLUMNS_EXTENSION];
    const ok = operation.responses?.['200'] as Json | undefined;
    if (!Array.isArray(columns) || !ok) continue;
    ok.content = {
      ...(ok.content as Json | undefined),
      [CSV_MEDIA_TYPE]: {
        schema: {
          type: 'string',
          description: `Every row the filters select (no \`limit\` or \`cursor\`), UTF-8, a header row, then one row per item with the columns ${columns.join(', ')}. Arrays are joined with \`;\`, instants are ISO 8601 UTC, text a spreadsheet would run as a formula starts with \`'\` (docs/api-conventions.md).`,
        },
      },
    };
    ok.headers = {
      ...(ok.headers as Json | undefined),
      'Content-Disposition': {
        description: 'With `text/csv`: `attachment; filename="<list>-<date>.csv"`.',
        schema: { type: 'string' },
      },
    };
    operation.description =
      `${operation.description ?? ''}\n\nAnswers \`text/csv\` (every page, streamed) to \`Accept: text/csv\`.`.trim();
  }
}
