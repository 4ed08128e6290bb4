import { loadSources } from '../../src/adapters/catalog-source';
import { runInSlices, runNow, type Steps } from '../../src/domain/slices';
import { Suggester } from '../../src/domain/suggester';
import { SuggestIndex } from '../../src/domain/suggest-index';

function* counting(units: number, workPerUnit: () => void): Steps<number> {
  for (let i = 0; i < units; i++) {
    workPerUnit();
    yield;
  }
  return units;
}

describe('slices', () => {
  it('runs the same steps at once or in slices, to the same value', async () => {
    expect(runNow(counting(1000, () => undefined))).toBe(1000);
    const report = await runInSlices(counting(1000, () => undefined), 1000);
    expect(report).toMatchObject({ value: 1000, slices: 1 });
  });

  it('gives the event loop back once a slice has run its time, so timers and I/O get their turn', async () => {
    let clock = 0;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    // Every unit "takes" 0.1 ms of a fake clock: 64 units (one check) = 6.4 ms ≥ a 5 ms slice.
    const report = await runInSlices(counting(6400, () => (clock += 0.1)), 5, () => clock);
    clearInterval(timer);
    expect(report.value).toBe(6400);
    expect(report.slices).toBe(101); // 100 full slices, then the step that finds the work done
    expect(report.longestSliceMs).toBeCloseTo(6.4, 5);
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('Suggester.rebuildInSlices (the real demo catalog)', () => {
  const sources = loadSources({ seed: 42, size: 3000, dataDir: null });

  it('builds the same index as a rebuild at once, and serves the old one until it swaps in', async () => {
    const sliced = new Suggester(sources);
    const atOnce = new Suggester(sources);
    const live = [{ normalised: 'samsung tv', count: 500 }, { normalised: 'laptop', count: 40 }];
    sliced.observe(live);
    atOnce.observe(live);
    atOnce.rebuild();
    const before = sliced.current;
    const rebuilding = sliced.rebuildInSlices(1);
    expect(sliced.current).toBe(before); // still the old index while the build runs
    expect(sliced.pendingObservations).toBe(0);
    sliced.observe([{ normalised: 'arrived meanwhile', count: 1 }]);
    const report = await rebuilding;
    expect(report.slices).toBeGreaterThan(1);
    expect(sliced.current).toBe(report.value);
    expect(sliced.pendingObservations).toBe(1); // waits for the next rebuild
    const texts = (s: Suggester, q: string) => s.suggest({ q, limit: 8 }).map((x) => `${x.kind}:${x.text}:${x.category ?? ''}`);
    for (const q of ['sam', 'lap', 'tv', 'wire', 'sams tv']) expect(texts(sliced, q)).toEqual(texts(atOnce, q));
    expect(report.value.size).toBe(atOnce.current.size);
  });

  it('matches SuggestIndex.build entry for entry', () => {
    const inputs = [
      { text: 'Samsung Galaxy', kind: 'product' as const, score: 5, categories: ['Cell Phones'] },
      { text: 'samsung tv', kind: 'query' as const, score: 9, categories: ['TVs'] },
      { text: 'tv stand', kind: 'query' as const, score: 2, categories: ['TV Stands'] },
    ];
    const a = SuggestIndex.build(inputs);
    const b = runNow(SuggestIndex.buildSteps(inputs));
    expect(b.vocabulary).toEqual(a.vocabulary);
    expect(b.entries.map((e) => e.text)).toEqual(a.entries.map((e) => e.text));
    expect(b.search('s', { limit: 5 }).map((h) => h.entry.text)).toEqual(a.search('s', { limit: 5 }).map((h) => h.entry.text));
  });
});
