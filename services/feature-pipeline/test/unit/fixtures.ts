import type { BehaviourEvent } from '@search-mesh/contracts';

export const AT = Date.UTC(2026, 0, 10, 12, 0, 0);
const base = { schema: 'behaviour.v1' as const, sessionId: 's1', occurredAt: AT };

export const ev = {
  impression: (query: string, ids: string[], eventId = 'e1'): BehaviourEvent => ({
    ...base,
    eventId,
    type: 'search.impression',
    requestId: 'r1',
    query,
    modelVersion: 'm1',
    products: ids.map((productId, i) => ({ productId, position: i + 1 })),
  }),
  click: (productId: string, query?: string): BehaviourEvent => ({ ...base, eventId: 'e2', type: 'product.clicked', productId, ...(query ? { query } : {}) }),
  cart: (productId: string): BehaviourEvent => ({ ...base, eventId: 'e3', type: 'cart.added', productId, quantity: 2 }),
  purchase: (productId: string, query: string): BehaviourEvent => ({ ...base, eventId: 'e4', type: 'order.purchased', productId, query, quantity: 1, price: 9.5 }),
  query: (query: string): BehaviourEvent => ({ ...base, eventId: 'e5', type: 'query.submitted', requestId: 'r1', query }),
};
