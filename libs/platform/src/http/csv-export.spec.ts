import { Controller, Get, Query, type INestApplication } from '@nestjs/common';
import { type Server } from 'node:http';
import { Test } from '@nestjs/testing';
import { Type } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import request from 'supertest';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { createValidationPipe } from '../errors/validation';
import { CSV_BATCH_SIZE, CsvExport } from './csv-export';
import { PageQuery, decodeCursor, encodeCursor, type Page } from './pagination';

interface Item {
  n: number;
  title: string;
  tags: string[];
}

const ITEMS: Item[] = Array.from({ length: 1234 }, (_, index) => ({
  n: index + 1,
  title: index === 0 ? '=cmd|"/c calc"' : `Item, ${index + 1}`,
  tags: (index + 1) % 2 ? ['odd', 'x'] : [],
}));

class ItemQuery extends PageQuery {
  @IsOptional()
  @IsIn(['odd', 'even'])
  parity?: string;

  @IsOptional()
  @Type(() => String)
  @IsIn(['n', '-n'])
  sort?: string;
}

const calls: { limit: number; cursor?: string }[] = [];

@Controller('items')
class ItemsController {
  @Get()
  @CsvExport<Item>({ name: 'items', columns: ['n', 'title', 'tags'] })
  list(@Query() query: ItemQuery): Page<Item> {
    calls.push({ limit: query.limit, cursor: query.cursor });
    const wanted = ITEMS.filter((item) =>
      query.parity ? (item.n % 2 === 1) === (query.parity === 'odd') : true,
    );
    const sorted = query.sort === '-n' ? [...wanted].reverse() : wanted;
    const start = query.cursor ? Number(decodeCursor(query.cursor, { at: 'integer' }).at) : 0;
    const items = sorted.slice(start, start + query.limit);
    const end = start + items.length;
    return { items, nextCursor: end < sorted.length ? encodeCursor({ at: String(end) }) : null };
  }
}

describe('CSV export of a keyset-paged list', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [ItemsController] }).compile();
    app = module.createNestApplication({ logger: false });
    app.useGlobalFilters(new ProblemDetailsFilter());
    app.useGlobalPipes(createValidationPipe());
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
  });

  beforeEach(() => {
    calls.length = 0;
  });

  const csv = (query: Record<string, string>, accept = 'text/csv') =>
    request(app.getHttpServer() as Server)
      .get('/items')
      .query(query)
      .set('accept', accept);

  it('answers every page, with the list’s filters and sort, as one CSV file', async () => {
    const response = await csv({ parity: 'odd', sort: '-n' }).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="items-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = response.text.split('\r\n');
    expect(lines[0]).toBe('n,title,tags');
    expect(lines[1]).toBe('1233,"Item, 1233",odd;x');
    expect(lines.at(-2)).toBe(`1,"'=cmd|""/c calc""",odd;x`);
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(617 + 2);
    expect(calls.map((call) => call.limit)).toEqual([CSV_BATCH_SIZE, CSV_BATCH_SIZE]);
  });

  it('negotiates with q-values, and answers JSON otherwise, as before', async () => {
    await csv({}, 'application/json;q=0.5, text/csv')
      .expect(200)
      .expect('content-type', /^text\/csv/);
    const json = await csv({}, 'text/csv;q=0.1, application/json').expect(200);
    expect(json.body).toMatchObject({ items: expect.any(Array) });
    expect((json.body as Page<Item>).items).toHaveLength(50);
    for (const accept of ['application/xml', '*/*', ''])
      await csv({}, accept)
        .expect(200)
        .expect('content-type', /^application\/json/);
  });

  it('answers a bad filter, limit or cursor as problem+json before any CSV', async () => {
    const bad = await csv({ parity: 'prime' }).expect(400);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.body).toMatchObject({ errors: [expect.objectContaining({ field: 'parity' })] });
    const paged = await csv({ limit: '10', cursor: 'abc' }).expect(400);
    expect(paged.body).toMatchObject({
      errors: [
        expect.objectContaining({ field: 'limit' }),
        expect.objectContaining({ field: 'cursor' }),
      ],
    });
  });
});
