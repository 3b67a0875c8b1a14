import { DataSource, type EntitySchema, type MixedList } from 'typeorm';
import { type PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

export interface ServiceDataSourceSettings {
  /** postgres://user:password@host:port/database */
  databaseUrl: string;
  /** The PostgreSQL schema the service owns; every table, and the migrations table, lives in it. */
  schema: string;
  /** Shown in pg_stat_activity, so an operator can tell the services' connections apart. */
  applicationName: string;
  // TypeORM's own signature for entity and migration lists.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  /**
   * How long a query may wait for a connection (from the pool, or a new one) before it fails.
   * Without it, a request waits for ever on a database that does not answer (paused,
   * partitioned away) and the caller sees a hang instead of a 503.
   */
  connectTimeoutMs?: number;
  /**
   * The server cancels a statement running longer (SQLSTATE 57014, answered 503). Unset: no
   * limit, which the migrate step wants (an index build may take minutes).
   */
  statementTimeoutMs?: number;
  logging?: boolean;
}

/** Five seconds: well inside the gateway's upstream deadline, so the service answers 503 before the gateway gives up with 504. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/**
 * The one way a service describes its database. Schema changes happen only through
 * migrations run by the migrate step (`npm run migrate`), never at boot and never by
 * `synchronize`.
 */
export function serviceDataSourceOptions(
  settings: ServiceDataSourceSettings,
): PostgresConnectionOptions {
  return {
    type: 'postgres',
    url: settings.databaseUrl,
    schema: settings.schema,
    applicationName: settings.applicationName,
    entities: settings.entities,
    migrations: settings.migrations,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: settings.logging ?? false,
    extra: {
      max: settings.poolSize ?? 10,
      connectionTimeoutMillis: settings.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      // Notices a peer that vanished without closing (a host gone, a cut network) on idle connections.
      keepAlive: true,
      ...(settings.statementTimeoutMs ? { statement_timeout: settings.statementTimeoutMs } : {}),
    },
  };
}

export function createServiceDataSource(settings: ServiceDataSourceSettings): DataSource {
  return new DataSource(serviceDataSourceOptions(settings));
}
