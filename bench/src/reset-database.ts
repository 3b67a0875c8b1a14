import { Client } from 'pg';

/**
 * `node reset-database.js <server url> <database>`: drops the database (closing its
 * connections) and creates it again, then prints its URL for the migrate steps.
 */
async function resetDatabase(serverUrl: string, database: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`unsafe database name ${database}`);
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${database}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const [serverUrl, database] = process.argv.slice(2);
if (!serverUrl || !database) {
  console.error('usage: reset-database.js <postgres url> <database>');
  process.exit(2);
}
resetDatabase(serverUrl, database).then(
  (url) => console.log(url),
  (error: unknown) => {
    console.error(
      `resetting ${database} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
