export * from './conditions';
export * from './text';
export * from './aggregations';
export * from './ranking-features';
export * from './facet-values';
