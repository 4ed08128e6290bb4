export * from './rank';
export * from './admin';
