import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port';
import { migrateServices } from './service-migrations';
import { REPO_ROOT } from './test-environment';

const run = promisify(execFile);

/** Ports other checkouts and engineers on a shared machine use by convention: never handed out here. */
const RESERVED_PORTS = new Set([19092, 19093, 54329, 19192, 19193, 54339, 19292, 19293, 54349]);

async function unreservedFreePort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (!RESERVED_PORTS.has(port)) return port;
  }
}

/**
 * A Kafka broker and a PostgreSQL server of one suite's own, in a temporary state directory
 * on free ports, started with the same scripts as `npm start` (deploy/local). A fault suite
 * stops and restarts them at will without disturbing the run's shared infrastructure, and
 * removes them, data and all, when it ends (also when it fails).
 */
export class PrivateInfrastructure {
  private destroyed = false;

  private constructor(
    readonly stateDir: string,
    readonly kafkaPort: number,
    readonly kafkaControllerPort: number,
    readonly postgresPort: number,
  ) {}

  get kafkaBrokers(): string {
    return `127.0.0.1:${this.kafkaPort}`;
  }

  /** The `itsm` database of the private server (postgres.sh creates it with its role). */
  get databaseUrl(): string {
    return `postgres://itsm:itsm@127.0.0.1:${this.postgresPort}/itsm`;
  }

  /**
   * Brings both up (Kafka's jars come from Maven's local cache, a few seconds) and runs every
   * service's migrate step against them. On failure nothing is left running.
   */
  static async start(consumerGroupPrefix: string): Promise<PrivateInfrastructure> {
    const infrastructure = new PrivateInfrastructure(
      mkdtempSync(join(tmpdir(), 'itsm-private-infra-')),
      await unreservedFreePort(),
      await unreservedFreePort(),
      await unreservedFreePort(),
    );
    try {
      await infrastructure.script('infra.sh', 'up');
      await migrateServices({
        databaseUrl: infrastructure.databaseUrl,
        kafkaBrokers: infrastructure.kafkaBrokers,
        consumerGroupPrefix,
      });
    } catch (error) {
      await infrastructure.destroy();
      throw error;
    }
    return infrastructure;
  }

  /** A clean broker stop (SIGTERM, SIGKILL after kafka.sh's deadline). */
  stopKafka(): Promise<void> {
    return this.script('kafka.sh', 'stop');
  }

  /** Starts the broker again on its data and waits until it answers an admin request. */
  startKafka(): Promise<void> {
    return this.script('kafka.sh', 'start');
  }

  /** `pg_ctl stop -m fast`: every open connection is cut. */
  stopPostgres(): Promise<void> {
    return this.script('postgres.sh', 'stop');
  }

  startPostgres(): Promise<void> {
    return this.script('postgres.sh', 'start');
  }

  /**
   * Freezes every PostgreSQL process (SIGSTOP): the server neither answers nor closes a
   * connection, as when its host hangs or the network drops packets, the case where only
   * client-side timeouts keep requests from hanging.
   */
  async pausePostgres(): Promise<void> {
    await this.signalPostgres('STOP');
  }

  async resumePostgres(): Promise<void> {
    await this.signalPostgres('CONT');
  }

  /** Stops both and removes the state directory (and the cluster postgres.sh may have put under /var/tmp). */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    this.destroyed = true;
    let clusterOutside: string | undefined;
    try {
      const target = readlinkSync(join(this.stateDir, 'pg', 'cluster'));
      if (target.startsWith('/var/tmp/itsm-')) clusterOutside = join(target, '..');
    } catch {
      // No link: the cluster lives inside the state directory (or was never made).
    }
    await this.script('infra.sh', 'down').catch((error: unknown) =>
      process.stderr.write(`stopping the private infrastructure: ${String(error)}\n`),
    );
    rmSync(this.stateDir, { recursive: true, force: true });
    if (clusterOutside) rmSync(clusterOutside, { recursive: true, force: true });
  }

  private async signalPostgres(signal: 'STOP' | 'CONT'): Promise<void> {
    const data = join(realpathSync(join(this.stateDir, 'pg', 'cluster')), 'data');
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const { stdout } = await run('pgrep', ['-P', String(postmaster)]).catch(() => ({ stdout: '' }));
    const pids = [postmaster, ...stdout.split('\n').filter(Boolean).map(Number)];
    // The postmaster first on stop (no new backend forks meanwhile), last on resume.
    for (const pid of signal === 'STOP' ? pids : pids.reverse()) {
      try {
        process.kill(pid, `SIG${signal}`);
      } catch {
        // A backend that ended in between.
      }
    }
  }

  private async script(name: string, command: string): Promise<void> {
    // The run's own KAFKA_BROKERS and DATABASE_URL must not leak in: infra.sh would reuse them.
    const { KAFKA_BROKERS: _kafka, DATABASE_URL: _database, ...inherited } = process.env;
    await run('bash', [join(REPO_ROOT, 'deploy/local', name), command], {
      env: {
        ...inherited,
        ITSM_STATE_DIR: this.stateDir,
        ITSM_KAFKA_PORT: String(this.kafkaPort),
        ITSM_KAFKA_CONTROLLER_PORT: String(this.kafkaControllerPort),
        ITSM_PG_PORT: String(this.postgresPort),
      },
      maxBuffer: 1 << 22,
    }).catch((error: { stderr?: string; message?: string }) => {
      throw new Error(`${name} ${command} failed: ${error.stderr ?? error.message ?? ''}`);
    });
  }
}
