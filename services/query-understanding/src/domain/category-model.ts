/**
 * The category model's forward pass in plain TypeScript, from the same weights onnxruntime serves
 * (`adapters/onnx-weights.ts` reads them out of category.onnx):
 *
 *   hidden = Σ_k weight_k · embedding[id_k]          (the mean of the hashed features' embeddings)
 *   p_head = softmax(hidden · W_head + b_head)        for the lvl1 and lvl2 heads
 *
 * ~70k multiply-adds per query, synchronous, into buffers allocated once: no thread-pool hop, no
 * promise, no per-call garbage besides the result. The mat-vec of both heads runs in WebAssembly SIMD
 * (f32x4, float32 like onnxruntime) where available, else in plain TypeScript (float64); either agrees
 * with onnxruntime to ~1e-6 (the parity test checks every probability of both heads on the test queries).
 */
import type { HashedFeatures } from './features';
import { createSimdModel, type SimdModel } from './simd-matvec';

export interface LinearHead {
  /** [dim × classes], row-major (ONNX MatMul's right operand as stored). */
  weights: Float32Array;
  bias: Float32Array;
  classes: number;
}

export interface LinearHeads {
  buckets: number;
  dim: number;
  /** [buckets × dim], row-major. */
  embedding: Float32Array;
  heads: LinearHead[];
}

export class CategoryModel {
  private readonly hidden: Float64Array;
  /** Each head's weights transposed to [classes × dim] in float64: one contiguous dot product per class. */
  private readonly transposed: Float64Array[];
  /** Both heads' logits in one WebAssembly SIMD mat-vec, where the platform has it. */
  private readonly simd: SimdModel | undefined;
  /** One probability buffer per head, overwritten by every `forward`. */
  readonly probabilities: Float64Array[];

  constructor(readonly weights: LinearHeads, options: { simd?: boolean } = {}) {
    const { dim } = weights;
    if (dim % 4 !== 0) throw new Error(`embedding dim ${dim} is not a multiple of 4`);
    this.hidden = new Float64Array(dim);
    this.probabilities = weights.heads.map((h) => new Float64Array(h.classes));
    this.transposed = weights.heads.map(({ weights: w, classes }) => {
      const t = new Float64Array(classes * dim);
      for (let d = 0; d < dim; d++) for (let c = 0; c < classes; c++) t[c * dim + d] = w[d * classes + c]!;
      return t;
    });
    if (options.simd !== false) {
      const all = new Float32Array(this.transposed.reduce((n, t) => n + t.length, 0));
      const bias = new Float32Array(weights.heads.reduce((n, h) => n + h.classes, 0));
      let at = 0;
      let b = 0;
      weights.heads.forEach((head, h) => {
        all.set(this.transposed[h]!, at);
        at += this.transposed[h]!.length;
        bias.set(head.bias, b);
        b += head.classes;
      });
      this.simd = createSimdModel(weights.embedding, all, bias, dim);
    }
  }

  /** Whether the logits come from WebAssembly SIMD (else plain TypeScript loops). */
  get usesSimd(): boolean {
    return this.simd !== undefined;
  }

  /** Fills `probabilities` for these features (valid until the next call) and returns them. */
  forward(features: HashedFeatures): Float64Array[] {
    const { dim, embedding, buckets, heads } = this.weights;
    const { ids, weights } = features;
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k]!;
      if (!(Number.isInteger(id) && id >= 0 && id < buckets)) throw new RangeError(`feature id ${id} outside [0, ${buckets})`);
    }
    if (this.simd !== undefined && ids.length <= this.simd.maxFeatures) {
      const raw = this.simd.logits(ids, weights);
      let at = 0;
      for (let h = 0; h < heads.length; h++) {
        const out = this.probabilities[h]!;
        for (let c = 0; c < out.length; c++) out[c] = raw[at + c]!;
        softmax(out);
        at += out.length;
      }
    } else {
      const hidden = this.hidden;
      hidden.fill(0);
      for (let k = 0; k < ids.length; k++) {
        const w = weights[k]!;
        const row = ids[k]! * dim;
        for (let d = 0; d < dim; d++) hidden[d]! += w * embedding[row + d]!;
      }
      for (let h = 0; h < heads.length; h++) {
        logits(hidden, this.transposed[h]!, heads[h]!.bias, this.probabilities[h]!);
        softmax(this.probabilities[h]!);
      }
    }
    return this.probabilities;
  }
}

function logits(hidden: Float64Array, weights: Float64Array, bias: Float32Array, out: Float64Array): void {
  const dim = hidden.length;
  for (let c = 0, row = 0; c < out.length; c++, row += dim) {
    // Four accumulators: independent chains the CPU can overlap.
    let a = 0, b = 0, e = 0, f = 0;
    for (let d = 0; d < dim; d += 4) {
      a += hidden[d]! * weights[row + d]!;
      b += hidden[d + 1]! * weights[row + d + 1]!;
      e += hidden[d + 2]! * weights[row + d + 2]!;
      f += hidden[d + 3]! * weights[row + d + 3]!;
    }
    out[c] = bias[c]! + (a + b + (e + f));
  }
}

function softmax(out: Float64Array): void {
  let max = -Infinity;
  for (let c = 0; c < out.length; c++) if (out[c]! > max) max = out[c]!;
  let sum = 0;
  for (let c = 0; c < out.length; c++) {
    const x = Math.exp(out[c]! - max);
    out[c] = x;
    sum += x;
  }
  const scale = 1 / sum;
  for (let c = 0; c < out.length; c++) out[c]! *= scale;
}
