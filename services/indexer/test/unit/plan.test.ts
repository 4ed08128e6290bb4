import type { CatalogEvent } from '@search-mesh/contracts';
import { toSearchDocument } from '@search-mesh/search-index';
import { planWrites, productsNeedingCurrentState } from '../../src/domain/plan';
import { sampleProduct } from '../../../../libs/search-index/test/fixtures';

const NOW = '2026-01-01T00:00:00.000Z';
const base = { schema: 'catalog.v1' as const, occurredAt: NOW };
const upsert = (id: string, version: number, price = 100): CatalogEvent => ({
  ...base, type: 'product.upserted', productId: id, version, product: sampleProduct({ id, price }),
});
const price = (id: string, version: number, value: number): CatalogEvent => ({ ...base, type: 'product.price_changed', productId: id, version, price: value });
const stock = (id: string, version: number, value: number): CatalogEvent => ({ ...base, type: 'product.stock_changed', productId: id, version, stock: value });
const del = (id: string, version: number): CatalogEvent => ({ ...base, type: 'product.deleted', productId: id, version });

describe('planWrites', () => {
  it('folds a product\'s events into one write at its newest version, whatever the arrival order', () => {
    const plan = planWrites([price('a', 3, 80), upsert('a', 1), upsert('a', 2, 90), stock('a', 4, 0)], new Map(), NOW);
    expect(plan.writes).toHaveLength(1);
    const write = plan.writes[0]!;
    expect(write).toMatchObject({ op: 'index', id: 'a', version: 4 });
    if (write.op === 'index') expect(write.doc).toMatchObject({ price: 80, stock: 0, in_stock: false, version: 4 });
  });

  it('ignores duplicates and versions not newer than the index has', () => {
    const current = new Map([['a', { doc: toSearchDocument(sampleProduct({ id: 'a' }), 5, NOW), version: 5 }]]);
    const plan = planWrites([price('a', 4, 1), price('a', 5, 2), price('a', 6, 3), price('a', 6, 3)], current, NOW);
    expect(plan.stale).toBe(3);
    expect(plan.writes).toEqual([expect.objectContaining({ op: 'index', version: 6, doc: expect.objectContaining({ price: 3 }) })]);
  });

  it('writes nothing when every event is stale', () => {
    const current = new Map([['a', { doc: toSearchDocument(sampleProduct({ id: 'a' }), 9, NOW), version: 9 }]]);
    expect(planWrites([upsert('a', 3), price('a', 8, 1)], current, NOW)).toEqual({ writes: [], stale: 2, rejected: [] });
  });

  it('deletes at the delete\'s version, and an upsert after it brings the product back', () => {
    expect(planWrites([upsert('a', 1), del('a', 2)], new Map(), NOW).writes).toEqual([{ op: 'delete', id: 'a', version: 2 }]);
    expect(planWrites([upsert('a', 1), del('a', 2), upsert('a', 3)], new Map(), NOW).writes[0]).toMatchObject({ op: 'index', version: 3 });
  });

  it('rejects a change to a product the index does not have, or that was deleted', () => {
    const plan = planWrites([price('ghost', 2, 10), del('b', 1), stock('b', 2, 5)], new Map([['ghost', { doc: undefined, version: undefined }]]), NOW);
    expect(plan.rejected.map((r) => [r.event.productId, r.reason])).toEqual([
      ['ghost', 'change to a product the index does not have'],
      ['b', 'change to a deleted product'],
    ]);
    expect(plan.writes).toEqual([{ op: 'delete', id: 'b', version: 1 }]);
  });

  it('asks for the current state only of products whose first event in the batch is a partial change', () => {
    expect(productsNeedingCurrentState([price('a', 5, 1), upsert('a', 4), stock('b', 2, 1), upsert('c', 1), price('c', 2, 3)])).toEqual(['b']);
  });
});
