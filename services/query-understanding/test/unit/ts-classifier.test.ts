import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadQueries, resolveDataDir, splitQueries } from '@search-mesh/catalog';
import { DEFAULT_MODEL_DIR } from '../../src/adapters/artifacts';
import { readManifest } from '../../src/adapters/model-manifest';
import { halfToNumber, readOnnxWeights } from '../../src/adapters/onnx-weights';
import { TsCategoryClassifier } from '../../src/adapters/ts-classifier';
import { CategoryModel } from '../../src/domain/category-model';
import { featurise } from '../../src/domain/features';
import { normaliseText } from '../../src/domain/normalise';

/** onnxruntime-node binds to the first realm that loads it, so the reference runs in a plain Node child process. */
function onnxRows(texts: string[]): Array<[number[], number[]]> {
  const script = join(__dirname, '..', 'support', 'classify.ts');
  const out = execFileSync(process.execPath, ['--import', 'tsx', script, JSON.stringify(texts), '--rows'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return (JSON.parse(out) as { rows: Array<[number[], number[]]> }).rows;
}

describe('TypeScript category classifier (same weights as category.onnx)', () => {
  const manifest = readManifest(DEFAULT_MODEL_DIR);
  const classifier = TsCategoryClassifier.load(DEFAULT_MODEL_DIR);
  const features = (text: string) => featurise(normaliseText(text).tokens);

  it('reproduces the probabilities training computed for fixed inputs', () => {
    expect(classifier.version).toBe(manifest.version);
    for (const check of manifest.checks) {
      const scores = classifier.classifySync(features(check.text), 3);
      for (const level of ['lvl1', 'lvl2'] as const) {
        expect(scores[level].map(([label]) => label)).toEqual(check[level].map(([label]) => label));
        scores[level].forEach(([, p], k) => expect(p).toBeCloseTo(check[level][k]![1], 5));
      }
    }
  });

  it('agrees with onnxruntime-node on every probability of both heads for every test query', () => {
    const texts = splitQueries(loadQueries(resolveDataDir())).test.map((q) => q.query);
    const rows = onnxRows(texts);
    let max = 0;
    texts.forEach((text, i) => {
      const [p1, p2] = classifier.probabilities(features(text));
      const [o1, o2] = rows[i]!;
      expect(p1.length).toBe(o1.length);
      expect(p2.length).toBe(o2.length);
      o1.forEach((p, k) => (max = Math.max(max, Math.abs(p - p1[k]!))));
      o2.forEach((p, k) => (max = Math.max(max, Math.abs(p - p2[k]!))));
    });
    expect(max).toBeLessThan(1e-5);
  });

  it('computes the same with WebAssembly SIMD and with plain loops', () => {
    const weights = readOnnxWeights(join(DEFAULT_MODEL_DIR, manifest.model));
    const simd = new CategoryModel(weights);
    const plain = new CategoryModel(weights, { simd: false });
    expect(simd.usesSimd).toBe(true);
    expect(plain.usesSimd).toBe(false);
    for (const text of ['65 inch samsung tv', 'french door refrigerator', 'xyzzy']) {
      const a = simd.forward(features(text)).map((row) => Float64Array.from(row));
      const b = plain.forward(features(text));
      a.forEach((row, h) => row.forEach((p, k) => expect(Math.abs(p - b[h]![k]!)).toBeLessThan(1e-6)));
      expect(a[0]!.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 5);
    }
  });

  it('gives asynchronous callers rows of their own (the synchronous ones are reused buffers)', async () => {
    const first = await classifier.classify(features('gaming laptop'), 3);
    const before = Array.from(first.probabilities!.lvl1);
    classifier.classifySync(features('french door refrigerator'), 3);
    expect(Array.from(first.probabilities!.lvl1)).toEqual(before);
  });

  it('refuses a graph it does not implement and a model that does not match its manifest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qu-model-'));
    cpSync(DEFAULT_MODEL_DIR, dir, { recursive: true });
    const bytes = readFileSync(join(dir, 'category.onnx'));
    const at = bytes.indexOf(Buffer.from('Softmax'));
    bytes.write('Sigmoid', at, 'ascii');
    writeFileSync(join(dir, 'category.onnx'), bytes);
    expect(() => TsCategoryClassifier.load(dir)).toThrow(/not the graph.*CLASSIFIER_RUNTIME=onnxruntime/);
    cpSync(join(DEFAULT_MODEL_DIR, 'category.onnx'), join(dir, 'category.onnx'));
    const edited = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    edited.labels.lvl1.pop();
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(edited));
    expect(() => TsCategoryClassifier.load(dir)).toThrow(/does not match manifest/);
  });

  it('decodes half floats exactly', () => {
    expect(halfToNumber(0x3c00)).toBe(1);
    expect(halfToNumber(0xc000)).toBe(-2);
    expect(halfToNumber(0x3555)).toBeCloseTo(0.333251953125, 12);
    expect(halfToNumber(0x0001)).toBe(2 ** -24);
    expect(halfToNumber(0x7c00)).toBe(Infinity);
  });
});
