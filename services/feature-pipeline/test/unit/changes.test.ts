import { changesEvent } from '../../src/domain/changes';

describe('changesEvent', () => {
  it('lists the changed products and (query, product) pairs', () => {
    expect(
      changesEvent([
        { kind: 'product', key: ['p1'] },
        { kind: 'queryProduct', key: ['samsung tv', 'p1'] },
        { kind: 'product', key: ['p2'] },
      ]),
    ).toEqual({ schema: 'feature-changes.v1', type: 'features.changed', products: ['p1', 'p2'], queryProducts: [{ query: 'samsung tv', productId: 'p1' }] });
  });

  it('is undefined when nothing changed', () => {
    expect(changesEvent([])).toBeUndefined();
  });
});
