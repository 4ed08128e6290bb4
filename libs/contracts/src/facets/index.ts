export * from './facets';
export * from './merchandising';
