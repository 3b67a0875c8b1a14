import { DataSource, type DataSourceOptions, type QueryRunner } from 'typeorm';
import { testEnvironment } from './test-environment';

/**
 * A data source on a schema of its own in the test database, with the tables `createTables`
 * makes there (a shared library's migration functions, as a service's migration calls
 * them): for a library suite that needs real tables and no service.
 */
export async function scratchSchema(
  schema: string,
  entities: NonNullable<DataSourceOptions['entities']>,
  createTables: (runner: QueryRunner) => Promise<void>,
  poolSize?: number,
): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    url: testEnvironment().databaseUrl,
    schema,
    entities,
    ...(poolSize === undefined ? {} : { extra: { max: poolSize } }),
  });
  await dataSource.initialize();
  await dataSource.query(`CREATE SCHEMA "${schema}"`);
  const runner = dataSource.createQueryRunner();
  try {
    await createTables(runner);
  } finally {
    await runner.release();
  }
  return dataSource;
}

/** Drops the schema {@link scratchSchema} made, and closes its data source. */
export async function dropScratchSchema(dataSource: DataSource | undefined): Promise<void> {
  if (!dataSource) return;
  const { schema } = dataSource.options as { schema?: string };
  await dataSource.query(`DROP SCHEMA "${schema}" CASCADE`);
  await dataSource.destroy();
}
