export * from './data-source.factory';
export * from './migration-runner';
export * from './database-url';
export * from './sql-identifiers';
export * from './entity-sql';
export * from './sequences';
export * from './enclosing-transaction';
export * from './database-unavailable';
