import { type DataSource } from 'typeorm';
import { quotedServiceSchema } from './sql-identifiers';

/**
 * Applies a service's pending migrations. The schema is created first because the
 * migrations table lives inside it. Returns the names of the migrations applied.
 */
export async function runServiceMigrations(dataSource: DataSource): Promise<string[]> {
  const initializedHere = !dataSource.isInitialized;
  if (initializedHere) await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${quotedServiceSchema(dataSource)}`);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    if (initializedHere) await dataSource.destroy();
  }
}

/**
 * The SQL that TypeORM would run to make the database match the entities. Empty when
 * entities and migrations agree; anything else is drift that needs a migration.
 */
export async function findSchemaDrift(dataSource: DataSource): Promise<string[]> {
  const initializedHere = !dataSource.isInitialized;
  if (initializedHere) await dataSource.initialize();
  try {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    return sql.upQueries.map((query) => query.query);
  } finally {
    if (initializedHere) await dataSource.destroy();
  }
}
