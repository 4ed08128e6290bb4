export * from './domain/state';
export * from './domain/features';
export * from './domain/summary';
export * from './domain/cache';
export * from './adapters/schema';
export * from './adapters/reader';
export * from './adapters/replicas';
export * from './adapters/changes';
