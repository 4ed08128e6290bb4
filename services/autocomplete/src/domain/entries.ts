/**
 * What the index is built from, all pure: catalog entities (brands, product lines, categories), popular
 * queries (the TRAIN split's real popularity plus the live query log), each kept only when the catalog
 * has products for it, near-duplicates merged.
 */
import { buildCoverageIndex, contentTokens, type CoverageIndex, matchAll, normaliseQuery, type Product, type QueryRecord } from '@search-mesh/catalog';
import { runNow, type Steps } from './slices';
import type { EntryInput } from './suggest-index';
import { nearDuplicateKey } from './text';

/** Depth of the category a scoped suggestion names: lvl2 ("TV & Home Theater > TVs > 4K Ultra HD TVs"). */
const SCOPE_DEPTH = 3;
/** A scoped suggestion needs its category to hold at least this share of what the query finds. */
export const SCOPE_MIN_SHARE = 0.3;
const MAX_CATEGORIES = 8;
/** Entity popularity is scaled so the median entity ranks like the median logged query times this (chosen on the validation fold: 0.5 → 1 → 2 → 4 gave MRR 0.126, 0.132, 0.136, 0.139 there, and only unseen queries are measured, which favours entities). */
export const ENTITY_WEIGHT = 1;

export interface QueryFacts {
  /** How many products the query finds. */
  matches: number;
  /** Leaf category paths of those products, most frequent first. */
  categories: string[];
  /** The lvl2 category holding at least `SCOPE_MIN_SHARE` of them, if any. */
  scope?: string;
  /** lvl2 category paths of those products, with counts. */
  scopes: ReadonlyMap<string, number>;
}

/**
 * The catalog as a boolean AND token index (the catalog library's coverage index: title, brand, model line,
 * category names, attribute values, search terms), which answers "would this query find anything, and where".
 */
export class CatalogCoverage {
  private readonly index: CoverageIndex;
  /** Per product position, its leaf category path joined by " > ". */
  private readonly leafPaths: string[];
  private readonly scopePaths: string[];

  constructor(products: readonly Product[]) {
    this.index = buildCoverageIndex(products);
    const joined = new Map<string, string>();
    const intern = (s: string) => {
      const known = joined.get(s);
      if (known !== undefined) return known;
      joined.set(s, s);
      return s;
    };
    this.leafPaths = products.map((p) => intern(p.category.path.join(' > ')));
    this.scopePaths = products.map((p) => intern(p.category.path.slice(0, SCOPE_DEPTH).join(' > ')));
  }

  /** Null when the query would find no product. */
  facts(text: string): QueryFacts | null {
    const tokens = contentTokens(text);
    const positions = matchAll(this.index, tokens);
    if (positions.length === 0) return null;
    const leaves = new Map<string, number>();
    const scopes = new Map<string, number>();
    for (const p of positions) {
      const leaf = this.leafPaths[p] as string;
      leaves.set(leaf, (leaves.get(leaf) ?? 0) + 1);
      const scope = this.scopePaths[p] as string;
      scopes.set(scope, (scopes.get(scope) ?? 0) + 1);
    }
    const categories = [...leaves].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, MAX_CATEGORIES).map(([path]) => path);
    const [topScope, topCount] = [...scopes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] as [string, number];
    const facts: QueryFacts = { matches: positions.length, categories, scopes };
    if (topCount / positions.length >= SCOPE_MIN_SHARE && topScope.split(' > ').length === SCOPE_DEPTH) facts.scope = topScope;
    return facts;
  }
}

/** The lvl2 category holding at least `SCOPE_MIN_SHARE` of the given leaf counts, if any. */
function dominantScope(leaves: ReadonlyMap<string, number>): string | undefined {
  const scopes = new Map<string, number>();
  let total = 0;
  for (const [leaf, count] of leaves) {
    const path = leaf.split(' > ');
    total += count;
    if (path.length >= SCOPE_DEPTH) {
      const scope = path.slice(0, SCOPE_DEPTH).join(' > ');
      scopes.set(scope, (scopes.get(scope) ?? 0) + count);
    }
  }
  const [best, count] = [...scopes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? ['', 0];
  return total > 0 && count / total >= SCOPE_MIN_SHARE ? best : undefined;
}

function topByCount(counts: Map<string, number>, n: number): string[] {
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n).map(([k]) => k);
}

/** Median of the positive values (1 without any): many logged queries have popularity 0. */
function median(values: number[]): number {
  const sorted = values.filter((v) => v > 0).sort((a, b) => a - b);
  return sorted.length === 0 ? 1 : (sorted[Math.floor(sorted.length / 2)] as number);
}

/** Raw entity popularity (sum of product popularity), before scaling to the query scale. */
export interface EntityInput extends EntryInput {
  raw: number;
}

