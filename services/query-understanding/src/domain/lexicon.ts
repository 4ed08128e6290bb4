/**
 * The store's vocabulary, built from the catalog and the training queries: every word the catalog or the
 * shoppers use (with how common it is and where it occurs), brands, colours, model numbers, category
 * names, which numeric attribute a unit usually measures, and price quartiles. Spelling correction,
 * attribute extraction and intent read it; `training/build-artifacts.ts` builds it once and it ships
 * gzipped next to the model, so a service starts without generating a catalog.
 */
import { contentTokens, type Product, type QueryRecord } from '@search-mesh/catalog';
import { normaliseText, unitOf } from './normalise';

/** Where a word occurs (bit flags): a known brand, model or attribute value is never "corrected". */
export const WordKind = {
  Brand: 1,
  Model: 2,
  Attribute: 4,
  Category: 8,
  ProductText: 16,
  Query: 32,
} as const;

/** How a unit-bearing attribute is spread: attribute name → products, overall and per lvl1 category. */
export type UnitFields = Record<string, Record<string, number>>;

export interface LexiconData {
  version: string;
  /** [word, weighted count, WordKind flags]. Count: products using it plus query popularity (× QUERY_WEIGHT). */
  words: Array<[string, number, number]>;
  /** [normalised phrase, display value, products]. */
  brands: Array<[string, string, number]>;
  /** [normalised phrase, display values of the color attribute that contain it]. */
  colours: Array<[string, string[]]>;
  modelNumbers: string[];
  /** [content tokens of a category name joined by spaces, lvl1 or lvl2 path, products under it]. */
  categoryNames: Array<[string, string, number]>;
  /** canonical unit → '*' or lvl1 path → attribute name → products. */
  units: Record<string, UnitFields>;
  /** '*' or lvl1 path → [p25, p50, p75] of price. */
  prices: Record<string, [number, number, number]>;
  /**
   * ["a b", weighted count] of adjacent alphabetic words (2+ letters each) in product titles, model lines,
   * search terms, category names and queries, seen at least twice: split and joined words ("airfryer" /
   * "air fryer"). Absent in lexicons built before it (no split/join correction then).
   */
  bigrams?: Array<[string, number]>;
}

export const QUERY_WEIGHT = 5;
const BIGRAM_WORD = /^[a-z]{2,}$/;
export const ALL = '*';

export function lvlPath(path: readonly string[], level: number): string {
  return path.slice(0, Math.min(level + 1, path.length)).join(' > ');
}

/** The canonical unit of an attribute's unit as the catalog writes it ("in", "GB", "cu ft"), or undefined. */
export function canonicalUnit(unit: string): string | undefined {
  const text = normaliseText(unit).text;
  return text === 'cu ft' ? 'cu ft' : unitOf(text);
}

function quartiles(values: number[]): [number, number, number] {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return [at(0.25), at(0.5), at(0.75)];
}

