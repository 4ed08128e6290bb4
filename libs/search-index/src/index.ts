export * from './units';
export * from './document';
export * from './mapping';
export * from './products-index';
export * from './reindex';
export * from './query';
