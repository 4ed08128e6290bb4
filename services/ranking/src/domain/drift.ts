/**
 * Population stability index of what a model scores against what it was trained on: the manifest holds
 * each feature's and the score's training decile edges and shares; serving counts its rows into the same
 * bins. PSI = Σ (served − trained) · ln(served / trained) over bins (shares floored at 1e-4); above ~0.2
 * is commonly read as a significant shift. Counts restart every `windowRows` counted rows, so the figure
 * describes recent traffic, and the last full window's figure is kept meanwhile. With `sampleEvery` k > 1
 * only a RotatingSample of the rows is counted: a share estimate of the same bins for a k-th of the work.
 */
import type { Distribution, ModelManifest } from './manifest';

const FLOOR = 1e-4;

export function binOf(edges: readonly number[], value: number): number {
  // Like numpy's searchsorted(edges, value, side="right"), which training used.
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function psi(reference: readonly number[], counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total === 0) return 0;
  let sum = 0;
  for (let i = 0; i < reference.length; i++) {
    const expected = Math.max(reference[i]!, FLOOR);
    const actual = Math.max((counts[i] ?? 0) / total, FLOOR);
    sum += (actual - expected) * Math.log(actual / expected);
  }
  return sum;
}

/**
 * Every k-th row of each request, starting one row later each request, so every position of a window is
 * sampled alike (a fixed start would only ever see the same positions: the best, or the k-th best).
 */
export class RotatingSample {
  private requests = 0;

  constructor(readonly every: number) {}

  /** The first row to take of the next request (then every `every`-th). */
  start(): number {
    return this.requests++ % this.every;
  }
}

export interface DriftSnapshot {
  rows: number;
  features: Record<string, number>;
  score: number;
}

export class DriftMonitor {
  private readonly names: string[];
  private readonly refs: Distribution[];
  private counts: Uint32Array[];
  private scoreCounts: Uint32Array;
  private rows = 0;
  private readonly sample: RotatingSample;
  private last: DriftSnapshot | undefined;

  constructor(
    private readonly manifest: ModelManifest,
    private readonly windowRows = 50_000,
    sampleEvery = 1,
  ) {
    this.sample = new RotatingSample(sampleEvery);
    this.names = manifest.features.map((f) => f.name);
    this.refs = this.names.map((n) => manifest.distribution.features[n] ?? { edges: [], proportions: [1] });
    this.counts = this.refs.map((r) => new Uint32Array(r.edges.length + 1));
    this.scoreCounts = new Uint32Array(manifest.distribution.score.edges.length + 1);
  }

  observe(matrix: Float32Array, scores: Float32Array): void {
    const width = this.names.length;
    for (let r = this.sample.start(); r < scores.length; r += this.sample.every) {
      for (let f = 0; f < width; f++) this.counts[f]![binOf(this.refs[f]!.edges, matrix[r * width + f]!)]!++;
      this.scoreCounts[binOf(this.manifest.distribution.score.edges, scores[r]!)]!++;
      this.rows++;
    }
    if (this.rows >= this.windowRows) {
      this.last = this.current();
      this.counts = this.refs.map((r) => new Uint32Array(r.edges.length + 1));
      this.scoreCounts = new Uint32Array(this.scoreCounts.length);
      this.rows = 0;
    }
  }

  private current(): DriftSnapshot {
    const features: Record<string, number> = {};
    this.names.forEach((n, i) => (features[n] = psi(this.refs[i]!.proportions, this.counts[i]!)));
    return { rows: this.rows, features, score: psi(this.manifest.distribution.score.proportions, this.scoreCounts) };
  }

  /** The figure over the current window once it has `minRows`, else the last full window's (if any). */
  snapshot(minRows = 500): DriftSnapshot | undefined {
    return this.rows >= minRows || this.last === undefined ? (this.rows > 0 ? this.current() : this.last) : this.last;
  }
}
