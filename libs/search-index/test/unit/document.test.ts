import { normaliseNumeric, toSearchDocument } from '../../src';
import { sampleProduct } from '../fixtures';

describe('toSearchDocument', () => {
  const doc = toSearchDocument(sampleProduct(), 7, '2026-01-01T00:00:00.000Z');

  it('flattens the category path into hierarchical levels', () => {
    expect(doc.category).toEqual({
      id: 'abcat0101001',
      leaf: '4K Ultra HD TVs',
      ids: ['abcat0100000', 'abcat0101000', 'abcat0101001'],
      path: 'TV & Home Theater > TVs > 4K Ultra HD TVs',
      lvl0: 'TV & Home Theater',
      lvl1: 'TV & Home Theater > TVs',
      lvl2: 'TV & Home Theater > TVs > 4K Ultra HD TVs',
    });
  });

  it('splits attributes into keywords and numbers in base units, named with the unit', () => {
    expect(doc.attr).toEqual({ display_type: 'QLED' });
    expect(doc.num).toEqual({ screen_size_in: 65, storage_gb: 1024, refresh_rate_hz: 120 });
    expect(doc.attr_text).toContain('65 in');
  });

  it('derives stock state and carries the version', () => {
    expect(doc.in_stock).toBe(true);
    expect(doc.version).toBe(7);
    expect(toSearchDocument(sampleProduct({ stock: 0 }), 1, 'x').in_stock).toBe(false);
  });
});

describe('normaliseNumeric', () => {
  it.each([
    ['storage', 512, 'GB', 'storage_gb', 512],
    ['storage', 2, 'TB', 'storage_gb', 2048],
    ['screen_size', 165.1, 'cm', 'screen_size_in', 65],
    ['capacity', 25.5, 'cu ft', 'capacity_cu_ft', 25.5],
    ['power', 1.2, 'kW', 'power_w', 1200],
    ['battery', 20, 'Ah', 'battery_mah', 20000],
    ['megapixels', 24, undefined, 'megapixels', 24],
    ['speed', 7, 'Mbps', 'speed_mbps', 7],
  ])('%s %d %s → %s %d', (name, value, unit, field, normalised) => {
    expect(normaliseNumeric(name, value, unit)).toEqual({ field, value: normalised });
  });
});
