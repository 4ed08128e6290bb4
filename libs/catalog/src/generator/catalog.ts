/** Streams of products: a whole catalog, or any range of it, without holding more than one product. */
import type { Product } from '@search-mesh/contracts';
import type { QueryRecord } from '../data';
import type { Taxonomy } from '../taxonomy';
import { type CatalogContext, createCatalogContext } from './context';
import { generateProduct } from './product';

export interface CatalogOptions {
  seed?: number | string;
  size?: number;
  taxonomy: Taxonomy;
  queries: readonly QueryRecord[];
}

/** Products 0..size-1 of the catalog for `seed`, generated lazily. */
export function* generateCatalog(options: CatalogOptions): Generator<Product, void, undefined> {
  const size = options.size ?? 50_000;
  if (!Number.isInteger(size) || size < 0) throw new Error(`size must be a non-negative integer, got ${size}`);
  const ctx = createCatalogContext(options);
  yield* generateRange(0, size, ctx);
}

/** Products start..end-1 (end exclusive); equal to the same slice of `generateCatalog` for the same context. */
export function* generateRange(start: number, end: number, ctx: CatalogContext): Generator<Product, void, undefined> {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start) {
    throw new Error(`invalid range [${start}, ${end})`);
  }
  for (let i = start; i < end; i++) yield generateProduct(i, ctx);
}
