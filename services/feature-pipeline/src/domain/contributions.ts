import type { BehaviourEvent } from '@search-mesh/contracts';
import { normaliseQuery } from '@search-mesh/catalog';
import type { FeatureKind, Increment } from '@search-mesh/feature-store';

/** One feature key an event counts towards, and what it adds there. */
export interface Contribution {
  kind: FeatureKind;
  /** Partition key values: [productId] or [normalised query, productId]. */
  key: string[];
  increment: Increment;
}

const KIND_OF = { 'product.clicked': 1, 'cart.added': 2, 'order.purchased': 3 } as const;

/**
 * What an event counts towards: an impression counts once per product shown (for the product and for the
 * query and product); a click, add to cart or purchase once for the product and, when it came from a search,
 * for the query and product. Submitted queries feed the query log, not these features.
 */
export function contributions(event: BehaviourEvent): Contribution[] {
  const at = event.occurredAt;
  switch (event.type) {
    case 'search.impression': {
      const query = normaliseQuery(event.query);
      const out: Contribution[] = [];
      const seen = new Set<string>();
      for (const { productId } of event.products) {
        if (seen.has(productId)) continue; // a product listed twice was still shown once
        seen.add(productId);
        out.push({ kind: 'product', key: [productId], increment: { at, kind: 0 } });
        if (query !== '') out.push({ kind: 'queryProduct', key: [query, productId], increment: { at, kind: 0 } });
      }
      return out;
    }
    case 'product.clicked':
    case 'cart.added':
    case 'order.purchased': {
      const kind = KIND_OF[event.type];
      const out: Contribution[] = [{ kind: 'product', key: [event.productId], increment: { at, kind } }];
      const query = event.query === undefined ? '' : normaliseQuery(event.query);
      if (query !== '') out.push({ kind: 'queryProduct', key: [query, event.productId], increment: { at, kind } });
      return out;
    }
    case 'query.submitted':
      return [];
  }
}

/** The cache key of a feature key. */
export function stateId(kind: FeatureKind, key: readonly string[]): string {
  return `${kind}\u0000${key.join('\u0000')}`;
}
