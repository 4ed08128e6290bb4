/**
 * Point-in-time training rows for the ranking trainer: one row per product shown in a logged impression,
 * with the features the online store could have known at that instant (built only from events that
 * happened strictly before it, through the same state and window code the pipeline and the reader use) and
 * the labels that followed it (click, add to cart, purchase attributed to the impression's request).
 */
import type { BehaviourEvent } from '@search-mesh/contracts';
import { normaliseQuery } from '@search-mesh/catalog';
import { computeFeatures, emptyState, type Features, type KeyState, applyEvent } from '@search-mesh/feature-store';
import { contributions, stateId } from './contributions';

export interface TrainingRow {
  requestId: string;
  query: string;
  productId: string;
  position: number;
  modelVersion: string;
  /** Impression time, epoch ms. */
  at: number;
  product: Features;
  queryProduct: Features;
  clicked: boolean;
  carted: boolean;
  purchased: boolean;
}

export interface TrainingSetOptions {
  /** Actions later than this after the impression are not attributed to it. */
  attributionWindowMs?: number;
}

type Impression = Extract<BehaviourEvent, { type: 'search.impression' }>;

export function buildTrainingRows(events: readonly BehaviourEvent[], options: TrainingSetOptions = {}): TrainingRow[] {
  const windowMs = options.attributionWindowMs ?? 30 * 60_000;
  const ordered = events.map((event, i) => ({ event, i })).sort((a, b) => a.event.occurredAt - b.event.occurredAt || a.i - b.i);

  // Labels: actions naming the impression's request and product, within the attribution window.
  const actions = new Map<string, { at: number; type: BehaviourEvent['type'] }[]>();
  for (const { event } of ordered) {
    if ((event.type === 'product.clicked' || event.type === 'cart.added' || event.type === 'order.purchased') && event.requestId) {
      const key = `${event.requestId}\u0000${event.productId}`;
      const list = actions.get(key);
      if (list) list.push({ at: event.occurredAt, type: event.type });
      else actions.set(key, [{ at: event.occurredAt, type: event.type }]);
    }
  }

  const states = new Map<string, KeyState>();
  const featuresOf = (id: string, at: number) => {
    const s = states.get(id);
    return computeFeatures(s ? [s] : [], at);
  };
  const rows: TrainingRow[] = [];
  for (let g = 0; g < ordered.length; ) {
    // Every event at the same instant: first the rows of its impressions (from strictly earlier events), then the events.
    const at = ordered[g]!.event.occurredAt;
    let end = g;
    while (end < ordered.length && ordered[end]!.event.occurredAt === at) end++;
    for (let k = g; k < end; k++) {
      const event = ordered[k]!.event;
      if (event.type !== 'search.impression') continue;
      rows.push(...impressionRows(event, featuresOf, actions, windowMs));
    }
    for (let k = g; k < end; k++) {
      for (const c of contributions(ordered[k]!.event)) {
        const id = stateId(c.kind, c.key);
        let s = states.get(id);
        if (!s) states.set(id, (s = emptyState()));
        applyEvent(s, s.offset + 1, c.increment.at, [c.increment]);
      }
    }
    g = end;
  }
  return rows;
}

function impressionRows(
  event: Impression,
  featuresOf: (id: string, at: number) => Features,
  actions: ReadonlyMap<string, { at: number; type: BehaviourEvent['type'] }[]>,
  windowMs: number,
): TrainingRow[] {
  const query = normaliseQuery(event.query);
  return event.products.map(({ productId, position }) => {
    const followed = (actions.get(`${event.requestId}\u0000${productId}`) ?? []).filter((a) => a.at >= event.occurredAt && a.at - event.occurredAt <= windowMs);
    return {
      requestId: event.requestId,
      query,
      productId,
      position,
      modelVersion: event.modelVersion,
      at: event.occurredAt,
      product: featuresOf(stateId('product', [productId]), event.occurredAt),
      queryProduct: featuresOf(stateId('queryProduct', [query, productId]), event.occurredAt),
      clicked: followed.some((a) => a.type === 'product.clicked'),
      carted: followed.some((a) => a.type === 'cart.added'),
      purchased: followed.some((a) => a.type === 'order.purchased'),
    };
  });
}
