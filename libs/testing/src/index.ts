export * from './eventually';
export * from './free-port';
export * from './test-environment';
export * from './service-process';
export * from './otlp-receiver';
export * from './kafka-probe';
export * from './gateway-client';
export * from './event-fixtures';
