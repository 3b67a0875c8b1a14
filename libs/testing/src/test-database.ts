import { Client } from 'pg';
import { dropTestDatabase, recreateTestDatabase } from './test-database-guard';
import { testEnvironment } from './test-environment';

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

/**
 * A new, empty database beside the test database (dropped first when a previous run left
 * it), for a suite whose writes must not reach the shared one; its URL.
 */
export async function freshDatabaseBeside(name: string): Promise<string> {
  const client = new Client({ connectionString: testEnvironment().databaseUrl });
  await client.connect();
  try {
    await recreateTestDatabase(client, name);
  } finally {
    await client.end();
  }
  const url = new URL(testEnvironment().databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(name: string): Promise<void> {
  const client = new Client({ connectionString: testEnvironment().databaseUrl });
  await client.connect();
  try {
    await dropTestDatabase(client, name);
  } finally {
    await client.end();
  }
}
