/**
 * The category model's two loops in WebAssembly SIMD (f32x4, float32 like onnxruntime):
 *   gather: `hidden = Σ_k weight_k · embedding[id_k]`, and
 *   matvec: `out[c] = bias[c] + Σ_d hidden[d] · W[c][d]` for all classes of both heads.
 * The module is a couple of hundred bytes assembled below (no toolchain, no download); where WebAssembly
 * SIMD is missing, `createSimdModel` returns undefined and the model uses plain TypeScript.
 *
 * (func $matvec (param $hidden i32) (param $w i32) (param $bias i32) (param $out i32) (param $classes i32) (param $dim i32)
 *   (local $c i32) (local $d i32) (local $acc v128)
 *   block loop                                       ;; for c in 0..classes
 *     c >= classes → exit;  acc = 0;  d = 0
 *     block loop                                     ;; for d in 0..dim step 4
 *       d >= dim → exit
 *       acc += v128.load(hidden + 4d) * v128.load(w);  w += 16;  d += 4
 *     end end
 *     out[c] = bias[c] + ((acc[0] + acc[1]) + (acc[2] + acc[3]));  c += 1
 *   end end)
 *
 * (func $gather (param $ids i32) (param $weights i32) (param $count i32) (param $emb i32) (param $dimBytes i32) (param $hidden i32)
 *   (local $k i32) (local $d i32) (local $row i32) (local $w v128)
 *   hidden = 0
 *   for k in 0..count:  w = splat(weights[k]);  row = emb + ids[k] · dimBytes
 *     for d in 0..dimBytes step 16:  v128.store(hidden + d, v128.load(hidden + d) + w * v128.load(row + d)))
 */

const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32 = (v: number) => [0x41, v];
const ADD = 0x6a, SHL = 0x74, GE_U = 0x4f, F32_ADD = 0x92;
const V128_LOAD = [0xfd, 0x00, 0x00, 0x00];
const F32X4_MUL = [0xfd, 0xe6, 0x01];
const F32X4_ADD = [0xfd, 0xe4, 0x01];
const lane = (n: number) => [0xfd, 0x1f, n];
const [HIDDEN, W, BIAS, OUT, CLASSES, DIM, C, D, ACC] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
const [IDS, WEIGHTS, COUNT, EMB, DIM_BYTES, G_HIDDEN, K, GD, ROW, GW] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
const V128_STORE = [0xfd, 0x0b, 0x00, 0x00];
const V128_ZERO = [0xfd, 0x0c, ...new Array<number>(16).fill(0)];
const I32_LOAD = [0x28, 0x02, 0x00];
const F32_LOAD = [0x2a, 0x02, 0x00];
const I32_MUL = 0x6c;
const F32X4_SPLAT = [0xfd, 0x13];

function gatherBody(): number[] {
  const code = [
    0x02, 0x40, 0x03, 0x40,
    ...get(GD), ...get(DIM_BYTES), GE_U, 0x0d, 1,
    ...get(G_HIDDEN), ...get(GD), ADD, ...V128_ZERO, ...V128_STORE,
    ...get(GD), ...i32(16), ADD, ...set(GD),
    0x0c, 0, 0x0b, 0x0b,
    0x02, 0x40, 0x03, 0x40,
    ...get(K), ...get(COUNT), GE_U, 0x0d, 1,
    ...get(WEIGHTS), ...get(K), ...i32(2), SHL, ADD, ...F32_LOAD, ...F32X4_SPLAT, ...set(GW),
    ...get(EMB), ...get(IDS), ...get(K), ...i32(2), SHL, ADD, ...I32_LOAD, ...get(DIM_BYTES), I32_MUL, ADD, ...set(ROW),
    ...i32(0), ...set(GD),
    0x02, 0x40, 0x03, 0x40,
    ...get(GD), ...get(DIM_BYTES), GE_U, 0x0d, 1,
    ...get(G_HIDDEN), ...get(GD), ADD,
    ...get(G_HIDDEN), ...get(GD), ADD, ...V128_LOAD,
    ...get(GW), ...get(ROW), ...get(GD), ADD, ...V128_LOAD, ...F32X4_MUL,
    ...F32X4_ADD,
    ...V128_STORE,
    ...get(GD), ...i32(16), ADD, ...set(GD),
    0x0c, 0, 0x0b, 0x0b,
    ...get(K), ...i32(1), ADD, ...set(K),
    0x0c, 0, 0x0b, 0x0b,
    0x0b,
  ];
  return [0x02, 0x03, 0x7f, 0x01, 0x7b, ...code]; // locals: 3 × i32 (k, d, row), 1 × v128 (w)
}

