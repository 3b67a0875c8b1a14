import { type DataSource } from 'typeorm';

function quoteIdentifier(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

function schemaOf(dataSource: DataSource): string {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (!schema) throw new Error('a service data source must name its schema');
  return schema;
}

/**
 * Applies a service's pending migrations. The schema is created first because the
 * migrations table lives inside it. Returns the names of the migrations applied.
 */
export async function runServiceMigrations(dataSource: DataSource): Promise<string[]> {
  const initializedHere = !dataSource.isInitialized;
  if (initializedHere) await dataSource.initialize();
  try {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(schemaOf(dataSource))}`);
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
