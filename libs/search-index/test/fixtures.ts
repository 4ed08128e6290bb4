import type { Product } from '@search-mesh/contracts';

/** A small, valid product for tests; override what a test is about. */
export function sampleProduct(overrides: Partial<Product> = {}): Product {
  return {
    id: 'p0000001',
    title: 'Samsung 65" Class Q80C QLED 4K Ultra HD Smart Tizen TV',
    brand: 'Samsung',
    modelLine: 'Q80C',
    modelNumber: 'QN65Q80CAFXZA',
    description: 'Quantum dot colour with Direct Full Array backlighting.',
    category: {
      id: 'abcat0101001',
      path: ['TV & Home Theater', 'TVs', '4K Ultra HD TVs'],
      pathIds: ['abcat0100000', 'abcat0101000', 'abcat0101001'],
    },
    attributes: [
      { name: 'screen_size', value: 65, unit: 'in' },
      { name: 'storage', value: 1, unit: 'TB' },
      { name: 'display_type', value: 'QLED' },
      { name: 'refresh_rate', value: 120, unit: 'Hz' },
    ],
    price: 1199.99,
    rating: 4.6,
    reviewCount: 1532,
    stock: 12,
    releaseDate: '2023-04-01',
    popularity: 0.82,
    image: '/images/p0000001.jpg',
    ...overrides,
  };
}
