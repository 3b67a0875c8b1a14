export * from './identity-config';
export * from './service-client';
export * from './service-identity.module';
