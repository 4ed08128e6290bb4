export * from './peer';
export * from './peer-error';
export * from './retry-budget';
export * from './settings';
export * from './mesh-client';
export * from './discovery';
