import { type DataSource, type EntityMetadata } from 'typeorm';

export function quoteIdentifier(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

/** `"schema"."table"` of an entity, for the few statements written as SQL. */
export function qualifiedTable(metadata: EntityMetadata): string {
  return metadata.schema
    ? `${quoteIdentifier(metadata.schema)}.${quoteIdentifier(metadata.tableName)}`
    : quoteIdentifier(metadata.tableName);
}

/** The quoted schema a service's data source owns; every service data source names one. */
export function quotedServiceSchema(dataSource: DataSource): string {
  const schema = (dataSource.options as { schema?: string }).schema;
  if (!schema) throw new Error('a service data source must name its schema');
  return quoteIdentifier(schema);
}
