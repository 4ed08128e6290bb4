import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelManifest } from '../../src/domain/manifest';

interface Checks {
  version: string;
  whole: number[];
  batched: number[];
  cudaProvider: string;
  warnings: string[];
  rejections: Record<'checksum' | 'corrupt' | 'wrongShape' | 'reference' | 'range', string>;
}

/** onnxruntime-node binds to the first realm that loads it, so the checks run in a plain Node child process. */
const checks = JSON.parse(
  execFileSync(process.execPath, ['--import', 'tsx', join(__dirname, '..', 'support', 'onnx-checks.ts')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
) as Checks;
const manifest = JSON.parse(readFileSync(join(__dirname, '../../model/manifest.json'), 'utf8')) as ModelManifest;

describe('the committed model on onnxruntime-node', () => {
  it('scores the golden inputs like the Python reference (LightGBM and onnxruntime) within 1e-5', () => {
    expect(checks.version).toBe(manifest.version);
    expect(checks.whole).toHaveLength(manifest.golden.inputs.length);
    checks.whole.forEach((s, i) => {
      expect(Math.abs(s - manifest.golden.onnxruntime[i]!)).toBeLessThanOrEqual(1e-5);
      expect(Math.abs(s - manifest.golden.lightgbm[i]!)).toBeLessThanOrEqual(1e-5);
    });
  });

  it('gives each of many concurrent single-row requests (micro-batched) its own score', () => {
    checks.batched.forEach((s, i) => expect(Math.abs(s - manifest.golden.onnxruntime[i]!)).toBeLessThanOrEqual(1e-5));
  });

  it('falls back to CPU with a logged warning when CUDA is configured and absent', () => {
    expect(checks.cudaProvider).toBe('cpu');
    expect(checks.warnings).toContain('the CUDA execution provider is not available: scoring on CPU');
  });
});

describe('the validation gate', () => {
  it('refuses an artifact that is not the one the manifest names, or does not load', () => {
    expect(checks.rejections.checksum).toMatch(/ModelRejected: .*sha256/);
    expect(checks.rejections.corrupt).toMatch(/ModelRejected: .*cannot load it/);
  });
  it('refuses a model of the wrong shape (features other than serving computes)', () => {
    expect(checks.rejections.wrongShape).toMatch(/takes 28 features, serving computes 29/);
  });
  it('refuses scores unlike the reference or outside the training range', () => {
    expect(checks.rejections.reference).toMatch(/Python reference/);
    expect(checks.rejections.range).toMatch(/outside the training range/);
  });
});
