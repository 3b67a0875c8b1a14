export * from './identity';
export * from './keys';
export * from './replay-cache';
