export * from './text';
export * from './plan';
export * from './rules';
