/**
 * Runs the ONNX model checks in a plain Node process (onnxruntime-node binds to the first realm that loads
 * it, which under jest is not the test's) and prints what they found as JSON.
 *   node --import tsx test/support/onnx-checks.ts
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OnnxModel, type SessionOptions } from '../../src/adapters/onnx-model';
import { FEATURE_COUNT } from '../../src/domain/features';
import type { ModelManifest } from '../../src/domain/manifest';

async function main() {
  const dir = join(__dirname, '../../model');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
  const bytes = new Uint8Array(readFileSync(join(dir, 'model.onnx')));
  const warnings: string[] = [];
  const options: SessionOptions = { executionProvider: 'cpu', intraOpThreads: 1, maxBatchRows: 4096, maxWaitMs: 0, warn: (m) => warnings.push(m) };
  const rejection = async (b: Uint8Array, m: ModelManifest) => {
    try {
      await (await OnnxModel.load(b, m, options)).retire();
      return 'accepted';
    } catch (err) {
      return `${(err as Error).name}: ${(err as Error).message}`;
    }
  };

  const model = await OnnxModel.load(bytes, manifest, options);
  const rows = manifest.golden.inputs;
  const matrix = new Float32Array(rows.length * FEATURE_COUNT);
  rows.forEach((r, i) => matrix.set(r, i * FEATURE_COUNT));
  const whole = Array.from(await model.score(matrix, rows.length));
  // One request per row, all at once: the batcher runs them together.
  const batched = await Promise.all(rows.map((r) => model.score(Float32Array.from(r), 1).then((s) => s[0]!)));
  await model.retire();

  const cuda = await OnnxModel.load(bytes, manifest, { ...options, executionProvider: 'cuda' });
  const cudaProvider = cuda.provider;
  await cuda.retire();

  const corrupt = bytes.slice(0, 1000);
  const out = {
    version: manifest.version,
    whole,
    batched,
    cudaProvider,
    warnings,
    rejections: {
      checksum: await rejection(corrupt, manifest),
      corrupt: await rejection(corrupt, { ...manifest, sha256: createHash('sha256').update(corrupt).digest('hex') }),
      wrongShape: await rejection(bytes, { ...manifest, features: manifest.features.slice(1) }),
      reference: await rejection(bytes, { ...manifest, golden: { ...manifest.golden, onnxruntime: manifest.golden.onnxruntime.map((s) => s + 0.01) } }),
      range: await rejection(bytes, { ...manifest, scoreRange: [100, 200] }),
    },
  };
  process.stdout.write(JSON.stringify(out));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
