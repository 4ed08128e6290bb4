/**
 * The click simulator the ranking model learns from (pure, deterministic by seed). A query's relevance
 * for a product comes from the real query log's category counts (which categories shoppers clicked for
 * that query at Best Buy), the share of the query's words the product has (title, brand, line, category,
 * attribute values), its quality (rating smoothed by review count, popularity), its price against its
 * category's median, and its stock. Shoppers examine results with a position bias and click what they
 * examine with a probability growing with relevance (a position-based click model); some add to cart.
 */
import { contentTokens, Prng, productTokens, type Product, type QueryRecord } from '@search-mesh/catalog';

export const MAX_GRADE = 4;

export interface ClickModelOptions {
  /** Examination probability at 0-based position p: (1 + p)^-positionDecay. */
  positionDecay?: number;
  /** Results a session shows (two pages). */
  shown?: number;
  /** Share of sessions showing a random sample of the window in random order (exploration). */
  exploreShare?: number;
}

export interface QueryContext {
  words: string[];
  lvl1: Map<string, number>;
  lvl2: Map<string, number>;
}

/** Category shares of a logged query, normalised by the largest (1 = the query's main category). */
export function queryContext(q: QueryRecord): QueryContext {
  const shares = (counts: QueryRecord['lvl1']) => {
    const max = Math.max(1, ...counts.map((c) => c.count));
    return new Map(counts.map((c) => [c.value, c.count / max]));
  };
  return { words: [...new Set(contentTokens(q.query))], lvl1: shares(q.lvl1), lvl2: shares(q.lvl2) };
}

/** Median price per leaf category id. */
export function categoryMedians(products: Iterable<Product>): Map<string, number> {
  const prices = new Map<string, number[]>();
  for (const p of products) {
    const list = prices.get(p.category.id);
    if (list) list.push(p.price);
    else prices.set(p.category.id, [p.price]);
  }
  const medians = new Map<string, number>();
  for (const [id, list] of prices) medians.set(id, list.sort((a, b) => a - b)[list.length >> 1]!);
  return medians;
}

/** How relevant a product is to a query, in [0, 1]. */
export function relevance(query: QueryContext, product: Product, medianPrice: number, tokens: ReadonlySet<string> = productTokens(product)): number {
  const path = product.category.path;
  const lvl1 = query.lvl1.get(path.slice(0, 2).join(' > ')) ?? 0;
  const lvl2 = query.lvl2.get(path.slice(0, 3).join(' > ')) ?? 0;
  const category = Math.max(0.6 * lvl2 + 0.4 * lvl1, 0.05);
  const covered = query.words.length === 0 ? 1 : query.words.filter((w) => tokens.has(w)).length / query.words.length;
  const rating = (product.rating * product.reviewCount + 3.5 * 20) / (product.reviewCount + 20);
  const quality = Math.min(1, Math.max(0, (rating - 3) / 2));
  const priceRatio = medianPrice > 0 ? product.price / medianPrice : 1;
  const price = Math.exp(-0.5 * Math.max(0, Math.log(priceRatio)));
  const stock = product.stock > 0 ? 1 : 0.25;
  return category ** 0.7 * (0.3 + 0.7 * covered ** 2) * (0.35 + 0.4 * quality + 0.25 * product.popularity) * price * stock;
}

/** The graded label 0–4 of a relevance. */
export const grade = (r: number): number => Math.min(MAX_GRADE, Math.floor(r * (MAX_GRADE + 1) * 1.25));

/** Click probability of an examined result of a grade. */
export const clickProbability = (g: number): number => 0.03 + 0.8 * (2 ** g - 1) / (2 ** MAX_GRADE - 1);

export interface Impression {
  /** Index in the retrieval window. */
  candidate: number;
  position: number;
  clicked: boolean;
  carted: boolean;
  explore: boolean;
}

/**
 * One shopper session on a query's window (grades per candidate, in retrieval order): which candidates
 * were shown where, and which were clicked and added to cart.
 */
export function simulateSession(grades: readonly number[], rng: Prng, options: ClickModelOptions = {}): Impression[] {
  const shown = Math.min(options.shown ?? 20, grades.length);
  const decay = options.positionDecay ?? 1;
  const explore = rng.chance(options.exploreShare ?? 0.3);
  let order = grades.map((_, i) => i);
  if (explore) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  }
  order = order.slice(0, shown);
  return order.map((candidate, position) => {
    const examined = rng.chance((1 + position) ** -decay);
    const clicked = examined && rng.chance(clickProbability(grades[candidate]!));
    const carted = clicked && rng.chance(0.08 + 0.07 * grades[candidate]!);
    return { candidate, position, clicked, carted, explore };
  });
}

/**
 * Examination propensity per position estimated from exploration sessions (random items, so the click
 * rate at a position is the examination rate times the mean attractiveness), relative to position 0.
 */
export function estimatePropensities(impressions: Iterable<Impression>, positions: number): number[] {
  const shownAt = new Array<number>(positions).fill(0);
  const clicksAt = new Array<number>(positions).fill(0);
  for (const imp of impressions) {
    if (!imp.explore || imp.position >= positions) continue;
    shownAt[imp.position]!++;
    if (imp.clicked) clicksAt[imp.position]!++;
  }
  const ctr = shownAt.map((n, p) => (n > 0 ? clicksAt[p]! / n : 0));
  const top = ctr[0]! > 0 ? ctr[0]! : 1;
  // Monotone and bounded below: a noisy low position never gets an exploding inverse weight.
  let last = 1;
  return ctr.map((c) => (last = Math.max(0.02, Math.min(last, c / top))));
}

/**
 * The training label of a candidate from its clicks: attractiveness = clicks / expected examinations
 * (inverse propensity), inverted through the click curve to a grade. Undefined when it was examined too
 * little to say.
 */
export function clickLabel(clicks: number, examinations: number, minExaminations = 0.5): number | undefined {
  if (examinations < minExaminations) return undefined;
  const attractiveness = Math.min(0.83, clicks / examinations);
  const g = Math.log2(1 + ((Math.max(0, attractiveness - 0.03) / 0.8) * (2 ** MAX_GRADE - 1)));
  return Math.max(0, Math.min(MAX_GRADE, Math.round(g)));
}

/** NDCG@k of an order of graded items (gains 2^g − 1, log2 discounts); NaN when nothing is relevant (skip it). */
export function ndcgAt(k: number, gradesInOrder: readonly number[]): number {
  const dcg = (gs: readonly number[]) => gs.slice(0, k).reduce((sum, g, i) => sum + (2 ** g - 1) / Math.log2(i + 2), 0);
  const ideal = dcg([...gradesInOrder].sort((a, b) => b - a));
  return ideal === 0 ? Number.NaN : dcg(gradesInOrder) / ideal;
}
