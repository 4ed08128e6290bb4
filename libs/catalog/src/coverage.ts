/**
 * How well a catalog covers a query log: the share of queries for which some product carries every
 * query token (normalised, plurals stemmed) in its title, brand, model line, category names or
 * attribute values, and the share for which such a product also sits in the query's top lvl1 category
 * ("sensible"). A boolean AND match over an inverted index, roughly what a search engine's strictest
 * retrieval would do; descriptions are left out on purpose.
 */
import type { Product } from '@search-mesh/contracts';
import type { CategoryResolver } from './categories';
import type { QueryRecord } from './data';
import { topCategory } from './generator/context';
import { contentTokens, measureTokens } from './text';

export interface CoverageIndex {
  /** token → ascending product positions. */
  postings: Map<string, number[]>;
  /** Per product position, the ids of its category path. */
  categories: string[][];
}

export interface CoverageResult {
  queries: number;
  /** Queries with at least one product matching all their tokens. */
  found: number;
  /** Queries with such a product in their top lvl1 category. */
  sensible: number;
  /** Queries that found nothing (for inspection). */
  missed: string[];
}

/** The words a product can be found by. */
export function productTokens(product: Product): Set<string> {
  const tokens = new Set<string>([...contentTokens(product.title), ...contentTokens(product.brand), ...contentTokens(product.modelLine ?? '')]);
  for (const name of product.category.path) for (const t of contentTokens(name)) tokens.add(t);
  for (const attribute of product.attributes) for (const t of measureTokens(attribute.value, attribute.unit)) tokens.add(t);
  for (const term of product.searchTerms ?? []) for (const t of contentTokens(term)) tokens.add(t);
  return tokens;
}

export function buildCoverageIndex(products: Iterable<Product>): CoverageIndex {
  const postings = new Map<string, number[]>();
  const categories: string[][] = [];
  let position = 0;
  for (const product of products) {
    for (const token of productTokens(product)) {
      const list = postings.get(token);
      if (list === undefined) postings.set(token, [position]);
      else list.push(position);
    }
    categories.push(product.category.pathIds);
    position++;
  }
  return { postings, categories };
}

/** Positions of products carrying every token (empty for a query without content words). */
export function matchAll(index: CoverageIndex, tokens: readonly string[]): number[] {
  if (tokens.length === 0) return [];
  const lists = [...new Set(tokens)].map((t) => index.postings.get(t) ?? []);
  lists.sort((a, b) => a.length - b.length);
  let result = lists[0] as number[];
  for (const list of lists.slice(1)) {
    if (result.length === 0) break;
    const set = new Set(list);
    result = result.filter((p) => set.has(p));
  }
  return result;
}

export function measureCoverage(index: CoverageIndex, queries: readonly QueryRecord[], resolveCategory: CategoryResolver): CoverageResult {
  const result: CoverageResult = { queries: queries.length, found: 0, sensible: 0, missed: [] };
  for (const q of queries) {
    const matches = matchAll(index, contentTokens(q.query));
    if (matches.length === 0) {
      result.missed.push(q.query);
      continue;
    }
    result.found++;
    const top = topCategory(q, resolveCategory);
    if (top !== undefined && matches.some((p) => (index.categories[p] as string[]).includes(top.id))) result.sensible++;
  }
  return result;
}