function bump<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Builds the lexicon; deterministic for the same inputs. */
export function buildLexicon(products: Iterable<Product>, trainQueries: readonly QueryRecord[], version: string): LexiconData {
  const counts = new Map<string, number>();
  const kinds = new Map<string, number>();
  const brandCounts = new Map<string, number>();
  const brandDisplay = new Map<string, string>();
  const colourValues = new Set<string>();
  const modelNumbers = new Set<string>();
  const categoryCounts = new Map<string, number>();
  const units: Record<string, UnitFields> = {};
  const prices = new Map<string, number[]>();

  const bigrams = new Map<string, number>();
  const addBigrams = (tokens: readonly string[], seen: Set<string> | undefined, by = 1): void => {
    for (let i = 0; i + 1 < tokens.length; i++) {
      const a = tokens[i]!;
      const b = tokens[i + 1]!;
      if (!BIGRAM_WORD.test(a) || !BIGRAM_WORD.test(b)) continue;
      const key = `${a} ${b}`;
      if (seen?.has(key)) continue;
      seen?.add(key);
      bump(bigrams, key, by);
    }
  };
  const addWords = (text: string, kind: number, seen: Set<string>, pairs = false): void => {
    const tokens = normaliseText(text).tokens;
    if (pairs) addBigrams(tokens, seen);
    for (const token of tokens) {
      kinds.set(token, (kinds.get(token) ?? 0) | kind);
      if (!seen.has(token)) {
        seen.add(token);
        bump(counts, token);
      }
    }
  };

  for (const product of products) {
    const seen = new Set<string>();
    addWords(product.brand, WordKind.Brand, seen, true);
    if (product.modelLine !== undefined) addWords(product.modelLine, WordKind.Model, seen, true);
    const model = normaliseText(product.modelNumber).text;
    if (model !== '') modelNumbers.add(model);
    for (const token of model.split(' ')) if (token !== '') kinds.set(token, (kinds.get(token) ?? 0) | WordKind.Model);
    addWords(product.title, WordKind.ProductText, seen, true);
    addWords(product.description, WordKind.ProductText, seen);
    for (const term of product.searchTerms ?? []) addWords(term, WordKind.ProductText, seen, true);
    for (const name of product.category.path) addWords(name, WordKind.Category, seen, true);
    const lvl1 = lvlPath(product.category.path, 1);
    for (const attribute of product.attributes) {
      addWords(String(attribute.value), WordKind.Attribute, seen);
      if (attribute.name === 'color' && typeof attribute.value === 'string') colourValues.add(attribute.value);
      const canonical = attribute.unit === undefined ? undefined : canonicalUnit(attribute.unit);
      if (typeof attribute.value === 'number' && canonical !== undefined) {
        const byCategory = (units[canonical] ??= {});
        for (const scope of [ALL, lvl1]) {
          const fields = (byCategory[scope] ??= {});
          fields[attribute.name] = (fields[attribute.name] ?? 0) + 1;
        }
      }
    }
    const brandKey = normaliseText(product.brand).text;
    bump(brandCounts, brandKey);
    if (!brandDisplay.has(brandKey)) brandDisplay.set(brandKey, product.brand);
    for (const level of [1, 2]) {
      if (product.category.path.length > level) {
        bump(categoryCounts, `${contentTokens(product.category.path[level]!).join(' ')}\t${lvlPath(product.category.path, level)}`);
      }
    }
    for (const scope of [ALL, lvl1]) {
      const list = prices.get(scope) ?? [];
      list.push(product.price);
      prices.set(scope, list);
    }
  }

  for (const query of trainQueries) {
    addBigrams(normaliseText(query.query).tokens, undefined, QUERY_WEIGHT * Math.max(1, query.popularity));
    for (const token of normaliseText(query.query).tokens) {
      kinds.set(token, (kinds.get(token) ?? 0) | WordKind.Query);
      bump(counts, token, QUERY_WEIGHT * Math.max(1, query.popularity));
    }
  }

  const colours = new Map<string, Set<string>>();
  for (const value of colourValues) {
    const tokens = normaliseText(value).tokens;
    // Every word and the whole value name a colour family: "matte black" is also "black".
    for (const phrase of new Set([tokens.join(' '), ...tokens])) {
      if (phrase.length < 3 || /\d/.test(phrase)) continue;
      const set = colours.get(phrase) ?? new Set<string>();
      set.add(value);
      colours.set(phrase, set);
    }
  }

  const byKey = <T>(a: [string, ...T[]], b: [string, ...T[]]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  return {
    version,
    words: [...kinds.entries()].map(([word, kind]): [string, number, number] => [word, counts.get(word) ?? 0, kind]).sort(byKey),
    brands: [...brandCounts.entries()].map(([key, n]): [string, string, number] => [key, brandDisplay.get(key)!, n]).sort(byKey),
    colours: [...colours.entries()].map(([key, values]): [string, string[]] => [key, [...values].sort().slice(0, 20)]).sort(byKey),
    modelNumbers: [...modelNumbers].sort(),
    categoryNames: [...categoryCounts.entries()]
      .map(([key, n]): [string, string, number] => {
        const [name, path] = key.split('\t') as [string, string];
        return [name, path, n];
      })
      .sort(byKey),
    units,
    prices: Object.fromEntries([...prices.entries()].map(([scope, list]) => [scope, quartiles(list)])),
    bigrams: [...bigrams.entries()].filter(([, n]) => n >= 2).sort(byKey),
  };
}
