import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR } from '../../src/adapters/artifacts';
import { readManifest, topLabels } from '../../src/adapters/onnx-classifier';
import type { CategoryScores } from '../../src/domain/understand';

interface Classified {
  version: string;
  single: CategoryScores[];
  batch: CategoryScores[];
}

/** onnxruntime-node binds to the first realm that loads it, so it runs in a plain Node child process. */
function classifyInNode(texts: string[]): Classified {
  const script = join(__dirname, '..', 'support', 'classify.ts');
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script, JSON.stringify(texts)], { encoding: 'utf8' })) as Classified;
}

describe('ONNX category classifier', () => {
  const manifest = readManifest(DEFAULT_MODEL_DIR);
  const texts = [...manifest.checks.map((c) => c.text), 'french door refrigerator', 'gaming laptop'];
  const result = classifyInNode(texts);

  it('reproduces in onnxruntime-node the probabilities training computed for fixed inputs (feature and export parity)', () => {
    expect(manifest.checks.length).toBeGreaterThanOrEqual(5);
    expect(result.version).toBe(manifest.version);
    manifest.checks.forEach((check, i) => {
      for (const level of ['lvl1', 'lvl2'] as const) {
        const scores = result.single[i]![level];
        expect(scores.map(([label]) => label)).toEqual(check[level].map(([label]) => label));
        scores.forEach(([, p], k) => expect(p).toBeCloseTo(check[level][k]![1], 4));
      }
    });
  });

  it('answers a batch (padded) like single queries', () => {
    texts.forEach((_, i) => {
      expect(result.batch[i]!.lvl1.map(([l]) => l)).toEqual(result.single[i]!.lvl1.map(([l]) => l));
      expect(result.batch[i]!.lvl2[0]![1]).toBeCloseTo(result.single[i]!.lvl2[0]![1], 5);
    });
  });

  it('refuses a model trained with another feature spec', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qu-model-'));
    cpSync(join(DEFAULT_MODEL_DIR, 'manifest.json'), join(dir, 'manifest.json'));
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    manifest.featureSpec.buckets = 1024;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    expect(() => readManifest(dir)).toThrow(/featureSpec.buckets=1024.*retrain/);
  });

});

describe('topLabels', () => {
  it('picks the top labels in order', () => {
    const p = new Float32Array([0.1, 0.5, 0.05, 0.35]);
    expect(topLabels(p, 0, 4, ['a', 'b', 'c', 'd'], 2)).toEqual([['b', 0.5], ['d', expect.closeTo(0.35, 5)]]);
    expect(topLabels(p, 2, 2, ['c', 'd'], 5).map(([l]) => l)).toEqual(['d', 'c']);
  });
});
