export * from './text';
export * from './plan';
export * from './rules';
export * from './default-rules';
