export * from './caller';
export * from './permissions';
export * from './internal-identity';
export * from './record-visibility';
export * from './record-visibility.sql';
export * from './nest/auth.decorators';
export * from './nest/internal-identity.guard';
export * from './permission-table.markdown';
