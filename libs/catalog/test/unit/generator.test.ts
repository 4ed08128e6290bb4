import { Product } from '@search-mesh/contracts';
import { Value } from '@sinclair/typebox/value';
import { loadQueries, loadTaxonomy } from '../../src/data';
import { generateCatalog, generateRange } from '../../src/generator/catalog';
import { createCatalogContext } from '../../src/generator/context';
import { FAMILIES, familyFor } from '../../src/generator/families';
import { generateProduct } from '../../src/generator/product';

const taxonomy = loadTaxonomy(null);
const queries = loadQueries(null);
const ctx = createCatalogContext({ seed: 42, taxonomy, queries });
const products = [...generateRange(0, 3000, ctx)];

describe('determinism', () => {
  it('gives identical products for the same seed', () => {
    const again = [...generateCatalog({ seed: 42, size: 200, taxonomy, queries })];
    expect(again).toEqual(products.slice(0, 200));
  });

  it('gives different products for a different seed', () => {
    const other = [...generateCatalog({ seed: 43, size: 200, taxonomy, queries })];
    const same = other.filter((p, i) => p.title === products[i]?.title && p.price === products[i]?.price).length;
    expect(same).toBeLessThan(20);
  });

  it('generates any range independently, equal to the slice of the whole catalog', () => {
    expect([...generateRange(1234, 1300, ctx)]).toEqual(products.slice(1234, 1300));
    expect(generateProduct(2999, ctx)).toEqual(products[2999]);
  });

  it('accepts string seeds', () => {
    const a = [...generateCatalog({ seed: 'demo', size: 5, taxonomy, queries })];
    expect([...generateCatalog({ seed: 'demo', size: 5, taxonomy, queries })]).toEqual(a);
  });

  it('rejects bad sizes and ranges', () => {
    expect(() => [...generateCatalog({ size: -1, taxonomy, queries })]).toThrow('size');
    expect(() => [...generateRange(5, 2, ctx)]).toThrow('invalid range');
  });
});

describe('products', () => {
  it('are valid against the Product schema', () => {
    const invalid = products.filter((p) => !Value.Check(Product, p));
    expect(invalid.slice(0, 1).map((p) => [...Value.Errors(Product, p)].map((e) => `${e.path} ${e.message}`))).toEqual([]);
  });

  it('have zero-padded ids, local images and ISO dates in the last six years', () => {
    expect(products[7]?.id).toBe('p0000007');
    for (const p of products) {
      expect(p.image).toBe(`/images/${p.id}.jpg`);
      expect(p.releaseDate >= '2019-07-01' && p.releaseDate <= '2025-06-30').toBe(true);
    }
  });

  it('have prices with two decimals, mostly ending in .99, ratings skewed high, some out of stock', () => {
    for (const p of products) expect(Math.round(p.price * 100) / 100).toBe(p.price);
    const share = (f: (p: Product) => boolean) => products.filter(f).length / products.length;
    expect(share((p) => Math.round(p.price * 100) % 100 === 99)).toBeGreaterThan(0.6);
    const rated = products.filter((p) => p.reviewCount > 0);
    expect(rated.reduce((s, p) => s + p.rating, 0) / rated.length).toBeGreaterThan(3.8);
    expect(share((p) => p.stock === 0)).toBeGreaterThan(0.02);
    expect(share((p) => p.popularity > 0.5)).toBeLessThan(0.2);
  });

  it('sit in leaf categories with a consistent path', () => {
    for (const p of products) {
      const node = taxonomy.byId.get(p.category.id);
      expect(node?.isLeaf).toBe(true);
      expect(p.category.path).toEqual(node?.path);
      expect(p.category.pathIds).toEqual(node?.pathIds);
      expect(p.category.pathIds[p.category.pathIds.length - 1]).toBe(p.category.id);
    }
  });

  it('spread over every sold leaf', () => {
    expect(new Set(products.map((p) => p.category.id)).size).toBe(ctx.leaves.length);
  });

  it('carry brands of their category family', () => {
    for (const p of products) {
      const family = familyFor(taxonomy.byId.get(p.category.id)!);
      expect(family.brands.map((b) => b.name)).toContain(p.brand);
    }
    const laptops = products.filter((p) => familyFor(taxonomy.byId.get(p.category.id)!).id === 'laptop');
    expect(laptops.length).toBeGreaterThan(20);
    expect(laptops.some((p) => p.brand === 'Whirlpool')).toBe(false);
  });

  it('give numeric attributes a unit', () => {
    for (const p of products) for (const a of p.attributes) if (typeof a.value === 'number') expect(a.unit).toBeDefined();
  });

  it('mention the brand in the title', () => {
    const withBrand = products.filter((p) => p.title.includes(p.brand) || p.title.includes(p.modelLine ?? '\u0000'));
    expect(withBrand.length / products.length).toBeGreaterThan(0.95);
  });
});

describe('families', () => {
  it('use a bounded set of well-formed attribute names', () => {
    const names = new Set(FAMILIES.flatMap((f) => f.attributes.map((a) => a.name)));
    names.add('compatible_with');
    names.add('features');
    expect(names.size).toBeLessThanOrEqual(80);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9_]{0,47}$/);
  });

  it('are assigned by category name', () => {
    const family = (...path: string[]) => familyFor({ id: 'x', name: path[path.length - 1] as string, path, pathIds: path, children: [], isLeaf: true }).id;
    expect(family('TV & Home Theater', 'TVs', '4K Ultra HD TVs')).toBe('tv');
    expect(family('TV & Home Theater', 'TV Stands, Mounts & Furniture', 'TV Mounts', 'Tilt TV Mounts')).toBe('tv_mount');
    expect(family('Computers & Tablets', 'Laptops', 'All Laptops', 'Chromebooks')).toBe('laptop');
    expect(family('Computers & Tablets', 'Computer Accessories & Peripherals', 'Laptop Accessories', 'Laptop Bags & Cases')).toBe('bag');
    expect(family('Cell Phones', 'Cell Phone Accessories', 'Cell Phone Cases & Clips')).toBe('phone_case');
    expect(family('Appliances', 'Refrigerators', 'French Door Refrigerators')).toBe('refrigerator');
    expect(family('Appliances', 'Small Kitchen Appliances', 'Toasters')).toBe('small_kitchen');
    expect(family('Somewhere', 'Unknown Things')).toBe('generic');
  });
});
