import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually';
import { freePort } from './free-port';
import { LoggedProcess } from './logged-process';
import { testEnvironment } from './test-environment';

/** Debian's `prometheus-alertmanager`, installed by `deploy/local/alertmanager.sh ensure`. */
const DEFAULT_BINARY = '/usr/bin/prometheus-alertmanager';

/**
 * How the Alertmanager calls its webhook receiver: `Authorization: <type> <credentials>`,
 * e.g. `{ type: 'ApiKey', credentials: key }` for the gateway.
 */
export interface WebhookAuthorization {
  type: string;
  credentials: string;
}

export interface AlertmanagerOptions {
  /** Where the single receiver's webhook posts (payload version 4). */
  webhookUrl: string;
  authorization?: WebhookAuthorization;
  /** The route's `group_by`; default `['alertname']`. */
  groupBy?: string[];
  /** Alertmanager durations (`1s`, `5m`, ...). Defaults: 1s, 1s, 3s. */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  /** Whether a resolved alert is notified; default true. */
  sendResolved?: boolean;
}

/** An alert as a Prometheus server posts it to `POST /api/v2/alerts`. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  /** ISO 8601; the Alertmanager takes the time of receipt when absent. */
  startsAt?: string;
  /** ISO 8601; in the past = resolved; absent = firing until `resolve_timeout` (5 min). */
  endsAt?: string;
  generatorURL?: string;
}

/** An alert as `GET /api/v2/alerts` lists it. */
export interface GettableAlert {
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: 'unprocessed' | 'active' | 'suppressed' };
}

/**
 * A real Prometheus Alertmanager started for one test: a generated configuration with one
 * route to one webhook receiver, its own free port, clustering off, its own storage in a
 * temporary directory, its log in the test log directory.
 *
 * When notifications go out (what a test waits for):
 * - the first notification of a group goes `groupWait` after its first alert arrives;
 * - a group whose set of firing or resolved alerts changed (a new alert in it, an alert
 *   resolved) is notified at its next `groupInterval` tick;
 * - an unchanged firing group is notified again (a "repeat", same fingerprints) only once
 *   `repeatInterval` has passed since the last notification, at the next `groupInterval`
 *   tick. Posting the same alert again, even with changed annotations, changes nothing:
 *   the Alertmanager de-duplicates by the alert's fingerprint (its label set).
 *
 * So a test provokes a repeat delivery of an alert either by waiting: with the default
 * `repeatInterval` of 3s the firing alert arrives again every 3 to 4 seconds until it is
 * resolved; or, with a long `repeatInterval`, by posting a sibling alert (same `groupBy`
 * labels, another label differs): the group's next notification, `groupInterval` later,
 * carries the first alert again beside the new one. An alert is resolved by posting it
 * again with `endsAt` in the past ({@link AlertmanagerProcess.resolveAlerts}); the
 * resolved notification follows at the next `groupInterval` tick.
 */
export class AlertmanagerProcess {
  private constructor(
    readonly port: number,
    readonly logFile: string,
    private readonly child: LoggedProcess,
    private readonly directory: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(options: AlertmanagerOptions): Promise<AlertmanagerProcess> {
    const binary = alertmanagerBinary();
    const port = await freePort();
    const directory = mkdtempSync(join(tmpdir(), 'itsm-alertmanager-'));
    const configFile = join(directory, 'alertmanager.yml');
    // JSON is YAML: no YAML writer needed.
    writeFileSync(configFile, JSON.stringify(alertmanagerConfig(options), null, 2));
    const { logDirectory } = testEnvironment();
    mkdirSync(logDirectory, { recursive: true });
    const logFile = join(logDirectory, `alertmanager-${port}.log`);
    const child = LoggedProcess.spawn(
      binary,
      [
        `--config.file=${configFile}`,
        `--storage.path=${join(directory, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        // Empty: no gossip cluster, hence no second port and no peer-settling delay.
        '--cluster.listen-address=',
        '--log.level=debug',
      ],
      { PATH: process.env.PATH ?? '' },
      logFile,
    );
    const alertmanager = new AlertmanagerProcess(port, logFile, child, directory);
    try {
      await alertmanager.waitUntilReady();
    } catch (error) {
      await alertmanager.stop();
      throw error;
    }
    return alertmanager;
  }

  private async waitUntilReady(timeoutMs = 30_000): Promise<void> {
    await eventually(
      async () => {
        if (this.child.exitCode !== undefined)
          throw new Error(`alertmanager exited with ${this.child.exitCode}; see ${this.logFile}`);
        const response = await fetch(`${this.url}/-/ready`).catch(() => undefined);
        return response?.ok ? true : undefined;
      },
      {
        timeoutMs,
        intervalMs: 100,
        description: `alertmanager to be ready (log: ${this.logFile})`,
      },
    );
  }

  /** Feeds alerts through the Alertmanager's own API, as Prometheus does. */
  async postAlerts(alerts: readonly PostableAlert[]): Promise<void> {
    const response = await fetch(`${this.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    if (!response.ok)
      throw new Error(`POST /api/v2/alerts answered ${response.status}: ${await response.text()}`);
  }

  /** Posts the alerts again with `endsAt` in the past, which resolves them. */
  resolveAlerts(alerts: readonly PostableAlert[]): Promise<void> {
    const endsAt = new Date(Date.now() - 1000).toISOString();
    return this.postAlerts(alerts.map((alert) => ({ ...alert, endsAt })));
  }

  /** The alerts the Alertmanager holds, with their fingerprints. */
  async alerts(): Promise<GettableAlert[]> {
    const response = await fetch(`${this.url}/api/v2/alerts`);
    if (!response.ok) throw new Error(`GET /api/v2/alerts answered ${response.status}`);
    return (await response.json()) as GettableAlert[];
  }

  async stop(): Promise<void> {
    await this.child.stop(5_000);
    rmSync(this.directory, { recursive: true, force: true });
  }
}

function alertmanagerBinary(): string {
  const binary = process.env.ITSM_ALERTMANAGER_BIN ?? DEFAULT_BINARY;
  if (!existsSync(binary))
    throw new Error(
      `no Alertmanager at ${binary}: run deploy/local/alertmanager.sh ensure (or set ITSM_ALERTMANAGER_BIN)`,
    );
  return binary;
}

function alertmanagerConfig(options: AlertmanagerOptions): object {
  const webhook = {
    url: options.webhookUrl,
    send_resolved: options.sendResolved ?? true,
    ...(options.authorization && { http_config: { authorization: options.authorization } }),
  };
  return {
    route: {
      receiver: 'itsm',
      group_by: options.groupBy ?? ['alertname'],
      group_wait: options.groupWait ?? '1s',
      group_interval: options.groupInterval ?? '1s',
      repeat_interval: options.repeatInterval ?? '3s',
    },
    receivers: [{ name: 'itsm', webhook_configs: [webhook] }],
  };
}
