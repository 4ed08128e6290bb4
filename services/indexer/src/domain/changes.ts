import type { CatalogEvent } from '@search-mesh/contracts';

/** Product ids of the generated catalog: `p` and the zero-padded index, as the generator names them. */
export function productId(index: number): string {
  return `p${String(index).padStart(7, '0')}`;
}

/**
 * Random price and stock changes over a catalog of `size` products, with versions from the clock (so
 * newer than the catalog's version 1 and than earlier changes). Deterministic but for the versions.
 */
export function* catalogChanges(opts: { seed: number; size: number; count: number; now?: () => number }): Generator<CatalogEvent> {
  let state = opts.seed >>> 0 || 1;
  const random = () => {
    // xorshift32: small and good enough to pick products and amounts.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const now = opts.now ?? Date.now;
  const base = now() * 1000;
  for (let i = 0; i < opts.count; i++) {
    const productId_ = productId(Math.floor(random() * opts.size));
    const common = { schema: 'catalog.v1' as const, productId: productId_, version: base + i, occurredAt: new Date().toISOString() };
    yield random() < 0.5
      ? { ...common, type: 'product.price_changed', price: Math.round((10 + random() * 2000) * 100) / 100 }
      : { ...common, type: 'product.stock_changed', stock: Math.floor(random() * 50) };
  }
}
