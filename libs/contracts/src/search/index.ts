export * from './filters';
export * from './api';
