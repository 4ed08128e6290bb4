import { decodeCatalogEvent } from '../../src/domain/decode';
import { chunks } from '../../src/adapters/catalog-consumer';
import { sampleProduct } from '../../../../libs/search-index/test/fixtures';

const valid = {
  schema: 'catalog.v1',
  type: 'product.upserted',
  productId: 'p0000001',
  version: 1,
  occurredAt: '2026-01-01T00:00:00.000Z',
  product: sampleProduct(),
};
const buf = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('decodeCatalogEvent', () => {
  it('accepts a valid event', () => {
    expect(decodeCatalogEvent('p0000001', buf(valid))).toEqual({ ok: true, event: valid });
  });

  it.each([
    ['not JSON', buf('{oops'), /not JSON/],
    ['an empty message', null, /empty message/],
    ['a missing version', buf({ ...valid, version: undefined }), /\/version/],
    ['a negative price', buf({ ...valid, type: 'product.price_changed', product: undefined, price: -1 }), /invalid product.price_changed: \/price/],
    ['an unknown type', buf({ ...valid, type: 'product.exploded' }), /unknown event type "product.exploded"/],
    ['a bad product field', buf({ ...valid, product: { ...valid.product, rating: 9 } }), /\/product\/rating/],
  ])('rejects %s with a reason naming the problem', (_what, value, reason) => {
    const decoded = decodeCatalogEvent('p0000001', value);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toMatch(reason);
  });

  it('rejects a key that does not match the product id', () => {
    const decoded = decodeCatalogEvent('p9', buf(valid));
    expect(decoded).toMatchObject({ ok: false, field: '/productId' });
  });
});

describe('chunks', () => {
  const message = (size: number) => ({ value: Buffer.alloc(size), key: null, offset: '0', timestamp: '0', attributes: 0, headers: {} });
  it('bounds chunks by count and by bytes', () => {
    const sizes = [...chunks(Array.from({ length: 10 }, () => message(10)), 4, 1000)].map((c) => c.length);
    expect(sizes).toEqual([4, 4, 2]);
    const bySize = [...chunks([message(600), message(600), message(100)], 100, 1000)].map((c) => c.length);
    expect(bySize).toEqual([1, 2]);
  });
});
