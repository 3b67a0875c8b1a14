export * from './domain-errors';
export * from './field-changes';
