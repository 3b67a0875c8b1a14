import { type EntityMetadata } from 'typeorm';

export function quoteIdentifier(identifier: string): string {
  return `"${identifier.replace(/"/g, '""')}"`;
}

export function qualifiedTable(metadata: EntityMetadata): string {
  return metadata.schema
    ? `${quoteIdentifier(metadata.schema)}.${quoteIdentifier(metadata.tableName)}`
    : quoteIdentifier(metadata.tableName);
}

/** The LISTEN/NOTIFY channel that wakes a service's relay when its outbox gets a row. */
export function outboxChannel(schema: string | undefined): string {
  return `itsm_outbox_${schema ?? 'public'}`;
}
