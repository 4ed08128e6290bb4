export * from './settings';
export * from './elasticsearch';
export * from './kafka';
export * from './cassandra';
export * from './chunk-consumer';
export * from './follow-topic';
