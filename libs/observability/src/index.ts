export * from './logging/logging.module';
export * from './metrics/metrics.module';
export * from './health/health.module';
export * from './health/kafka.health';
export * from './health/shutdown-state';
