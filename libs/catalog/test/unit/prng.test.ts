import { hash32, Prng } from '../../src/prng';

describe('Prng', () => {
  it('replays the same sequence for the same seed', () => {
    const a = new Prng('seed');
    const b = new Prng('seed');
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
  });

  it('gives different sequences for different seeds', () => {
    expect(new Prng(1).next()).not.toBe(new Prng(2).next());
    expect(hash32('a')).not.toBe(hash32('b'));
  });

  it('keeps helpers within their ranges', () => {
    const rng = new Prng(7);
    for (let i = 0; i < 1000; i++) {
      const n = rng.int(3, 5);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(5);
      const f = rng.float(-1, 1);
      expect(f).toBeGreaterThanOrEqual(-1);
      expect(f).toBeLessThan(1);
    }
  });

  it('picks by weight and never picks a zero weight', () => {
    const rng = new Prng(11);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 3000; i++) counts[rng.weighted(['a', 'b', 'c'] as const, [3, 1, 0])]++;
    expect(counts.c).toBe(0);
    expect(counts.a / counts.b).toBeGreaterThan(2);
    expect(counts.a / counts.b).toBeLessThan(4);
  });

  it('draws gaussians centred on the mean', () => {
    const rng = new Prng(3);
    let sum = 0;
    for (let i = 0; i < 5000; i++) sum += rng.gaussian(10, 2);
    expect(sum / 5000).toBeCloseTo(10, 0);
  });
});
