export * from './settings';
export * from './elasticsearch';
export * from './kafka';
export * from './renewing-producer';
export * from './cassandra';
export * from './chunk-consumer';
export * from './follow-topic';
