import request from 'supertest';
import { Client } from 'pg';
import { CALLER_HEADER } from '@itsm/auth';
import { internalIdentityFor, testEnvironment } from '@itsm/testing';

type Method = 'get' | 'post' | 'patch' | 'delete';

/** Calls the cmdb service directly, as the gateway would for a seeded user. */
export function cmdbCaller(baseUrl: string, username = 'configuration_manager') {
  return async (
    method: Method,
    path: string,
    body?: object,
    headers: Record<string, string> = {},
  ) => {
    const call = request(baseUrl)
      [method](path)
      .set(CALLER_HEADER, await internalIdentityFor(username));
    for (const [name, value] of Object.entries(headers)) void call.set(name, value);
    return body === undefined ? call : call.send(body);
  };
}

export type CmdbCall = ReturnType<typeof cmdbCaller>;

/** Reads the test database directly, to prove what was (or was not) stored. */
export async function queryTestDatabase<T>(sql: string, parameters: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: testEnvironment().databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, parameters)).rows as T[];
  } finally {
    await client.end();
  }
}

export async function countRows(table: string): Promise<number> {
  const [row] = await queryTestDatabase<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return row?.n ?? 0;
}

/** A name no other test (or earlier run) uses, so that name-based identification stays within a test. */
export function unique(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
