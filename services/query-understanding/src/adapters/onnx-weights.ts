/**
 * Reads the weights of `category.onnx` without onnxruntime: a minimal protobuf reader for the parts of
 * ONNX's ModelProto the model uses (graph → nodes' op types, initializers' names, dims, data types and
 * raw data). It refuses any graph that is not the exact one training/train.py exports (Gather of an fp16
 * embedding → Cast → Mul by weights → ReduceSum → two MatMul+Add+Softmax heads), so the TypeScript
 * forward pass can never silently compute something other than what onnxruntime would.
 */
import { readFileSync } from 'node:fs';
import type { LinearHeads } from '../domain/category-model';

/** The node op types, in order, of the graph train.py exports. */
export const EXPECTED_OPS = ['Gather', 'Cast', 'Unsqueeze', 'Mul', 'ReduceSum', 'MatMul', 'Add', 'Softmax', 'MatMul', 'Add', 'Softmax'];

const FLOAT = 1;
const FLOAT16 = 10;

interface Tensor {
  name: string;
  dims: number[];
  dataType: number;
  raw: Uint8Array;
}

class Reader {
  pos: number;
  constructor(private readonly buf: Uint8Array, start = 0, readonly end = buf.length) {
    this.pos = start;
  }
  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) return result;
      scale *= 128;
      if (this.pos > this.end) throw new Error('truncated varint');
    }
  }
  /** Calls `field(number, wireType)` for each field; the callback consumes the value or returns false to skip it. */
  fields(field: (no: number, wire: number, reader: Reader) => boolean): void {
    while (this.pos < this.end) {
      const key = this.varint();
      const no = Math.floor(key / 8);
      const wire = key % 8;
      if (!field(no, wire, this)) this.skip(wire);
    }
    if (this.pos !== this.end) throw new Error('malformed protobuf message');
  }
  bytes(): Uint8Array {
    const length = this.varint();
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    if (this.pos > this.end) throw new Error('truncated field');
    return out;
  }
  sub(): Reader {
    const length = this.varint();
    const reader = new Reader(this.buf, this.pos, this.pos + length);
    this.pos += length;
    return reader;
  }
  skip(wire: number): void {
    if (wire === 0) this.varint();
    else if (wire === 1) this.pos += 8;
    else if (wire === 2) {
      const length = this.varint(); // read before `this.pos +=` reads pos
      this.pos += length;
    }
    else if (wire === 5) this.pos += 4;
    else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

const utf8 = new TextDecoder();

function readTensor(reader: Reader): Tensor {
  const tensor: Tensor = { name: '', dims: [], dataType: 0, raw: new Uint8Array(0) };
  reader.fields((no, wire, r) => {
    if (no === 1 && wire === 0) tensor.dims.push(r.varint());
    else if (no === 1 && wire === 2) {
      const packed = r.sub();
      while (packed.pos < packed.end) tensor.dims.push(packed.varint());
    } else if (no === 2 && wire === 0) tensor.dataType = r.varint();
    else if (no === 8 && wire === 2) tensor.name = utf8.decode(r.bytes());
    else if (no === 9 && wire === 2) tensor.raw = r.bytes();
    else if ((no === 4 || no === 5 || no === 7) && wire === 2) throw new Error(`initializer ${tensor.name || '?'} stores typed data, not raw_data`);
    else return false;
    return true;
  });
  return tensor;
}

/** IEEE 754 half → number (exact). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

function floats(tensor: Tensor | undefined, name: string, dims: number): Float32Array {
  if (tensor === undefined) throw new Error(`category.onnx has no initializer "${name}"`);
  if (tensor.dataType !== FLOAT || tensor.dims.length !== dims) throw new Error(`initializer "${name}" is not a float32 tensor of rank ${dims}`);
  const count = tensor.dims.reduce((a, b) => a * b, 1);
  if (tensor.raw.byteLength !== count * 4) throw new Error(`initializer "${name}" has ${tensor.raw.byteLength} bytes, expected ${count * 4}`);
  const out = new Float32Array(count);
  const view = new DataView(tensor.raw.buffer, tensor.raw.byteOffset, tensor.raw.byteLength);
  for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}

/** The weights of `category.onnx` as plain typed arrays (the fp16 embedding widened to float32, exactly). */
export function readOnnxWeights(file: string): LinearHeads {
  const buf = readFileSync(file);
  const model = new Reader(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength));
  const ops: string[] = [];
  const tensors = new Map<string, Tensor>();
  model.fields((no, wire, r) => {
    if (no !== 7 || wire !== 2) return false; // ModelProto.graph
    r.sub().fields((gno, gwire, g) => {
      if (gno === 1 && gwire === 2) {
        // NodeProto.op_type
        g.sub().fields((nno, nwire, n) => {
          if (nno !== 4 || nwire !== 2) return false;
          ops.push(utf8.decode(n.bytes()));
          return true;
        });
      } else if (gno === 5 && gwire === 2) {
        const tensor = readTensor(g.sub());
        tensors.set(tensor.name, tensor);
      } else return false;
      return true;
    });
    return true;
  });
  if (ops.join(',') !== EXPECTED_OPS.join(',')) {
    throw new Error(`${file} is not the graph the TypeScript runtime implements (ops ${ops.join(',')}): serve it with CLASSIFIER_RUNTIME=onnxruntime`);
  }
  const embedding = tensors.get('embedding');
  if (embedding === undefined || embedding.dataType !== FLOAT16 || embedding.dims.length !== 2) throw new Error('category.onnx: "embedding" is not an fp16 matrix');
  const [buckets, dim] = embedding.dims as [number, number];
  if (embedding.raw.byteLength !== buckets * dim * 2) throw new Error('category.onnx: "embedding" has the wrong size');
  const halfTable = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) halfTable[h] = halfToNumber(h);
  const view = new DataView(embedding.raw.buffer, embedding.raw.byteOffset, embedding.raw.byteLength);
  const table = new Float32Array(buckets * dim);
  for (let i = 0; i < table.length; i++) table[i] = halfTable[view.getUint16(2 * i, true)]!;
  const heads = ([['w1', 'b1'], ['w2', 'b2']] as const).map(([w, b]) => {
    const weights = floats(tensors.get(w), w, 2);
    const bias = floats(tensors.get(b), b, 1);
    const [rows, classes] = tensors.get(w)!.dims as [number, number];
    if (rows !== dim || bias.length !== classes) throw new Error(`category.onnx: head ${w} is ${rows}×${classes}, bias ${bias.length}, embedding dim ${dim}`);
    return { weights, bias, classes };
  });
  return { buckets, dim, embedding: table, heads };
}
