/**
 * Everything product generation needs, computed once per (taxonomy, queries, seed): the sold leaves,
 * their share of products, their family and brand pool, and the query intents each leaf must serve.
 * Nothing here depends on the catalog size, so the first N products of any catalog are the same.
 */
import type { CategoryRef } from '@search-mesh/contracts';
import { type Assortment, buildAssortment } from '../assortment';
import { type CategoryResolver, createCategoryResolver } from '../categories';
import type { CategoryCount, QueryRecord } from '../data';
import { hash32 } from '../prng';
import { type CategoryNode, leavesUnder, type Taxonomy } from '../taxonomy';
import { contentTokens } from '../text';
import type { AttributeOption, AttributeSpec, Device, Family, ModelLine } from './families/define';
import { familyFor } from './families';
import { familyVocabulary, type FamilyVocabulary, type Intent, isInformative, type LineChoice, parseIntent } from './intent';
import { attributesOfLine, categoryWords, headNouns, lineFits, linesForCategory, tagMatches } from './line-fit';
import { nounsFor } from './nouns';

/** Share of products spread evenly over every sold leaf, so none is empty; the rest follows the queries. */
const FLOOR_SHARE = 0.25;
/** lvl1 counts weigh half as much as lvl2 counts: they say less about where a query's products are. */
const LVL1_FACTOR = 0.5;
/** Catalog size the intent rates are tuned for; smaller catalogs cover fewer queries. */
const REFERENCE_SIZE = 50_000;
/** Products each query intent should get at the reference size. */
const PRODUCTS_PER_INTENT = 6;
const MIN_INTENT_RATE = 0.1;
const MAX_INTENT_RATE = 0.75;

export interface LeafPlan {
  node: CategoryNode;
  category: CategoryRef;
  family: Family;
  specs: AttributeSpec[];
  /** Brand and line choices of ordinary products, with their weights. */
  pool: LineChoice[];
  poolWeights: number[];
  /** Attribute values each line implies through its tags. */
  lineAttributes: Map<ModelLine, Map<string, AttributeOption>>;
  /** What the category name itself says (brand of a brand store, device of "iPhone 6 Cases", ...). */
  base: Intent;
  /** Content stems of every name on the leaf's path: words its products carry through their category. */
  pathTokens: Set<string>;
  /** Stems of the leaf's and its parent's names: what kind of product this category sells. */
  categoryTokens: Set<string>;
  /** Head nouns of the leaf's name ("pod" for "Coffee Pods"). */
  heads: Set<string>;
  /** Devices its accessories fit: those of the kind the category names, else all the family's. */
  devices: Device[];
  nouns: string[];
  /** Query intents this leaf serves, with weights and the share of products made for them. */
  intents: Intent[];
  intentWeights: number[];
  intentRate: number;
  /** Share of the catalog's products. */
  weight: number;
}

export interface CatalogContext {
  /** 32-bit seed every product's generator derives from. */
  seed: number;
  assortment: Assortment;
  resolveCategory: CategoryResolver;
  leaves: LeafPlan[];
  /** Cumulative leaf weights, for picking a leaf with one draw. */
  cumulative: Float64Array;
}

export interface ContextOptions {
  seed?: number | string;
  taxonomy: Taxonomy;
  queries: readonly QueryRecord[];
}

