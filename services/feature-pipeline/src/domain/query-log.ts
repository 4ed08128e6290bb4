import { type BehaviourEvent, QUERY_LOG_SCHEMA, type QueryLogEvent } from '@search-mesh/contracts';
import { normaliseQuery } from '@search-mesh/catalog';

const MAX_LENGTH = 200;

/**
 * The chunk's submitted queries folded per normalised query (count, newest time), for the autocomplete
 * service. Queries that normalise to nothing are left out; overlong ones are cut at a word boundary.
 */
export function queryLogEntries(events: readonly BehaviourEvent[]): QueryLogEvent[] {
  const byQuery = new Map<string, { count: number; last: number }>();
  for (const e of events) {
    if (e.type !== 'query.submitted') continue;
    let normalised = normaliseQuery(e.query);
    if (normalised.length > MAX_LENGTH) normalised = normalised.slice(0, MAX_LENGTH).replace(/\s+\S*$/, '') || normalised.slice(0, MAX_LENGTH);
    if (normalised === '') continue;
    const entry = byQuery.get(normalised);
    if (entry) {
      entry.count++;
      entry.last = Math.max(entry.last, e.occurredAt);
    } else byQuery.set(normalised, { count: 1, last: e.occurredAt });
  }
  return [...byQuery].map(([normalised, { count, last }]) => ({
    schema: QUERY_LOG_SCHEMA,
    type: 'query.submitted',
    normalised,
    count,
    occurredAt: new Date(last).toISOString(),
  }));
}
