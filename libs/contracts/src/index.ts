import './formats';
export * from './http/headers';
export * from './http/deadline';
export * from './http/errors';
export * from './services';
export * from './naming';
export * from './catalog/product';
export * from './catalog/events';
export * from './query';
