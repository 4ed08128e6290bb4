import type { QueryFacts } from '../../src/domain/entries';
import type { EntityInput } from '../../src/domain/entries';
import { Suggester } from '../../src/domain/suggester';

/** A tiny store: which words have products, and in which categories. */
const CATALOG: Record<string, string> = {
  samsung: 'Cell Phones > Cell Phones > Samsung Galaxy',
  galaxy: 'Cell Phones > Cell Phones > Samsung Galaxy',
  tv: 'TV & Home Theater > TVs > 4K Ultra HD TVs',
  tvs: 'TV & Home Theater > TVs > 4K Ultra HD TVs',
  television: 'TV & Home Theater > TVs > 4K Ultra HD TVs',
  refrigerator: 'Appliances > Refrigerators > French Door Refrigerators',
  laptop: 'Computers & Tablets > Laptops > All Laptops',
  case: 'Cell Phones > Cell Phone Accessories > Cases',
  iphone: 'Cell Phones > Cell Phone Accessories > Cases',
  cafe: 'Appliances > Coffee > Espresso',
  sony: 'TV & Home Theater > TVs > 4K Ultra HD TVs',
};

/** Facts of a query: found when every word is in the tiny store; scoped to the first word's category. */
export function facts(text: string): QueryFacts | null {
  const ws = text.toLowerCase().split(' ');
  if (!ws.every((w) => w in CATALOG)) return null;
  const category = CATALOG[ws[0] as string] as string;
  return { matches: 10, categories: [category], scope: category, scopes: new Map([[category, 10]]) };
}

export const SEED = [
  { text: 'samsung galaxy', popularity: 900 },
  { text: 'samsung tv', popularity: 800 },
  { text: 'sony tv', popularity: 300 },
  { text: 'television', popularity: 500 },
  { text: 'refrigerator', popularity: 400 },
  { text: 'laptop', popularity: 700 },
  { text: 'iphone case', popularity: 650 },
  { text: 'cafe', popularity: 50 },
  { text: 'unicorn blender', popularity: 10_000 },
];

export const ENTITIES: EntityInput[] = [
  { text: 'Samsung', kind: 'brand', score: 0, raw: 5, categories: ['Cell Phones > Cell Phones > Samsung Galaxy'] },
  { text: 'Café Appliances', kind: 'brand', score: 0, raw: 2, categories: ['Appliances > Coffee > Espresso'] },
  { text: 'TVs', kind: 'category', score: 0, raw: 4, categories: ['TV & Home Theater > TVs'] },
];

/** Weights fixed here, so the expected orders do not move when the defaults are tuned. */
export function suggester(): Suggester {
  return new Suggester({ seedQueries: SEED, entities: ENTITIES, facts, weights: { entity: 0.5, infix: 0.15, edit: 0.12, outOfOrder: 0.5 } });
}
