/**
 * The category classifier served by onnxruntime-node: loads `category.onnx` and its manifest, checks that
 * the manifest's feature spec is the one this code computes, and turns hashed features into the top
 * categories per level. One intra-op thread: the model is tiny, and threads would only add latency.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import type { FeatureSpec, HashedFeatures } from '../domain/features';
import { DEFAULT_FEATURE_SPEC } from '../domain/features';
import type { CategoryClassifier, CategoryScores, LabelProbabilities } from '../domain/understand';

export interface ModelManifest {
  version: string;
  model: string;
  featureSpec: FeatureSpec;
  lexicon: string;
  labels: { lvl1: string[]; lvl2: string[] };
  /** Probabilities training computed for fixed inputs: what serving must reproduce. */
  checks: Array<{ text: string; lvl1: Array<[string, number]>; lvl2: Array<[string, number]> }>;
}

export function readManifest(modelDir: string): ModelManifest {
  const manifest = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
  const spec = manifest.featureSpec;
  for (const key of Object.keys(DEFAULT_FEATURE_SPEC) as Array<keyof FeatureSpec>) {
    if (spec?.[key] !== DEFAULT_FEATURE_SPEC[key]) {
      throw new Error(`model ${manifest.version} was trained with featureSpec.${key}=${JSON.stringify(spec?.[key])}, serving computes ${JSON.stringify(DEFAULT_FEATURE_SPEC[key])}: retrain (npm run qu:train)`);
    }
  }
  return manifest;
}

/** The `top` most probable labels of a probability row, most probable first. */
export function topLabels(probabilities: Float32Array, offset: number, width: number, labels: readonly string[], top: number): LabelProbabilities {
  const best: Array<readonly [string, number]> = [];
  for (let i = 0; i < width; i++) {
    const p = probabilities[offset + i]!;
    if (best.length === top && p <= best[top - 1]![1]) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]![1] < p) at--;
    best.splice(at, 0, [labels[i]!, p]);
    if (best.length > top) best.pop();
  }
  return best;
}

export class OnnxCategoryClassifier implements CategoryClassifier {
  readonly version: string;
  readonly featureSpec: FeatureSpec;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly manifest: ModelManifest,
  ) {
    this.version = manifest.version;
    this.featureSpec = manifest.featureSpec;
  }

  static async load(modelDir: string): Promise<OnnxCategoryClassifier> {
    const manifest = readManifest(modelDir);
    const session = await ort.InferenceSession.create(join(modelDir, manifest.model), {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
    return new OnnxCategoryClassifier(session, manifest);
  }

  async classify(features: HashedFeatures, top: number): Promise<CategoryScores> {
    const [scores] = await this.classifyBatch([features], top);
    return scores!;
  }

  /** Several queries in one run (padding with weight 0), for evaluation. */
  async classifyBatch(batch: readonly HashedFeatures[], top: number): Promise<CategoryScores[]> {
    const width = Math.max(1, ...batch.map((f) => f.ids.length));
    // Plain arrays: onnxruntime makes the typed arrays itself, in its own realm (under jest, a typed
    // array made here would fail its instanceof check).
    const ids = new Array<number>(batch.length * width).fill(0);
    const weights = new Array<number>(batch.length * width).fill(0);
    batch.forEach((f, row) => {
      for (let k = 0; k < f.ids.length; k++) {
        ids[row * width + k] = f.ids[k]!;
        weights[row * width + k] = f.weights[k]!;
      }
    });
    const output = await this.session.run({
      ids: new ort.Tensor('int64', ids, [batch.length, width]),
      weights: new ort.Tensor('float32', weights, [batch.length, width]),
    });
    const lvl1 = output.lvl1!.data as Float32Array;
    const lvl2 = output.lvl2!.data as Float32Array;
    const { lvl1: labels1, lvl2: labels2 } = this.manifest.labels;
    return batch.map((_, row) => ({
      lvl1: topLabels(lvl1, row * labels1.length, labels1.length, labels1, top),
      lvl2: topLabels(lvl2, row * labels2.length, labels2.length, labels2, top),
    }));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
