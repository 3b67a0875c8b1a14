import { setTimeout as sleep } from 'node:timers/promises';
import { type LoggerService } from '@nestjs/common';
import { type NestExpressApplication } from '@nestjs/platform-express';
import { type NextFunction, type Request, type Response } from 'express';
import { DataSource } from 'typeorm';
import { ShutdownState } from '@itsm/observability';
import { type ServiceConfig } from '../config/service-config';

const CONTEXT = 'Shutdown';
/** What stopping the relay and the consumer and closing the pool get at least, out of SHUTDOWN_TIMEOUT_MS. */
const CLOSING_RESERVE_MS = 5000;
/** How often connections that went idle during the drain are closed (keep-alive would hold them open). */
const IDLE_SWEEP_MS = 100;

export interface ShutdownSettings {
  timeoutMs: number;
  delayMs: number;
}

export function shutdownSettingsOf(config: ServiceConfig): ShutdownSettings {
  return {
    timeoutMs: config.env.SHUTDOWN_TIMEOUT_MS,
    delayMs: config.env.SHUTDOWN_DELAY_MS ?? (config.mode === 'production' ? 5000 : 0),
  };
}

/** Counts the requests being answered, so the drain can say what it waits for. */
export class RequestsInFlight {
  private count = 0;

  get size(): number {
    return this.count;
  }

  readonly middleware = (_request: Request, response: Response, next: NextFunction): void => {
    this.count++;
    response.once('close', () => this.count--);
    next();
  };
}

/**
 * Stops the service on SIGTERM (an orchestrator) or SIGINT (Ctrl-C) the way a rolling
 * update needs, each step logged: readiness answers 503 at once; new connections are still
 * taken for SHUTDOWN_DELAY_MS, while the load balancer notices; then the listener closes,
 * idle keep-alive connections are closed as they go idle, and the requests in flight are
 * answered; then Nest's hooks stop the outbox relay after its current batch, disconnect the
 * Kafka consumer (which leaves its group, so the partitions move at once rather than after a
 * session timeout) and close the database pool; exit 0. All within SHUTDOWN_TIMEOUT_MS:
 * requests still running when only the reserve for the rest is left have their connections
 * closed, and a shutdown that overruns exits 1.
 */
export function stopGracefullyOnSignals(
  app: NestExpressApplication,
  logger: LoggerService,
  settings: ShutdownSettings,
  requests: RequestsInFlight,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn?.(`${signal} received again: already shutting down`, CONTEXT);
      return;
    }
    stopping = true;
    void shutDown(app, logger, settings, requests, signal).then((code) => process.exit(code));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function shutDown(
  app: NestExpressApplication,
  logger: LoggerService,
  { timeoutMs, delayMs }: ShutdownSettings,
  requests: RequestsInFlight,
  signal: NodeJS.Signals,
): Promise<number> {
  const startedAt = Date.now();
  const overrun = setTimeout(() => {
    logger.error(`not shut down within SHUTDOWN_TIMEOUT_MS=${timeoutMs}; exiting now`, CONTEXT);
    process.exit(1);
  }, timeoutMs);
  try {
    app.get(ShutdownState).startDraining();
    logger.log(`${signal}: shutting down; /health/ready answers 503 from now on`, CONTEXT);
    if (delayMs > 0) {
      logger.log(
        `still taking new connections for ${delayMs} ms (SHUTDOWN_DELAY_MS), while the load balancer stops sending`,
        CONTEXT,
      );
      await sleep(delayMs);
    }

    const server = app.getHttpServer();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    logger.log(
      `no longer taking connections; waiting for ${requests.size} request(s) in flight`,
      CONTEXT,
    );
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    const budget = Math.max(0, timeoutMs - (Date.now() - startedAt) - CLOSING_RESERVE_MS);
    const drained = await Promise.race([closed.then(() => true), sleep(budget, false)]);
    clearInterval(sweep);
    if (drained) logger.log('every request in flight answered; the HTTP server is closed', CONTEXT);
    else {
      logger.warn?.(
        `${requests.size} request(s) still running after ${budget} ms: closing their connections`,
        CONTEXT,
      );
      server.closeAllConnections();
    }

    logger.log(
      'stopping the outbox relay and the Kafka consumer, closing the database pool',
      CONTEXT,
    );
    const pool = app.get(DataSource, { strict: false });
    await app.close();
    // Nest's TypeORM module closes it in its own hook; this only makes sure.
    if (pool.isInitialized) await pool.destroy();
    logger.log('database pool closed', CONTEXT);
    logger.log(`shut down in ${Date.now() - startedAt} ms`, CONTEXT);
    return 0;
  } catch (error) {
    logger.error(
      `shutting down failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      CONTEXT,
    );
    return 1;
  } finally {
    clearTimeout(overrun);
  }
}
