/**
 * `out[c] = bias[c] + Σ_d hidden[d] · W[c][d]` for all classes with WebAssembly SIMD (f32x4): the one hot
 * loop of the category model. The module is 120 bytes assembled below (no toolchain, no download); where
 * WebAssembly SIMD is missing, `createSimdMatVec` returns undefined and the model uses plain TypeScript.
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
  const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
  const name = (s: string) => [s.length, ...Buffer.from(s, 'ascii')];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [0x01, 0x60, 0x06, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]),
    ...section(2, [0x01, ...name('env'), ...name('memory'), 0x02, 0x00, 0x01]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, ...name('matvec'), 0x00, 0x00]),
    ...section(10, [0x01, ...leb(fn.length), ...fn]),
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

export interface SimdMatVec {
  /** Write the hidden vector here before `run`. */
  readonly hidden: Float32Array;
  /** The logits `run` computed. */
  readonly out: Float32Array;
  run(): void;
}

/** A mat-vec for `weights` [classes × dim] (row-major) and `bias`, or undefined without WebAssembly SIMD. */
export function createSimdMatVec(weights: Float32Array, bias: Float32Array, dim: number): SimdMatVec | undefined {
  const classes = bias.length;
  if (dim % 4 !== 0 || weights.length !== classes * dim) return undefined;
  const bytes = assemble();
  if (wasm === undefined || !wasm.validate(bytes)) return undefined;
  const align = (n: number) => Math.ceil(n / 16) * 16;
  const hiddenAt = 0;
  const biasAt = align(dim * 4);
  const outAt = biasAt + align(classes * 4);
  const weightsAt = outAt + align(classes * 4);
  const size = weightsAt + weights.length * 4;
  const memory = new wasm.Memory({ initial: Math.ceil(size / 65536) });
  const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
  const matvec = instance.exports.matvec as (hidden: number, w: number, bias: number, out: number, classes: number, dim: number) => void;
  new Float32Array(memory.buffer, biasAt, classes).set(bias);
  new Float32Array(memory.buffer, weightsAt, weights.length).set(weights);
  return {
    hidden: new Float32Array(memory.buffer, hiddenAt, dim),
    out: new Float32Array(memory.buffer, outAt, classes),
    run: () => matvec(hiddenAt, weightsAt, biasAt, outAt, classes, dim),
  };
}