/** Brands, product lines ("Samsung Galaxy S") and categories at every depth, with the categories they sell in. */
export function catalogEntities(products: readonly Product[]): EntityInput[] {
  const entities = new Map<string, { text: string; kind: EntryInput['kind']; raw: number; categories: Map<string, number>; category?: string }>();
  const add = (key: string, text: string, kind: EntryInput['kind'], product: Product, category?: string) => {
    let entity = entities.get(key);
    if (entity === undefined) {
      entity = { text, kind, raw: 0, categories: new Map(), ...(category !== undefined ? { category } : {}) };
      entities.set(key, entity);
    }
    entity.raw += product.popularity + 0.01;
    const leaf = product.category.path.join(' > ');
    entity.categories.set(leaf, (entity.categories.get(leaf) ?? 0) + 1);
  };
  for (const product of products) {
    add(`brand|${normaliseQuery(product.brand)}`, product.brand, 'brand', product);
    if (product.modelLine !== undefined) {
      const line = normaliseQuery(product.modelLine).startsWith(normaliseQuery(product.brand)) ? product.modelLine : `${product.brand} ${product.modelLine}`;
      add(`line|${normaliseQuery(line)}`, line, 'product', product);
    }
    const path = product.category.path;
    for (let depth = 2; depth <= path.length; depth++) {
      const prefix = path.slice(0, depth).join(' > ');
      add(`category|${prefix}`, path[depth - 1] as string, 'category', product, prefix);
    }
  }
  return [...entities.values()].map((e) => {
    const scope = e.category === undefined ? dominantScope(e.categories) : undefined;
    return {
      text: e.text,
      kind: e.kind,
      score: 0,
      raw: e.raw,
      categories: e.category !== undefined ? [e.category] : topByCount(e.categories, MAX_CATEGORIES),
      ...(scope !== undefined ? { scope } : {}),
    };
  });
}

/** A query with its popularity on the query scale (the log's counts). */
export interface PopularQuery {
  text: string;
  popularity: number;
  /** The query log's own lvl2 category distribution of its hits, when known. */
  lvl2?: readonly { value: string; count: number }[];
}

/**
 * The category a scoped suggestion names: the query log's top lvl2 category when it holds
 * `SCOPE_MIN_SHARE` of the logged hits and the catalog has matches there, else the catalog's own.
 */
export function scopeOf(query: PopularQuery, facts: QueryFacts): string | undefined {
  const logged = query.lvl2 ?? [];
  const total = logged.reduce((sum, c) => sum + c.count, 0);
  const top = logged.reduce<{ value: string; count: number } | undefined>((best, c) => (best === undefined || c.count > best.count ? c : best), undefined);
  if (top !== undefined && top.count / total >= SCOPE_MIN_SHARE && (facts.scopes.get(top.value) ?? 0) > 0) return top.value;
  return facts.scope;
}

/** Popular queries that find products, as entries with their categories and scope. */
export function queryEntries(queries: readonly PopularQuery[], facts: (text: string) => QueryFacts | null): EntryInput[] {
  return runNow(queryEntrySteps(queries, facts));
}

export function* queryEntrySteps(queries: readonly PopularQuery[], facts: (text: string) => QueryFacts | null): Steps<EntryInput[]> {
  const entries: EntryInput[] = [];
  for (const q of queries) {
    const f = facts(q.text);
    yield;
    if (f === null) continue;
    const scope = scopeOf(q, f);
    // A logged query was searched at least once, whatever its recorded popularity (many are 0).
    entries.push({ text: q.text, kind: 'query', score: q.popularity + 1, categories: f.categories, ...(scope !== undefined ? { scope } : {}) });
  }
  return entries;
}

/** TRAIN records as popular queries (folded text, popularity summed over duplicates). */
export function popularQueries(records: readonly Pick<QueryRecord, 'query' | 'popularity' | 'lvl2'>[]): PopularQuery[] {
  const byText = new Map<string, PopularQuery>();
  for (const r of records) {
    const text = normaliseQuery(r.query);
    if (text === '') continue;
    const known = byText.get(text);
    if (known === undefined) byText.set(text, { text, popularity: r.popularity, lvl2: r.lvl2 });
    else known.popularity += r.popularity;
  }
  return [...byText.values()];
}

/**
 * Queries and entities on one scale (entity popularity scaled so the median entity ranks like the median
 * query × `ENTITY_WEIGHT`), near-duplicates merged: the best-scored text and kind stay, scores add up, and a
 * query's scope and categories survive the merge.
 */
export function mergeEntries(queries: readonly EntryInput[], entities: readonly EntityInput[], entityWeight = ENTITY_WEIGHT): EntryInput[] {
  return runNow(mergeEntrySteps(queries, entities, entityWeight));
}

export function* mergeEntrySteps(queries: readonly EntryInput[], entities: readonly EntityInput[], entityWeight = ENTITY_WEIGHT): Steps<EntryInput[]> {
  const scale = (median(queries.map((q) => q.score)) / median(entities.map((e) => e.raw))) * entityWeight;
  const merged = new Map<string, EntryInput>();
  const all: EntryInput[] = [...queries, ...entities.map(({ raw, ...e }) => ({ ...e, score: raw * scale }))];
  for (const entry of all) {
    yield;
    const key = nearDuplicateKey(entry.text);
    if (key === '') continue;
    const known = merged.get(key);
    if (known === undefined) {
      merged.set(key, entry);
      continue;
    }
    const [best, other] = entry.score > known.score ? [entry, known] : [known, entry];
    const scope = best.scope ?? other.scope;
    merged.set(key, {
      ...best,
      score: best.score + other.score,
      categories: best.kind === 'category' ? best.categories : [...new Set([...best.categories, ...other.categories])].slice(0, MAX_CATEGORIES),
      ...(scope !== undefined ? { scope } : {}),
    });
  }
  return [...merged.values()];
}
