import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { CpuAccount, type CpuUsage } from './proc';
import { distribution, round } from './stats';

const run = promisify(execFile);

export interface InsertCeiling {
  clients: number;
  tool: 'pgbench' | 'node-pg';
  seconds: number;
  inserts: number;
  failed: number;
  insertsPerSecond: number | null;
  latencyMs: { average: number | null; p50: number | null; p99: number | null };
  cpu: CpuUsage;
  cpuOtherTop: string[];
}

const TABLE = 'bench_raw_insert';

/** A document shaped like an incident snapshot, as the incident row and its event carry it. */
function incidentLikeDocument(): string {
  const now = new Date().toISOString();
  return JSON.stringify({
    number: 'INC0001001',
    type: 'incident',
    title: 'Mail is down for the second floor',
    description: 'Outlook cannot connect since 9:00; webmail works. Reported by several users.',
    requester: 'agent',
    source: 'portal',
    impact: 2,
    urgency: 2,
    priority: 'P3',
    state: 'new',
    openedAt: now,
    updatedAt: now,
    version: 1,
  });
}

/** The newest pgbench among the PostgreSQL server packages installed, if any. */
export function findPgbench(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => existsSync(join(root, version, 'bin/pgbench')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin/pgbench') : undefined;
}

export async function prepareInsertTable(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await client.query(
      `CREATE TABLE ${TABLE} (id uuid PRIMARY KEY, title text NOT NULL, opened_at timestamptz NOT NULL, doc jsonb NOT NULL)`,
    );
  } finally {
    await client.end();
  }
}

function parseNumber(output: string, pattern: RegExp): number | null {
  const match = output.match(pattern);
  return match?.[1] ? Number(match[1]) : null;
}

/** Single-row autocommit INSERTs with pgbench: `-n -f script -c N -j 2 -T seconds`. */
export async function pgbenchCeiling(
  pgbench: string,
  databaseUrl: string,
  clients: number,
  seconds: number,
  workDirectory: string,
  cpuPids: Record<string, number | undefined>,
): Promise<InsertCeiling> {
  const script = join(workDirectory, 'raw-insert.sql');
  const literal = incidentLikeDocument().replace(/'/g, "''");
  writeFileSync(
    script,
    [
      '\\set n random(1, 2000000000)',
      `INSERT INTO ${TABLE} (id, title, opened_at, doc) VALUES (gen_random_uuid(), 'raw insert ' || :n, now(), '${literal}'::jsonb);`,
      '',
    ].join('\n'),
  );
  const logPrefix = `pgbench-c${clients}`;
  const cpu = new CpuAccount(cpuPids, ['postgres', 'pgbench']);
  cpu.start();
  const { stdout } = await run(
    pgbench,
    [
      '-n',
      '-f',
      script,
      '-c',
      String(clients),
      '-j',
      String(Math.min(2, clients)),
      '-T',
      String(seconds),
      '-l',
      `--log-prefix=${logPrefix}`,
      databaseUrl,
    ],
    { cwd: workDirectory, maxBuffer: 1 << 20 },
  );
  const usage = cpu.stop();
  // Per-transaction log lines: client_id transaction_no time_us script_no epoch epoch_us.
  const latencies: number[] = [];
  for (const file of readdirSync(workDirectory).filter((name) => name.startsWith(logPrefix))) {
    const path = join(workDirectory, file);
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const micros = Number(line.split(' ')[2]);
      if (line && Number.isFinite(micros)) latencies.push(micros / 1000);
    }
    rmSync(path);
  }
  const latency = distribution(latencies);
  return {
    clients,
    tool: 'pgbench',
    seconds,
    inserts: parseNumber(stdout, /number of transactions actually processed: (\d+)/) ?? 0,
    failed: parseNumber(stdout, /number of failed transactions: (\d+)/) ?? 0,
    insertsPerSecond: round(parseNumber(stdout, /tps = ([\d.]+)/), 0),
    latencyMs: {
      average: parseNumber(stdout, /latency average = ([\d.]+) ms/),
      p50: round(latency.p50, 2),
      p99: round(latency.p99, 2),
    },
    cpu: usage,
    cpuOtherTop: cpu.topOther,
  };
}

/** The same measurement without pgbench: `clients` connections inserting in a loop. */
export async function nodePgCeiling(
  databaseUrl: string,
  clients: number,
  seconds: number,
  cpuPids: Record<string, number | undefined>,
): Promise<InsertCeiling> {
  const document = incidentLikeDocument();
  const connections = await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = new Client({ connectionString: databaseUrl });
      await client.connect();
      return client;
    }),
  );
  const latencies: number[] = [];
  let failed = 0;
  const cpu = new CpuAccount({ ...cpuPids, loadgen: process.pid });
  cpu.start();
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    connections.map(async (client, index) => {
      for (let n = 0; performance.now() < deadline; n += 1) {
        const begin = performance.now();
        try {
          await client.query({
            name: 'raw-insert',
            text: `INSERT INTO ${TABLE} (id, title, opened_at, doc) VALUES (gen_random_uuid(), $1, now(), $2::jsonb)`,
            values: [`raw insert ${index}-${n}`, document],
          });
          latencies.push(performance.now() - begin);
        } catch {
          failed += 1;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const usage = cpu.stop();
  await Promise.all(connections.map((client) => client.end()));
  const latency = distribution(latencies);
  const average = latencies.reduce((sum, value) => sum + value, 0) / (latencies.length || 1);
  return {
    clients,
    tool: 'node-pg',
    seconds,
    inserts: latencies.length,
    failed,
    insertsPerSecond: round(latencies.length / elapsed, 0),
    latencyMs: {
      average: round(average, 3),
      p50: round(latency.p50, 2),
      p99: round(latency.p99, 2),
    },
    cpu: usage,
    cpuOtherTop: cpu.topOther,
  };
}
