/**
 * The one train/test split of the query log. It is a pure function of the normalised query text, so
 * autocomplete, query classification and ranking all hold out the same queries, and duplicates that
 * differ only in case or accents land on the same side.
 */
import type { QueryRecord } from './data';
import { hash32 } from './prng';
import { normaliseQuery } from './text';

export { normaliseQuery } from './text';

export interface QuerySplit<T> {
  train: T[];
  test: T[];
}

export interface SplitOptions {
  /** Share of distinct query texts held out for testing, in [0, 1]. */
  testFraction?: number;
}

/** Salt of the split hash: changing it reshuffles every consumer's test set, so it never changes. */
const SPLIT_SALT = 'search-mesh/query-split/v1|';

export function isTestQuery(query: string, testFraction = 0.2): boolean {
  return hash32(SPLIT_SALT + normaliseQuery(query)) / 4294967296 < testFraction;
}

export function splitQueries<T extends Pick<QueryRecord, 'query'>>(queries: readonly T[], options: SplitOptions = {}): QuerySplit<T> {
  const testFraction = options.testFraction ?? 0.2;
  if (!(testFraction >= 0 && testFraction <= 1)) throw new Error(`testFraction must be in [0, 1], got ${testFraction}`);
  const split: QuerySplit<T> = { train: [], test: [] };
  for (const query of queries) (isTestQuery(query.query, testFraction) ? split.test : split.train).push(query);
  return split;
}
