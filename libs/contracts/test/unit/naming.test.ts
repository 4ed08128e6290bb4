import { keyspaceNames, topicNames } from '../../src';

describe('naming', () => {
  it('prefixes every topic and keyspace with the namespace', () => {
    expect(topicNames('ci_42').catalog).toBe('ci_42.catalog.v1');
    expect(keyspaceNames('ci_42').features).toBe('ci_42_features');
  });
  it.each(['', 'Upper', '1abc', 'has-dash', 'a'.repeat(33)])('rejects namespace %j', (ns) => {
    expect(() => topicNames(ns)).toThrow(/namespace/);
  });
});