export function createCatalogContext(options: ContextOptions): CatalogContext {
  const seed = seedNumber(options.seed ?? 42);
  const assortment = buildAssortment(options.taxonomy);
  if (assortment.leaves.length === 0) throw new Error('The taxonomy has no sellable leaf categories');
  const resolveCategory = createCategoryResolver(assortment);
  const queries = options.queries.filter((q) => q.hits > 0);

  const sold = new Set(assortment.leaves.map((l) => l.id));
  const soldLeavesCache = new Map<string, CategoryNode[]>();
  const soldLeavesUnder = (node: CategoryNode) => {
    let leaves = soldLeavesCache.get(node.id);
    if (leaves === undefined) {
      leaves = leavesUnder(node).filter((l) => sold.has(l.id));
      soldLeavesCache.set(node.id, leaves);
    }
    return leaves;
  };

  const weights = leafWeights(assortment.leaves, queries, resolveCategory, soldLeavesUnder);
  const productWords = new Set<string>();
  for (const id of assortment.nodeIds) for (const t of contentTokens(assortment.taxonomy.byId.get(id)?.name ?? '')) productWords.add(t);

  const vocabularies = new Map<Family, FamilyVocabulary>();
  const plans = new Map<string, LeafPlan>();
  const leaves = assortment.leaves.map((node) => {
    const family = familyFor(node);
    let vocabulary = vocabularies.get(family);
    if (vocabulary === undefined) {
      vocabulary = familyVocabulary(family);
      vocabularies.set(family, vocabulary);
    }
    const plan = planLeaf(node, family, vocabulary, productWords, weights.get(node.id) ?? 0);
    plans.set(node.id, plan);
    return plan;
  });

  assignIntents(queries, plans, resolveCategory, soldLeavesUnder, vocabularies, productWords);

  const cumulative = new Float64Array(leaves.length);
  let total = 0;
  leaves.forEach((leaf, i) => {
    total += leaf.weight;
    cumulative[i] = total;
  });
  return { seed, assortment, resolveCategory, leaves, cumulative };
}

function seedNumber(seed: number | string): number {
  return typeof seed === 'number' && Number.isInteger(seed) ? seed >>> 0 : hash32(String(seed));
}

/** Sorted by count, highest first (the files are, but nothing promises it). */
function byCount(entries: readonly CategoryCount[]): CategoryCount[] {
  return [...entries].sort((a, b) => b.count - a.count);
}

function leafWeights(
  leaves: readonly CategoryNode[],
  queries: readonly QueryRecord[],
  resolve: CategoryResolver,
  soldLeavesUnder: (node: CategoryNode) => CategoryNode[],
): Map<string, number> {
  const fromQueries = new Map<string, number>();
  let queryTotal = 0;
  const spread = (entries: readonly CategoryCount[], factor: number) => {
    const total = entries.reduce((sum, e) => sum + e.count, 0);
    if (total <= 0) return;
    for (const entry of entries) {
      const node = resolve(entry.value);
      if (node === undefined) continue;
      const targets = soldLeavesUnder(node);
      const share = (factor * entry.count) / total / targets.length;
      for (const leaf of targets) fromQueries.set(leaf.id, (fromQueries.get(leaf.id) ?? 0) + share);
      queryTotal += factor * (entry.count / total);
    }
  };
  for (const q of queries) {
    spread(q.lvl2, 1);
    spread(q.lvl1, LVL1_FACTOR);
  }
  const weights = new Map<string, number>();
  const floor = (queryTotal > 0 ? FLOOR_SHARE : 1) / leaves.length;
  for (const leaf of leaves) {
    const fromLog = queryTotal > 0 ? ((1 - FLOOR_SHARE) * (fromQueries.get(leaf.id) ?? 0)) / queryTotal : 0;
    weights.set(leaf.id, floor + fromLog);
  }
  return weights;
}

