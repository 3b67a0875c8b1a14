export * from './topics';
export * from './envelope/cloud-event';
export * from './envelope/kafka-binding';
export * from './event-catalog';
export * from './event-validation';
export * from './events/incident/incident-snapshot';
export * from './events/incident/incident-created.v1';
