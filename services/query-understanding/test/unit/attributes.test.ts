import { extractAttributes } from '../../src/domain/attributes';
import { normaliseText, unitOf } from '../../src/domain/normalise';
import { PhraseMatcher } from '../../src/domain/rules';

const brands = new PhraseMatcher<string>();
brands.add(['samsung'], 'Samsung');
brands.add(['hamilton', 'beach'], 'Hamilton Beach');
brands.add(['apple'], 'Apple');
const colours = new PhraseMatcher<string[]>();
colours.add(['black'], ['Black', 'Matte Black']);
colours.add(['stainless', 'steel'], ['Stainless Steel']);
const modelNumbers = new PhraseMatcher<true>();
modelNumbers.add(['un65tu7000'], true);

const extract = (query: string) => extractAttributes(normaliseText(query).tokens, { brands, colours, modelNumbers }, unitOf);

describe('extractAttributes', () => {
  it('reads price constraints', () => {
    expect(extract('tv under $500').prices).toEqual([{ lte: 500, phrase: 'under 500 dollars' }]);
    expect(extract('laptop less than 800').prices).toEqual([{ lte: 800, phrase: 'less than 800' }]);
    expect(extract('camera over 300 dollars').prices).toEqual([{ gte: 300, phrase: 'over 300 dollars' }]);
    expect(extract('headphones between 200 and 100').prices).toEqual([{ gte: 100, lte: 200, phrase: 'between 200 and 100' }]);
    expect(extract('phone 100 to 200 dollars').prices).toEqual([{ gte: 100, lte: 200, phrase: '100 to 200 dollars' }]);
    expect(extract('around $50 speaker').prices).toEqual([{ gte: 40, lte: 60, phrase: 'around 50 dollars' }]);
    expect(extract('cheap blender').cheap).toBe('cheap');
    expect(extract('cheap blender').terms.map((t) => t.text)).toEqual(['blender']);
  });

  it('does not read model lines and years as prices', () => {
    expect(extract('iphone 15 pro max 256gb').prices).toEqual([]);
    expect(extract('games from 2019').prices).toEqual([]);
    expect(extract('iphone 15 pro max 256gb').measures).toEqual([{ value: 256, unit: 'gb', comparator: 'eq', phrase: '256 gb' }]);
  });

  it('reads measures with units and comparators', () => {
    expect(extract('65" tv').measures).toEqual([{ value: 65, unit: 'in', comparator: 'eq', phrase: '65 in' }]);
    expect(extract('tv under 50 inches').measures).toEqual([{ value: 50, unit: 'in', comparator: 'lte', phrase: 'under 50 in' }]);
    expect(extract('fridge between 20 and 25 cu ft').measures).toEqual([{ value: 20, to: 25, unit: 'cu ft', comparator: 'between', phrase: 'between 20 and 25 cu ft' }]);
    expect(extract('2 in 1 laptop').measures).toEqual([]);
  });

  it('finds brands (not when the product is only for them), colours and model numbers', () => {
    const found = extract('Hamilton Beach black blender');
    expect(found.brands).toEqual([{ key: 'hamilton beach', display: 'Hamilton Beach', compatibleWith: false }]);
    expect(found.colours).toEqual([{ key: 'black', values: ['Black', 'Matte Black'] }]);
    expect(found.terms).toEqual([
      { text: 'hamilton beach', role: 'brand' },
      { text: 'black', role: 'colour' },
      { text: 'blender', role: 'word' },
    ]);
    expect(extract('case for apple').brands[0]!.compatibleWith).toBe(true);
    expect(extract('samsung UN65TU7000').terms).toEqual([
      { text: 'samsung', role: 'brand' },
      { text: 'un65tu7000', role: 'model_number' },
    ]);
  });
});
