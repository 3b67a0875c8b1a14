export * from './openapi-document';
export * from './to-openapi-31';
export * from './problem-responses';
export * from './route-access';
export * from './http-routes';
export * from './service-openapi';
export * from './request-conventions';
export * from './record-responses';
