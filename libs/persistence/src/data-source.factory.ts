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
  logging?: boolean;
}

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
    extra: { max: settings.poolSize ?? 10 },
  };
}

export function createServiceDataSource(settings: ServiceDataSourceSettings): DataSource {
  return new DataSource(serviceDataSourceOptions(settings));
}
