import { Readable, pipeline } from 'node:stream';
import {
  Injectable,
  Logger,
  SetMetadata,
  StreamableFile,
  UseInterceptors,
  applyDecorators,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';
import { stringify } from 'csv-stringify';
import { type Request } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { ValidationProblem } from '../errors/problem';
import { csvHeaders, csvRow, type CsvColumns } from './csv-format';
import { type Page } from './pagination';
import { type HistoryEntryView, type JournalEntryView } from './record-views';

export const CSV_MEDIA_TYPE = 'text/csv';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
/** Where a list's OpenAPI operation names its CSV columns, in order. */
export const CSV_COLUMNS_EXTENSION = 'x-csv-columns';
/** Rows read per keyset page while an export streams: the most `limit` allows. */
export const CSV_BATCH_SIZE = 500;

const CSV_EXPORT = 'itsm:csv-export';

export interface CsvExportOptions<Item> {
  /** The file name's stem: `incidents` answers `attachment; filename="incidents-<date>.csv"`. */
  name: string;
  columns: CsvColumns<Item>;
  /** Rows per page read; only for a list whose `limit` stops below {@link CSV_BATCH_SIZE}. */
  batchSize?: number;
}

/**
 * Lets a keyset-paged list (a handler answering a {@link Page}) answer `Accept: text/csv`
 * with every row its filters, sort and the caller's record-level rules select, streamed
 * page by page: the handler itself is called once per page, so the export can never
 * differ from the JSON list. `limit` and `cursor` are refused with CSV (400): an export
 * always holds every row, and a partial one must not pass for a complete one.
 */
export function CsvExport<Item>(options: CsvExportOptions<Item>): MethodDecorator {
  return applyDecorators(
    SetMetadata(CSV_EXPORT, options),
    UseInterceptors(CsvExportInterceptor),
    ApiExtension(CSV_COLUMNS_EXTENSION, csvHeaders(options.columns)),
  );
}

/** A record's field history as CSV (`<noun>-history-<date>.csv`): when, who, which field, from, to. */
export function HistoryCsvExport(noun: string): MethodDecorator {
  return CsvExport<HistoryEntryView>({
    name: `${noun}-history`,
    columns: ['at', 'actor', 'field', 'oldValue', 'newValue'],
  });
}

/** A record's journal as CSV (`<noun>-journal-<date>.csv`), the entries the caller may read. */
export function JournalCsvExport(noun: string): MethodDecorator {
  return CsvExport<JournalEntryView>({
    name: `${noun}-journal`,
    columns: ['at', 'author', 'kind', 'text', 'id'],
  });
}

/**
 * Whether the caller prefers CSV to JSON, as the Accept header ranks them (q-values and
 * wildcards included). No Accept, `*∕*`, or only media types neither matches: JSON, as
 * before CSV existed.
 */
export function prefersCsv(request: Pick<Request, 'accepts'>): boolean {
  return request.accepts(['application/json', CSV_MEDIA_TYPE]) === CSV_MEDIA_TYPE;
}

function isPage(value: unknown): value is Page<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as Page<unknown>).items) &&
    'nextCursor' in value
  );
}

/** The rows of every page, the next one read only when the client has taken the last. */
async function* rowsOf<Item>(
  first: Page<Item>,
  pageAfter: (cursor: string) => Promise<Page<Item>>,
  columns: CsvColumns<Item>,
): AsyncGenerator<string[]> {
  let page = first;
  for (;;) {
    for (const item of page.items) yield csvRow(item, columns);
    if (page.nextCursor === null) return;
    page = await pageAfter(page.nextCursor);
  }
}

@Injectable()
export class CsvExportInterceptor implements NestInterceptor {
  private readonly logger = new Logger('CsvExport');

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<CsvExportOptions<unknown> | undefined>(
      CSV_EXPORT,
      context.getHandler(),
    );
    const request = context.switchToHttp().getRequest<Request>();
    if (!options || !prefersCsv(request)) return next.handle();
    return from(this.export(request, next, options));
  }

  private async export(
    request: Request,
    next: CallHandler,
    options: CsvExportOptions<unknown>,
  ): Promise<StreamableFile> {
    const query = { ...(request.query as Record<string, unknown>) };
    const paging = ['limit', 'cursor'].filter((name) => query[name] !== undefined);
    if (paging.length > 0) {
      throw new ValidationProblem(
        paging.map((field) => ({
          field,
          message: 'is not taken with Accept: text/csv (an export holds every row)',
        })),
      );
    }
    const pageAt = async (cursor: string | undefined): Promise<Page<unknown>> => {
      // The handler reads its query through its pipes again on every call (the handle()
      // observable is cold): only the position changes, so filters, sort and access
      // rules are those of the JSON list by construction.
      Object.defineProperty(request, 'query', {
        value: {
          ...query,
          limit: String(options.batchSize ?? CSV_BATCH_SIZE),
          ...(cursor ? { cursor } : {}),
        },
        configurable: true,
        enumerable: true,
        writable: true,
      });
      const page: unknown = await lastValueFrom(next.handle());
      if (!isPage(page)) throw new Error(`${request.path} exports CSV but did not answer a page`);
      return page;
    };
    // The first page is read before anything is written: a bad filter is still a
    // problem+json 400, never a CSV file with an error in it.
    const first = await pageAt(undefined);
    const csv = stringify({
      header: true,
      columns: csvHeaders(options.columns),
      record_delimiter: 'windows',
      // A line break inside a cell is quoted whichever kind it is, not only the
      // record delimiter's CRLF: a bare LF would otherwise end the row for most readers.
      quoted_match: /[\r\n]/,
    });
    pipeline(Readable.from(rowsOf(first, pageAt, options.columns)), csv, (error) => {
      // A client that went away is no failure; a page that failed mid-stream is, and
      // Nest then aborts the response so that the truncated file cannot pass for whole.
      if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE')
        this.logger.error(`CSV export of ${request.path} failed: ${error.message}`);
    });
    const date = new Date().toISOString().slice(0, 10);
    return new StreamableFile(csv, {
      type: CSV_CONTENT_TYPE,
      disposition: `attachment; filename="${options.name}-${date}.csv"`,
    }).setErrorHandler((_error, response) => {
      // Never end the response cleanly after a failure: an aborted transfer is what tells
      // the client the file is incomplete (the failure itself is logged above).
      if (!response.destroyed) response.destroy?.();
    });
  }
}
