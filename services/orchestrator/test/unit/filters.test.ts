import { parseFilter, parseFilters, rangeToken, termsToken } from '../../src/domain/filters';
import { InvalidParameter } from '../../src/domain/errors';

function rejection(raw: string): InvalidParameter {
  try {
    parseFilter(raw);
  } catch (err) {
    return err as InvalidParameter;
  }
  throw new Error(`"${raw}" was accepted`);
}

describe('filter syntax', () => {
  it('reads keyword values, with escaped bars', () => {
    expect(parseFilter('brand:Samsung|LG')).toEqual({ type: 'terms', field: 'brand', values: ['Samsung', 'LG'] });
    expect(parseFilter('attr.color:Black\\|White|Red')).toEqual({ type: 'terms', field: 'attr.color', values: ['Black|White', 'Red'] });
    expect(parseFilter('attr.features:Wi-Fi: built in')).toEqual({ type: 'terms', field: 'attr.features', values: ['Wi-Fi: built in'] });
  });

  it('reads ranges with open ends and single numbers', () => {
    expect(parseFilter('price:100..500')).toEqual({ type: 'range', field: 'price', gte: 100, lte: 500 });
    expect(parseFilter('price:..99.99')).toEqual({ type: 'range', field: 'price', lte: 99.99 });
    expect(parseFilter('rating:4..')).toEqual({ type: 'range', field: 'rating', gte: 4 });
    expect(parseFilter('num.screen_size_in:65')).toEqual({ type: 'range', field: 'num.screen_size_in', gte: 65, lte: 65 });
  });

  it.each([
    ['no colon', 'brand'],
    ['unknown field', 'color:Black'],
    ['query syntax in the field', 'brand*:x'],
    ['empty value', 'brand:Samsung|'],
    ['text in a range', 'price:cheap..500'],
    ['inverted range', 'price:500..100'],
    ['range without ends', 'price:..'],
    ['bad in_stock', 'in_stock:yes'],
    ['category via filter', 'category.lvl1:TVs'],
    ['bad escape', 'brand:a\\b'],
  ])('rejects %s, naming the parameter', (_why, raw) => {
    const err = rejection(raw);
    expect(err).toBeInstanceOf(InvalidParameter);
    expect(err.field).toBe('querystring.filter');
    expect(err.message).toContain(raw.split(':')[0]!);
  });

  it('merges filters per field: values join, ranges intersect', () => {
    expect(parseFilters(['brand:Samsung', 'price:100..', 'brand:LG|Samsung', 'price:..500'])).toEqual([
      { type: 'terms', field: 'brand', values: ['Samsung', 'LG'] },
      { type: 'range', field: 'price', gte: 100, lte: 500 },
    ]);
    expect(parseFilters(undefined)).toEqual([]);
  });

  it('tokens read back as the filters they name', () => {
    expect(parseFilter(termsToken('attr.color', ['Black|White']))).toEqual({ type: 'terms', field: 'attr.color', values: ['Black|White'] });
    expect(parseFilter(termsToken('brand', ['a\\b']))).toEqual({ type: 'terms', field: 'brand', values: ['a\\b'] });
    expect(parseFilter(rangeToken('price', undefined, 50))).toEqual({ type: 'range', field: 'price', lte: 50 });
    expect(parseFilter(rangeToken('price', 50, 100))).toEqual({ type: 'range', field: 'price', gte: 50, lte: 100 });
  });
});
