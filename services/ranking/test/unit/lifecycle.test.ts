import type { ServingState } from '@search-mesh/contracts';
import { MicroBatcher } from '../../src/domain/batcher';
import { coresFromCpuMax } from '../../src/domain/cpu';
import { binOf, DriftMonitor, psi } from '../../src/domain/drift';
import { ModelLifecycle, type ServingModel, UnknownVersion } from '../../src/domain/lifecycle';
import type { ModelManifest } from '../../src/domain/manifest';
import { orderByScore, topOverlap } from '../../src/domain/order';

/** A model scoring every row `offset`, slow enough to still run while a swap happens. */
class FakeModel implements ServingModel {
  readonly manifest = { name: 'fake' } as ModelManifest;
  readonly provider = 'cpu';
  inFlight = 0;
  released = false;
  constructor(
    readonly version: string,
    private readonly offset: number,
  ) {}
  async score(_m: Float32Array, rows: number): Promise<Float32Array> {
    if (this.released) throw new Error(`${this.version} was released`);
    this.inFlight++;
    await new Promise((r) => setTimeout(r, 5));
    this.inFlight--;
    return new Float32Array(rows).fill(this.offset);
  }
  async retire(): Promise<void> {
    while (this.inFlight > 0) await new Promise((r) => setTimeout(r, 1));
    this.released = true;
  }
}

function setup(options: { broken?: string[] } = {}) {
  const models = new Map<string, FakeModel>();
  let shared: ServingState | undefined;
  const versions = new Set(['v1', 'v2', 'v3', 'bad']);
  const lifecycle = new ModelLifecycle(
    async (version) => {
      if (options.broken?.includes(version)) throw new Error(`model ${version} rejected`);
      const model = new FakeModel(version, Number(version.slice(1)));
      models.set(version, model);
      return model;
    },
    { state: async () => shared, setState: async (s) => void (shared = s), has: async (v) => versions.has(v) },
  );
  return { lifecycle, models, shared: () => shared, setShared: (s: ServingState) => (shared = s) };
}

