import { type Client } from 'pg';

/**
 * What `npm test` may destroy. Every run drops and recreates its test database (or, where
 * the role may not create databases, the service schemas in it), so it must never be
 * pointed at a database holding anything else: a production `DATABASE_URL` left in a
 * shell must make the run stop, not wipe it.
 */

/** The comment the harness leaves on every database it creates, and looks for before dropping one. */
export const TEST_DATABASE_MARK = 'itsm test database: dropped and recreated by every npm test run';

const TEST_DATABASE_NAME = /^itsm_test(_[a-z0-9_]{1,40})?$/;

export class UnsafeTestDatabase extends Error {
  constructor(reason: string) {
    super(`npm test refuses to run: ${reason}`);
    this.name = 'UnsafeTestDatabase';
  }
}

/** The name the run's database will have: `itsm_test`, or `itsm_test_<suffix>` to run beside another checkout. */
export function checkTestDatabaseName(name: string): string {
  if (!TEST_DATABASE_NAME.test(name)) {
    throw new UnsafeTestDatabase(
      `ITSM_TEST_DATABASE_NAME is "${name}"; it must be itsm_test or itsm_test_<lowercase letters, digits, _>, so that a run can only ever drop a database of its own`,
    );
  }
  return name;
}

/**
 * Before dropping an existing database of the test name: it must carry the harness's mark,
 * i.e. an earlier run (or the local server `npm test` set up) made it.
 */
export function checkDroppable(name: string, comment: string | null): void {
  if (comment !== TEST_DATABASE_MARK) {
    throw new UnsafeTestDatabase(
      `a database named ${name} exists on this server and was not created by the test harness (its comment is ${comment === null ? 'empty' : `"${comment}"`}); drop it yourself if it is disposable, or set ITSM_TEST_DATABASE_NAME to another itsm_test_<suffix>`,
    );
  }
}

/**
 * Where the role may not create databases the run falls back to dropping the service
 * schemas of `DATABASE_URL`'s own database: allowed only when that database is the
 * project's test database by name.
 */
export function checkSchemaFallback(databaseUrl: string, testDatabase: string): void {
  const database = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (database !== testDatabase) {
    throw new UnsafeTestDatabase(
      `the DATABASE_URL role may not create databases, so the run would drop the service schemas of "${database}" itself, which is not the test database "${testDatabase}"; give the role CREATEDB, or point DATABASE_URL at a database named ${testDatabase} that holds nothing else`,
    );
  }
}

/** The harness's mark on `name`, or `undefined` when no such database exists. */
async function markOf(client: Client, name: string): Promise<string | null | undefined> {
  const { rows } = await client.query<{ mark: string | null }>(
    `SELECT shobj_description(oid, 'pg_database') AS mark FROM pg_database WHERE datname = $1`,
    [name],
  );
  return rows[0]?.mark;
}

/** Drops (when the harness made it) and creates the test database `name`, marked as the harness's. */
export async function recreateTestDatabase(client: Client, name: string): Promise<void> {
  checkTestDatabaseName(name);
  const mark = await markOf(client, name);
  if (mark !== undefined) checkDroppable(name, mark);
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.query(`COMMENT ON DATABASE ${name} IS '${TEST_DATABASE_MARK}'`);
}

/** Drops the test database `name`, only when the harness made it. */
export async function dropTestDatabase(client: Client, name: string): Promise<void> {
  checkTestDatabaseName(name);
  const mark = await markOf(client, name);
  if (mark === undefined) return;
  checkDroppable(name, mark);
  await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
}
