export * from './facets';