describe('model lifecycle', () => {
  it('hot-swaps: requests in flight finish on the old model, later ones use the new, none fails', async () => {
    const { lifecycle, models } = setup();
    await lifecycle.start('v1');
    const results: number[] = [];
    const inFlight = Array.from({ length: 20 }, () => lifecycle.pick(0.5).model.score(new Float32Array(1), 1).then((s) => results.push(s[0]!)));
    await lifecycle.activate('v2');
    const after = await lifecycle.pick(0.5).model.score(new Float32Array(1), 1);
    await Promise.all(inFlight);
    expect(results).toEqual(new Array(20).fill(1));
    expect(after[0]).toBe(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(models.get('v1')!.released).toBe(true);
  });

  it('keeps the old model serving when the new one is rejected', async () => {
    const { lifecycle, shared } = setup({ broken: ['bad'] });
    await lifecycle.start('v1');
    await expect(lifecycle.activate('bad')).rejects.toThrow(/rejected/);
    expect(lifecycle.active.version).toBe('v1');
    expect(shared()!.active).toBe('v1');
    await expect(lifecycle.activate('nope')).rejects.toBeInstanceOf(UnknownVersion);
  });

  it('sends the canary its share, shadows on the side, rolls back', async () => {
    const { lifecycle, shared } = setup();
    await lifecycle.start('v1');
    await lifecycle.setCanary('v2', 0.25);
    expect(lifecycle.pick(0.1)).toMatchObject({ role: 'canary', model: { version: 'v2' } });
    expect(lifecycle.pick(0.3)).toMatchObject({ role: 'active', model: { version: 'v1' } });
    await lifecycle.setShadow('v3');
    expect(lifecycle.shadow?.version).toBe('v3');
    expect(lifecycle.loaded('v3')?.version).toBe('v3');
    await lifecycle.activate('v2');
    expect(shared()).toMatchObject({ active: 'v2', history: ['v1'], shadow: 'v3' });
    expect(shared()!.canary).toBeUndefined();
    await lifecycle.rollback();
    expect(lifecycle.active.version).toBe('v1');
    await expect(lifecycle.rollback()).rejects.toThrow(/no earlier version/);
    await lifecycle.clearShadow();
    expect(lifecycle.shadow).toBeUndefined();
  });

  it('follows the shared state another instance wrote', async () => {
    const { lifecycle, setShared } = setup();
    await lifecycle.start('v1');
    setShared({ active: 'v3', history: ['v1'], updatedAt: 'later' });
    expect(await lifecycle.sync()).toBe(true);
    expect(lifecycle.active.version).toBe('v3');
    expect(await lifecycle.sync()).toBe(false);
  });
});

describe('micro-batcher', () => {
  it('runs requests that arrive together as one batch, split back per request', async () => {
    const runs: number[] = [];
    const batcher = new MicroBatcher(
      async (m, rows) => {
        runs.push(rows);
        return Float32Array.from(m.subarray(0, rows).map((v) => v * 2));
      },
      { maxBatchRows: 100, maxWaitMs: 0, width: 1 },
    );
    const out = await Promise.all([batcher.score(Float32Array.of(1, 2), 2), batcher.score(Float32Array.of(3), 1), batcher.score(Float32Array.of(4, 5, 6), 3)]);
    expect(runs).toEqual([6]);
    expect(out.map((s) => Array.from(s))).toEqual([[2, 4], [6], [8, 10, 12]]);
  });

  it('caps a batch at maxBatchRows and waits at most maxWaitMs', async () => {
    const runs: number[] = [];
    const batcher = new MicroBatcher(async (_m, rows) => (runs.push(rows), new Float32Array(rows)), { maxBatchRows: 4, maxWaitMs: 20, width: 1 });
    const started = Date.now();
    await batcher.score(new Float32Array(1), 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    await Promise.all([1, 2, 3, 4].map(() => batcher.score(new Float32Array(2), 2)));
    expect(runs.slice(1)).toEqual([4, 4]);
  });

  it('fails every request of a failed run, and runs the next', async () => {
    let fail = true;
    const batcher = new MicroBatcher(async (_m, rows) => {
      if (fail) throw new Error('boom');
      return new Float32Array(rows);
    }, { maxBatchRows: 10, maxWaitMs: 0, width: 1 });
    await expect(batcher.score(new Float32Array(1), 1)).rejects.toThrow('boom');
    fail = false;
    await expect(batcher.score(new Float32Array(1), 1)).resolves.toHaveLength(1);
  });
});

describe('drift, order, CPU limit', () => {
  it('bins like numpy searchsorted(side=right) and computes PSI', () => {
    expect([0, 1, 1.5, 2, 9].map((v) => binOf([1, 2], v))).toEqual([0, 1, 1, 2, 2]);
    expect(psi([0.5, 0.5], [50, 50])).toBe(0);
    expect(psi([0.5, 0.5], [90, 10])).toBeCloseTo(0.4 * Math.log(0.9 / 0.5) - 0.4 * Math.log(0.1 / 0.5), 6);
  });

  it('reports the PSI of served rows against the manifest distribution', () => {
    const manifest = {
      features: [{ name: 'a', default: 0 }],
      distribution: { features: { a: { edges: [0], proportions: [0.5, 0.5] } }, score: { edges: [0], proportions: [0.5, 0.5] } },
    } as unknown as ModelManifest;
    const monitor = new DriftMonitor(manifest, 1000);
    monitor.observe(Float32Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? -1 : 1)), Float32Array.from({ length: 600 }, () => 1));
    const snap = monitor.snapshot()!;
    expect(snap.features.a).toBeCloseTo(0, 6);
    expect(snap.score).toBeGreaterThan(1);
  });

  it('counts every k-th row with sampleEvery, starting a row later each request, so every position is sampled alike', () => {
    const manifest = {
      features: [{ name: 'a', default: 0 }],
      distribution: { features: { a: { edges: [0.5, 1.5, 2.5], proportions: [0.25, 0.25, 0.25, 0.25] } }, score: { edges: [0], proportions: [0.5, 0.5] } },
    } as unknown as ModelManifest;
    const monitor = new DriftMonitor(manifest, 1000, 4);
    // Positions 0..3 of a request carry values 0..3: a sample that always took position 0 would see only 0s.
    for (let request = 0; request < 200; request++) monitor.observe(Float32Array.from({ length: 8 }, (_, i) => i % 4), Float32Array.from({ length: 8 }, () => 1));
    const snap = monitor.snapshot()!;
    expect(snap.rows).toBe(400);
    expect(snap.features.a).toBeCloseTo(0, 6);
  });

  it('orders by score with retrieval order on ties, and measures top-k overlap', () => {
    expect(orderByScore([1, 3, 3, 0])).toEqual([1, 2, 0, 3]);
    expect(topOverlap([0, 1, 2], [2, 1, 5], 2)).toBe(0.5);
  });

  it('reads the container CPU limit from cgroup cpu.max', () => {
    expect(coresFromCpuMax('200000 100000\n', 16)).toBe(2);
    expect(coresFromCpuMax('150000 100000', 16)).toBe(2);
    expect(coresFromCpuMax('max 100000', 16)).toBe(16);
    expect(coresFromCpuMax(undefined, 4)).toBe(4);
    expect(coresFromCpuMax('50000 100000', 4)).toBe(1);
  });
});
