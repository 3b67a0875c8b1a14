export * from './domain-errors';
export * from './field-changes';
export * from './open-transitions';
