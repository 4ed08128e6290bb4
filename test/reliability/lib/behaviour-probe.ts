import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { Client } from 'cassandra-driver';
import { normaliseQuery } from '@search-mesh/catalog';
import type { BehaviourEvent } from '@search-mesh/contracts';
import { FeatureStoreReader, type Features } from '@search-mesh/feature-store';
import { sleep } from '@search-mesh/testing';
import { BehaviourPublisher } from '../../../services/feature-pipeline/src/adapters/behaviour-publisher';

/** Which count each event type adds to: impressions, clicks, carts, purchases. */
const TYPES = ['search.impression', 'product.clicked', 'cart.added', 'order.purchased'] as const;

export interface BehaviourResult {
  attempted: number;
  notAcknowledged: number;
  /** Acknowledged events whose count is missing from Cassandra (product or query-product). */
  lost: number;
  /** Acknowledged events counted more than once. */
  doubleCounted: number;
  /** Not acknowledged, yet counted (Kafka took them but the answer was lost: allowed, never twice). */
  unacknowledgedCounted: number;
  lostIds: string[];
  doubleIds: string[];
  query: string;
}

/**
 * Behaviour events published through a run, each acknowledged by Kafka (acks=-1) or known not to be, and
 * afterwards checked against what the feature pipeline counted into Cassandra. Every event names a product
 * of its own (`fb-<run>-<n>`, which neither the catalog nor the traffic simulator uses), and the same query,
 * so each product's and each (query, product)'s counts must be exactly its one event: 0 is a lost event,
 * 2 one counted twice. Each tick publishes one of each kind (impression, click, add to cart, purchase).
 */
export class BehaviourProbe {
  private readonly publisher: BehaviourPublisher;
  private readonly run = randomUUID().slice(0, 8);
  readonly query: string;
  private readonly acked = new Map<string, number>();
  private readonly unacked = new Map<string, number>();
  private attempted = 0;
  private writing = false;
  private loop: Promise<void> | undefined;

  constructor(
    kafka: Kafka,
    private readonly namespace: string,
  ) {
    this.publisher = new BehaviourPublisher(kafka, namespace);
    this.query = `faults behaviour probe ${this.run}`;
  }

  async start(intervalMs = 250): Promise<void> {
    await this.publisher.connect();
    this.writing = true;
    this.loop = (async () => {
      for (let n = 0; this.writing; n++) {
        const events = TYPES.map((type, kind) => this.event(type, `fb-${this.run}-${n * TYPES.length + kind}`));
        this.attempted += events.length;
        try {
          await this.publisher.publish(events);
          events.forEach((e, kind) => this.acked.set(productOf(e), kind));
        } catch {
          events.forEach((e, kind) => this.unacked.set(productOf(e), kind)); // the writer was told
        }
        await sleep(intervalMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.writing = false;
    await this.loop;
    await this.publisher.disconnect();
  }

  /** Waits (up to `timeoutMs`) until every acknowledged event is counted, then compares counts exactly. */
  async verify(cassandra: Client, timeoutMs = 120_000): Promise<BehaviourResult> {
    const reader = new FeatureStoreReader(cassandra, { namespace: this.namespace });
    const ids = [...this.acked.keys(), ...this.unacked.keys()];
    const read = async () => {
      const products = await reader.productFeatures(ids, { cache: false, deadlineMs: 20_000 });
      const pairs = await reader.queryProductFeatures(normaliseQuery(this.query), ids, { cache: false, deadlineMs: 20_000 });
      return { products, pairs };
    };
    const deadline = Date.now() + timeoutMs;
    let result = this.compare(await read());
    while (result.lost > 0 && Date.now() < deadline) {
      await sleep(2000);
      result = this.compare(await read());
    }
    // The pipeline may still be applying a redelivered batch: read once more for anything counted twice.
    await sleep(3000);
    return this.compare(await read());
  }

  private compare({ products, pairs }: { products: Map<string, Features>; pairs: Map<string, Features> }): BehaviourResult {
    const lostIds: string[] = [];
    const doubleIds: string[] = [];
    const unacknowledgedCounted = new Set<string>();
    const check = (id: string, kind: number, acked: boolean) => {
      for (const features of [products.get(id), pairs.get(id)]) {
        const w = features?.windows['7d'];
        const counts = w === undefined ? [0, 0, 0, 0] : [w.impressions, w.clicks, w.carts, w.purchases];
        const mine = counts[kind]!;
        const others = counts.reduce((a, b) => a + b, 0) - mine;
        if (mine > 1 || others > 0) doubleIds.push(id);
        else if (acked && mine === 0) lostIds.push(id);
        else if (!acked && mine === 1) unacknowledgedCounted.add(id);
      }
    };
    for (const [id, kind] of this.acked) check(id, kind, true);
    for (const [id, kind] of this.unacked) check(id, kind, false);
    return {
      attempted: this.attempted,
      notAcknowledged: this.unacked.size,
      lost: new Set(lostIds).size,
      doubleCounted: new Set(doubleIds).size,
      unacknowledgedCounted: unacknowledgedCounted.size,
      lostIds: [...new Set(lostIds)].slice(0, 10),
      doubleIds: [...new Set(doubleIds)].slice(0, 10),
      query: this.query,
    };
  }

  private event(type: (typeof TYPES)[number], productId: string): BehaviourEvent {
    const envelope = { schema: 'behaviour.v1' as const, eventId: `e-${productId}`, sessionId: `s-${this.run}-${productId}`, occurredAt: Date.now() };
    if (type === 'search.impression') return { ...envelope, type, requestId: `r-${productId}`, query: this.query, modelVersion: '', products: [{ productId, position: 1 }] };
    if (type === 'product.clicked') return { ...envelope, type, productId, query: this.query, position: 1 };
    if (type === 'cart.added') return { ...envelope, type, productId, query: this.query, position: 1, quantity: 1 };
    return { ...envelope, type, productId, query: this.query, position: 1, quantity: 1, price: 10 };
  }
}

function productOf(event: BehaviourEvent): string {
  if (event.type === 'search.impression') return event.products[0]!.productId;
  if (event.type === 'query.submitted') throw new Error('not published by the probe');
  return event.productId;
}
