import { Value } from '@sinclair/typebox/value';
import { LeafCategoryPrediction } from '@search-mesh/contracts';
import { createEngine } from '../../src/engine';
import { LeafCategories } from '../../src/domain/leaves';

describe('LeafCategories', () => {
  const labels = { lvl1: ['A > B', 'A > C'], lvl2: ['A > B > D', 'A > B > E'] };
  const leaves = new LeafCategories(
    {
      version: 't',
      leaves: [
        ['A > B > D > Gas Dryers', 30],
        ['A > B > D > Electric Dryers', 10],
        ['A > B > E', 5],
        ['A > C', 7],
      ],
    },
    labels,
  );

  it('spreads lvl2 probability (renormalised within its lvl1 parent) over leaves by catalog priors', () => {
    const top = leaves.top([0.8, 0.2], [0.3, 0.1], ['dryer'], 10);
    const byPath = Object.fromEntries(top.map((l) => [l.path, l.probability]));
    expect(byPath['A > C']).toBeCloseTo(0.2);
    expect(byPath['A > B > E']).toBeCloseTo(0.8 * 0.25);
    // 0.6 to D, split 30:10 (both names match "dryer" equally)
    expect(byPath['A > B > D > Gas Dryers']).toBeCloseTo(0.6 * 0.75);
    expect(byPath['A > B > D > Electric Dryers']).toBeCloseTo(0.6 * 0.25);
    expect(top.reduce((s, l) => s + l.probability, 0)).toBeCloseTo(1);
    expect(top[0]).toEqual({ path: 'A > B > D > Gas Dryers', level: 3, probability: expect.closeTo(0.45) });
  });

  it('moves probability to a leaf whose name the query uses', () => {
    const top = leaves.top([1, 0], [1, 0], ['electric', 'dryer'], 2);
    const electric = top.find((l) => l.path === 'A > B > D > Electric Dryers')!;
    // prior 10:30, name match 1 vs 1/2: (10 · 5) / (10 · 5 + 30 · 3), up from 0.25
    expect(electric.probability).toBeCloseTo((10 * 5) / (10 * 5 + 30 * 3));
  });
});

describe('leaf categories in plans (served model and leaf table)', () => {
  it('names leaves under the predicted categories, valid under the contract', async () => {
    const engine = await createEngine();
    const plan = await engine.understand('wireless earbuds');
    expect(plan.leafCategories?.[0]).toMatchObject({ path: 'Audio > Headphones > Earbud & In-Ear Headphones', level: 2 });
    const deep = await engine.understand('iphone 6 case', 5);
    expect(deep.leafCategories!.length).toBe(5);
    expect(deep.leafCategories!.some((l) => l.level >= 3 && /iPhone/.test(l.path))).toBe(true);
    for (const leaf of [...plan.leafCategories!, ...deep.leafCategories!]) expect(Value.Check(LeafCategoryPrediction, leaf)).toBe(true);
    expect(plan.boosts.some((b) => b.field === 'category.lvl3')).toBe(false); // leaf boosts are off by default
    await engine.close();
  });
});