function assemble(): Uint8Array {
  const code = [
    0x02, 0x40, 0x03, 0x40,
    ...get(C), ...get(CLASSES), GE_U, 0x0d, 1,
    0xfd, 0x0c, ...new Array<number>(16).fill(0), ...set(ACC),
    ...i32(0), ...set(D),
    0x02, 0x40, 0x03, 0x40,
    ...get(D), ...get(DIM), GE_U, 0x0d, 1,
    ...get(ACC),
    ...get(HIDDEN), ...get(D), ...i32(2), SHL, ADD, ...V128_LOAD,
    ...get(W), ...V128_LOAD,
    ...F32X4_MUL, ...F32X4_ADD, ...set(ACC),
    ...get(W), ...i32(16), ADD, ...set(W),
    ...get(D), ...i32(4), ADD, ...set(D),
    0x0c, 0, 0x0b, 0x0b,
    ...get(OUT), ...get(C), ...i32(2), SHL, ADD,
    ...get(BIAS), ...get(C), ...i32(2), SHL, ADD, 0x2a, 0x02, 0x00,
    ...get(ACC), ...lane(0), ...get(ACC), ...lane(1), F32_ADD,
    ...get(ACC), ...lane(2), ...get(ACC), ...lane(3), F32_ADD,
    F32_ADD, F32_ADD,
    0x38, 0x02, 0x00,
    ...get(C), ...i32(1), ADD, ...set(C),
    0x0c, 0, 0x0b, 0x0b,
    0x0b,
  ];
  const locals = [0x02, 0x02, 0x7f, 0x01, 0x7b];
  const fn = [...locals, ...code];
  const gather = gatherBody();
  const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
  const name = (s: string) => [s.length, ...Buffer.from(s, 'ascii')];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x06, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]),
    ...section(2, [0x01, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]),
    ...section(3, [0x02, 0x00, 0x00]),
    ...section(7, [0x02, ...name('matvec'), 0x00, 0x00, ...name('gather'), 0x00, 0x01]),
    ...section(10, [0x02, ...leb(fn.length), ...fn, ...leb(gather.length), ...gather]),
  ]);
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** The part of the WebAssembly API used here (the tsconfig's libs do not declare it). */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

export interface SimdModel {
  /** Most features one call takes (more: use the TypeScript path). */
  readonly maxFeatures: number;
  /** Logits of all classes (both heads, concatenated) for these features: a view, valid until the next call. */
  logits(ids: readonly number[], weights: readonly number[]): Float32Array;
}

/**
 * The model in WebAssembly memory: `embedding` [buckets × dim], `weights` [classes × dim] (row-major,
 * both heads' transposed weights concatenated) and `bias`; undefined without WebAssembly SIMD. Ids must
 * be valid bucket ids (the caller checks).
 */
export function createSimdModel(embedding: Float32Array, weights: Float32Array, bias: Float32Array, dim: number, maxFeatures = 4096): SimdModel | undefined {
  const classes = bias.length;
  if (dim % 4 !== 0 || weights.length !== classes * dim || embedding.length % dim !== 0) return undefined;
  const bytes = assemble();
  if (wasm === undefined || !wasm.validate(bytes)) return undefined;
  const align = (n: number) => Math.ceil(n / 16) * 16;
  const hiddenAt = 0;
  const biasAt = align(dim * 4);
  const outAt = biasAt + align(classes * 4);
  const idsAt = outAt + align(classes * 4);
  const featureWeightsAt = idsAt + maxFeatures * 4;
  const weightsAt = featureWeightsAt + maxFeatures * 4;
  const embeddingAt = weightsAt + align(weights.length * 4);
  const size = embeddingAt + embedding.length * 4;
  const memory = new wasm.Memory({ initial: Math.ceil(size / 65536) });
  const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
  type Fn = (a: number, b: number, c: number, d: number, e: number, f: number) => void;
  const matvec = instance.exports.matvec as Fn;
  const gather = instance.exports.gather as Fn;
  new Float32Array(memory.buffer, biasAt, classes).set(bias);
  new Float32Array(memory.buffer, weightsAt, weights.length).set(weights);
  new Float32Array(memory.buffer, embeddingAt, embedding.length).set(embedding);
  const ids = new Int32Array(memory.buffer, idsAt, maxFeatures);
  const featureWeights = new Float32Array(memory.buffer, featureWeightsAt, maxFeatures);
  const out = new Float32Array(memory.buffer, outAt, classes);
  return {
    maxFeatures,
    logits(featureIds, featureWeightList) {
      const count = featureIds.length;
      for (let k = 0; k < count; k++) {
        ids[k] = featureIds[k]!;
        featureWeights[k] = featureWeightList[k]!;
      }
      gather(idsAt, featureWeightsAt, count, embeddingAt, dim * 4, hiddenAt);
      matvec(hiddenAt, weightsAt, biasAt, outAt, classes, dim);
      return out;
    },
  };
}
