import { Client } from 'pg';

/**
 * `node reset-database.js [--keep] <server url> <database>`: drops the database (closing
 * its connections) and creates it again, or with `--keep` leaves it as it is, then prints
 * its URL for the migrate steps.
 */
async function resetDatabase(serverUrl: string, database: string, keep: boolean): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new Error(`unsafe database name ${database}`);
  if (!keep) {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${database}`);
    } finally {
      await client.end();
    }
  }
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const keep = process.argv[2] === '--keep';
const [serverUrl, database] = process.argv.slice(keep ? 3 : 2);
if (!serverUrl || !database) {
  console.error('usage: reset-database.js [--keep] <postgres url> <database>');
  process.exit(2);
}
resetDatabase(serverUrl, database, keep).then(
  (url) => console.log(url),
  (error: unknown) => {
    console.error(
      `resetting ${database} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);
