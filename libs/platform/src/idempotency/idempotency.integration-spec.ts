import { randomUUID } from 'node:crypto';
import { type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Body,
  Controller,
  HttpCode,
  Post,
  UnprocessableEntityException,
  type INestApplication,
} from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { InjectDataSource } from '@nestjs/typeorm';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dropScratchSchema, scratchSchema } from '@itsm/testing';
import { ProblemDetailsFilter } from '../errors/problem-details.filter';
import { IdempotencyRecord } from './idempotency-record.entity';
import { createIdempotencyTable } from './idempotency-table.migration';
import { Idempotent, IdempotencyInterceptor } from './idempotency.interceptor';

interface NewThing {
  name: string;
  /** How long the use case takes after its transaction, in milliseconds. */
  slowMs?: number;
  /** The use case fails after its own transaction committed. */
  failAfterCommit?: boolean;
  /** Returned in the answer only, not stored with the thing. */
  remark?: string;
}

const schema = `idempotency_${randomUUID().slice(0, 8)}`;
const thingsTable = `"${schema}".things`;

/** A create as the services write them: the use case commits its own transaction. */
@Controller('things')
class ThingsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Post()
  @HttpCode(201)
  @Idempotent()
  async create(@Body() thing: NewThing): Promise<{ id: string; name: string; remark?: string }> {
    const id = randomUUID();
    await this.dataSource.transaction((manager) =>
      manager.query(`INSERT INTO ${thingsTable} (id, name) VALUES ($1, $2)`, [id, thing.name]),
    );
    if (thing.slowMs) await sleep(thing.slowMs);
    if (thing.failAfterCommit) throw new UnprocessableEntityException('refused late');
    return { id, name: thing.name, remark: thing.remark };
  }
}

describe('Idempotency-Key, stored in the transaction of the create it guards', () => {
  let dataSource: DataSource;
  let app: INestApplication;

  beforeAll(async () => {
    dataSource = await scratchSchema(schema, [IdempotencyRecord], createIdempotencyTable);
    await dataSource.query(`CREATE TABLE ${thingsTable} (id uuid PRIMARY KEY, name text)`);
    const moduleRef = await Test.createTestingModule({
      controllers: [ThingsController],
      providers: [
        { provide: DataSource, useValue: dataSource },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await dropScratchSchema(dataSource);
  });

  const create = (key: string, thing: NewThing) =>
    request(app.getHttpServer() as Server)
      .post('/things')
      .set('idempotency-key', key)
      .set('content-type', 'application/json')
      .send(thing);

  const thingsNamed = async (name: string): Promise<number> => {
    const [row] = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM ${thingsTable} WHERE name = $1`,
      [name],
    );
    return row?.n ?? 0;
  };
  const storedKeys = async (key: string): Promise<number> => {
    const [row] = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${schema}".idempotency_keys WHERE idempotency_key = $1`,
      [key],
    );
    return row?.n ?? 0;
  };

  it('replays the first answer to a retry, and creates once', async () => {
    const key = randomUUID();
    const first = await create(key, { name: 'replayed' }).expect(201);
    const retry = await create(key, { name: 'replayed' }).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    expect(await thingsNamed('replayed')).toBe(1);
  });

  it('rolls back the committed create with the request when the request fails after it, so the retry creates it once', async () => {
    const key = randomUUID();
    await create(key, { name: 'failed late', failAfterCommit: true }).expect(422);
    expect(await thingsNamed('failed late')).toBe(0);
    expect(await storedKeys(key)).toBe(0);

    await create(key, { name: 'failed late' }).expect(201);
    await create(key, { name: 'failed late' }).expect(201);
    expect(await thingsNamed('failed late')).toBe(1);
  });

  it('keeps no record of the create when its answer cannot be stored', async () => {
    // jsonb refuses a NUL character: storing this answer fails after the use case committed.
    const key = randomUUID();
    const name = 'unstorable answer';
    const failed = await create(key, { name, remark: 'NUL \u0000' });
    expect(failed.status).toBe(500);
    expect(await thingsNamed(name)).toBe(0);
    expect(await storedKeys(key)).toBe(0);
  });

  it('answers a retry sent while the first request runs with 409 and Retry-After, and creates once', async () => {
    const key = randomUUID();
    const first = create(key, { name: 'concurrent', slowMs: 1500 }).then((response) => response);
    await sleep(300);
    const meanwhile = await create(key, { name: 'concurrent', slowMs: 1500 });
    expect(meanwhile.status).toBe(409);
    expect(meanwhile.headers['retry-after']).toBe('1');
    expect((await first).status).toBe(201);
    const after = await create(key, { name: 'concurrent', slowMs: 1500 }).expect(201);
    expect(after.headers['idempotency-replayed']).toBe('true');
    expect(await thingsNamed('concurrent')).toBe(1);
  });

  it('refuses the same key for a different request with 422, creating nothing', async () => {
    const key = randomUUID();
    await create(key, { name: 'original' }).expect(201);
    await create(key, { name: 'different' }).expect(422);
    expect(await thingsNamed('different')).toBe(0);
  });
});
