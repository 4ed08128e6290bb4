import { Value } from '@sinclair/typebox/value';
import { QueryLogEvent } from '@search-mesh/contracts';
import { queryLogEntries } from '../../src/domain/query-log';
import { AT, ev } from './fixtures';

it('folds submitted queries per normalised query into valid query-log events', () => {
  const later = { ...ev.query('Samsung TV!'), occurredAt: AT + 5000 };
  const out = queryLogEntries([ev.query('samsung  tv'), ev.click('p1', 'samsung tv'), later, ev.query('   '), ev.query(`${'word '.repeat(60)}`)]);
  expect(out.map((q) => [q.normalised, q.count, q.occurredAt])).toEqual([
    ['samsung tv', 2, new Date(AT + 5000).toISOString()],
    ['word '.repeat(40).trim(), 1, new Date(AT).toISOString()],
  ]);
  for (const q of out) expect(Value.Check(QueryLogEvent, q)).toBe(true);
});