function planLeaf(node: CategoryNode, family: Family, vocabulary: FamilyVocabulary, productWords: ReadonlySet<string>, weight: number): LeafPlan {
  const parentName = node.path[node.path.length - 2];
  const specs = applicableSpecs(family.attributes, specScope(node.name, parentName));
  const pathTokens = new Set(node.path.flatMap((name) => contentTokens(name)));
  const base = parseIntent(node.name, { vocabulary, specs, leafTokens: pathTokens, productWords, isCategoryName: true });
  const nouns = nounsFor(node.name, parentName, base.consumed, family.noun);
  // The parent's name says what the category sells unless it groups several kinds ("Mounts & Screens").
  const parentWords = parentName !== undefined && !/[&,]/.test(parentName) ? categoryWords(parentName) : [];
  const categoryTokens = new Set([...categoryWords(node.name), ...parentWords]);

  const candidates = base.lines.length > 0 ? base.lines : family.brands.flatMap((brand): LineChoice[] => (brand.lines.length > 0 ? brand.lines.map((line) => ({ brand, line })) : [{ brand, line: undefined }]));
  const heads = headNouns(node.name);
  const pool = linesForCategory(candidates, { tokens: categoryTokens, heads }, base.attributes, specs);
  const plan: LeafPlan = {
    node,
    category: { id: node.id, path: node.path, pathIds: node.pathIds },
    family,
    specs,
    pool: [],
    poolWeights: [],
    lineAttributes: new Map(),
    base,
    pathTokens,
    categoryTokens,
    heads,
    devices: devicesFor(family.devices ?? [], pathTokens),
    nouns,
    intents: [],
    intentWeights: [],
    intentRate: 0,
    weight,
  };
  for (const choice of pool) addToPool(plan, choice);
  return plan;
}

function addToPool(plan: LeafPlan, choice: LineChoice): void {
  if (plan.pool.some((c) => c.brand === choice.brand && c.line === choice.line)) return;
  plan.pool.push(choice);
  plan.poolWeights.push(choice.brand.weight / Math.max(1, choice.brand.lines.length));
  noteLine(plan, choice);
}

function noteLine(plan: LeafPlan, choice: LineChoice): void {
  if (choice.line !== undefined && !plan.lineAttributes.has(choice.line)) plan.lineAttributes.set(choice.line, attributesOfLine(choice.line, plan.specs));
}

/** Words that name a kind of device in a category name. */
const DEVICE_KIND_WORDS: Readonly<Record<string, readonly string[]>> = {
  phone: ['phone', 'iphone', 'galaxy', 'smartphone', 'cell'],
  tablet: ['tablet', 'ipad', 'reader', 'kindle'],
  watch: ['watch', 'smartwatch', 'fitbit', 'tracker', 'wearable'],
  laptop: ['laptop', 'macbook', 'notebook', 'chromebook'],
  camera: ['camera', 'dslr', 'camcorder', 'lens'],
};

function devicesFor(devices: readonly Device[], categoryTokens: ReadonlySet<string>): Device[] {
  const named = devices.filter((d) => DEVICE_KIND_WORDS[d.kind]?.some((w) => categoryTokens.has(w)) === true);
  return named.length > 0 ? named : [...devices];
}

/** The words attribute specs are scoped by: the leaf's name, and its parent's unless that groups several kinds. */
function specScope(name: string, parentName: string | undefined): string {
  const parent = parentName !== undefined && !/[&,]/.test(parentName) ? ` > ${parentName}` : '';
  return `${name}${parent}`.toLowerCase();
}

/** A family's attribute specs that apply to a category; the first spec of each name wins. */
function applicableSpecs(specs: readonly AttributeSpec[], scope: string): AttributeSpec[] {
  const seen = new Set<string>();
  return specs.filter((spec) => {
    if (seen.has(spec.name)) return false;
    if (spec.when !== undefined && !spec.when.test(scope)) return false;
    if (spec.unless?.test(scope) === true) return false;
    seen.add(spec.name);
    return true;
  });
}

/**
 * Each query with hits goes to one leaf under its top lvl2 category when that lies inside its top lvl1
 * category, else under the lvl1 category itself: the leaf whose name shares most of its words, then
 * the heaviest.
 */
