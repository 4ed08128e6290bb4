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

/** Receives one contribution: the key is [productId], or [query, productId] when `query` is given. */
export type ContributionVisitor = (kind: FeatureKind, productId: string, query: string | undefined, increment: Increment) => void;

/**
 * What an event counts towards: an impression counts once per product shown (for the product and for the
 * query and product); a click, add to cart or purchase once for the product and, when it came from a search,
 * for the query and product. Submitted queries feed the query log, not these features. Visits instead of
 * returning a list (the aggregator's hot loop: ~20 contributions per impression, no key arrays or objects
 * per contribution; one increment object per event, shared and never mutated); `normalise` lets a caller
 * cache the normalisation of a chunk's repeated queries.
 */
export function visitContributions(event: BehaviourEvent, visit: ContributionVisitor, normalise: (query: string) => string = normaliseQuery): void {
  const at = event.occurredAt;
  switch (event.type) {
    case 'search.impression': {
      const query = normalise(event.query);
      const increment: Increment = { at, kind: 0 };
      const products = event.products;
      for (let i = 0; i < products.length; i++) {
        const productId = products[i]!.productId;
        let repeated = false; // a product listed twice was still shown once (pages are short: a scan beats a Set)
        for (let j = 0; j < i && !repeated; j++) repeated = products[j]!.productId === productId;
        if (repeated) continue;
        visit('product', productId, undefined, increment);
        if (query !== '') visit('queryProduct', productId, query, increment);
      }
      return;
    }
    case 'product.clicked':
    case 'cart.added':
    case 'order.purchased': {
      const increment: Increment = { at, kind: KIND_OF[event.type] };
      visit('product', event.productId, undefined, increment);
      const query = event.query === undefined ? '' : normalise(event.query);
      if (query !== '') visit('queryProduct', event.productId, query, increment);
      return;
    }
    case 'query.submitted':
      return;
  }
}

/** `visitContributions` as a list (the training sets, tests). */
export function contributions(event: BehaviourEvent): Contribution[] {
  const out: Contribution[] = [];
  visitContributions(event, (kind, productId, query, increment) => out.push({ kind, key: query === undefined ? [productId] : [query, productId], increment }));
  return out;
}

/** The cache key of a feature key. */
export function stateId(kind: FeatureKind, key: readonly string[]): string {
  return `${kind}\u0000${key.join('\u0000')}`;
}
