import type { CatalogEvent } from '@search-mesh/contracts';
import { type SearchDocument, toSearchDocument } from '@search-mesh/search-index';

/** What the index holds for a product now: its document and version, or a version-less absence. */
export interface Current {
  doc: SearchDocument | undefined;
  version: number | undefined;
}

export type Write =
  | { op: 'index'; id: string; version: number; doc: SearchDocument }
  | { op: 'delete'; id: string; version: number };

export interface Plan {
  writes: Write[];
  /** Events older than (or equal to) what is already known: duplicates and reordered stragglers. */
  stale: number;
  /** Events that cannot apply, with why (e.g. a price change for a product never upserted). */
  rejected: Array<{ event: CatalogEvent; reason: string }>;
}

/** Products whose newest state cannot be computed from the batch alone: they start with a partial change. */
export function productsNeedingCurrentState(events: readonly CatalogEvent[]): string[] {
  const first = new Map<string, CatalogEvent>();
  for (const e of events) {
    const seen = first.get(e.productId);
    if (seen === undefined || e.version < seen.version) first.set(e.productId, e);
  }
  return [...first.values()].filter((e) => e.type === 'product.price_changed' || e.type === 'product.stock_changed').map((e) => e.productId);
}

/**
 * Folds a batch of valid events into at most one write per product: its newest state, at its newest
 * version. Pure: `current` holds what the index has for the products that need it, `now` stamps docs.
 */
export function planWrites(events: readonly CatalogEvent[], current: ReadonlyMap<string, Current>, now: string): Plan {
  const byProduct = new Map<string, CatalogEvent[]>();
  for (const e of events) {
    const list = byProduct.get(e.productId);
    if (list) list.push(e);
    else byProduct.set(e.productId, [e]);
  }
  const plan: Plan = { writes: [], stale: 0, rejected: [] };
  for (const [id, list] of byProduct) {
    list.sort((a, b) => a.version - b.version);
    const known = current.get(id);
    let doc = known?.doc;
    let version = known?.version ?? 0;
    let deleted = false;
    let changed = false;
    for (const e of list) {
      if (e.version <= version) {
        plan.stale++;
        continue;
      }
      switch (e.type) {
        case 'product.upserted':
          doc = toSearchDocument(e.product, e.version, now);
          deleted = false;
          break;
        case 'product.deleted':
          doc = undefined;
          deleted = true;
          break;
        case 'product.price_changed':
        case 'product.stock_changed':
          if (doc === undefined) {
            plan.rejected.push({ event: e, reason: deleted ? 'change to a deleted product' : 'change to a product the index does not have' });
            continue;
          }
          doc = e.type === 'product.price_changed' ? { ...doc, price: e.price } : { ...doc, stock: e.stock, in_stock: e.stock > 0 };
          break;
      }
      version = e.version;
      changed = true;
    }
    if (!changed) continue;
    if (deleted || doc === undefined) plan.writes.push({ op: 'delete', id, version });
    else plan.writes.push({ op: 'index', id, version, doc: { ...doc, version, indexed_at: now } });
  }
  return plan;
}