function assignIntents(
  queries: readonly QueryRecord[],
  plans: ReadonlyMap<string, LeafPlan>,
  resolve: CategoryResolver,
  soldLeavesUnder: (node: CategoryNode) => CategoryNode[],
  vocabularies: ReadonlyMap<Family, FamilyVocabulary>,
  productWords: ReadonlySet<string>,
): void {
  for (const q of queries) {
    const target = queryTarget(q, resolve);
    if (target === undefined) continue;
    const plan = bestLeaf(new Set(contentTokens(q.query)), soldLeavesUnder(target).map((leaf) => plans.get(leaf.id) as LeafPlan));
    if (plan === undefined) continue;
    const vocabulary = vocabularies.get(plan.family) as FamilyVocabulary;
    const intent = parseIntent(q.query, { vocabulary, specs: plan.specs, leafTokens: plan.pathTokens, productWords });
    if (!isInformative(intent)) continue;
    // A named line is what the shopper asked for; a brand alone brings the brand's lines that fit here.
    const fitting = intent.lineNamed
      ? intent.lines.filter((c) => lineFits(c.line, plan.categoryTokens, plan.base.attributes, plan.specs))
      : linesForCategory(intent.lines, { tokens: plan.categoryTokens, heads: plan.heads }, plan.base.attributes, plan.specs);
    if (fitting.length > 0) intent.lines = fitting;
    plan.intents.push(intent);
    plan.intentWeights.push(1 + 0.5 * Math.log1p(q.popularity));
    // "Brand names from queries become brands in those categories": ordinary products carry them too.
    // (Only lines at home here: an untagged line, or one tagged for this category.)
    for (const choice of intent.lines) {
      const atHome = choice.line === undefined || choice.line.tags.length === 0 || tagMatches(choice.line, plan.categoryTokens);
      if (atHome && lineFits(choice.line, plan.categoryTokens, plan.base.attributes, plan.specs)) addToPool(plan, choice);
      else noteLine(plan, choice);
    }
  }
  // A leaf serving many queries grows until its intents fit within the maximum rate; then shares are
  // renormalised so they still sum to 1.
  const wanted = (plan: LeafPlan) => plan.intents.length * PRODUCTS_PER_INTENT;
  let total = 0;
  for (const plan of plans.values()) {
    plan.weight = Math.max(plan.weight, wanted(plan) / (MAX_INTENT_RATE * REFERENCE_SIZE));
    total += plan.weight;
  }
  for (const plan of plans.values()) {
    plan.weight /= total;
    if (plan.intents.length > 0) {
      plan.intentRate = Math.min(MAX_INTENT_RATE, Math.max(MIN_INTENT_RATE, wanted(plan) / (plan.weight * REFERENCE_SIZE)));
    }
  }
}

/** The category a query's products belong to, or undefined when none of its categories is sold. */
export function queryTarget(q: QueryRecord, resolve: CategoryResolver): CategoryNode | undefined {
  const top = topCategory(q, resolve);
  if (top === undefined) return undefined;
  for (const entry of byCount(q.lvl2)) {
    const node = resolve(entry.value);
    if (node !== undefined && node.pathIds.includes(top.id)) return node;
  }
  return top;
}

/** The query's top lvl1 category that the store sells (falling back to lvl0). */
export function topCategory(q: QueryRecord, resolve: CategoryResolver): CategoryNode | undefined {
  for (const level of [q.lvl1, q.lvl0]) {
    for (const entry of byCount(level)) {
      const node = resolve(entry.value);
      if (node !== undefined) return node;
    }
  }
  return undefined;
}

/** The leaf whose name shares most words with the query ("fire tv" → "Fire TV Devices"), then the heaviest. */
function bestLeaf(queryWords: ReadonlySet<string>, plans: readonly LeafPlan[]): LeafPlan | undefined {
  let best: LeafPlan | undefined;
  let bestShared = -1;
  for (const plan of plans) {
    let shared = 0;
    for (const w of queryWords) if (plan.categoryTokens.has(w)) shared++;
    if (shared > bestShared || (shared === bestShared && best !== undefined && plan.weight > best.weight)) {
      best = plan;
      bestShared = shared;
    }
  }
  return best;
}
