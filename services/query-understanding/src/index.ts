/** @search-mesh/query-understanding as a library: the engine in-process, and the app for tests. */
export { buildApp } from './app';
export { createEngine, type Engine, type EngineOptions } from './engine';
export { settings, type Config } from './config';
export { DEFAULT_RULES } from './domain/default-rules';
export { normaliseText } from './domain/normalise';
