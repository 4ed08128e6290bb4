/**
 * The category classifier served by onnxruntime-node: loads `category.onnx` and its manifest, checks that
 * the manifest's feature spec is the one this code computes, and turns hashed features into the top
 * categories per level. One intra-op thread: the model is tiny, and threads would only add latency.
 * The reference runtime (CLASSIFIER_RUNTIME=onnxruntime); the default is the TypeScript forward pass of
 * the same weights (`ts-classifier.ts`), whose parity with this one a unit test checks.
 */
import { join } from 'node:path';
import { SpanKind, withSpan } from '@search-mesh/service-kit';
import * as ort from 'onnxruntime-node';
import type { FeatureSpec, HashedFeatures } from '../domain/features';
import type { CategoryClassifier, CategoryScores } from '../domain/understand';
import { type ModelManifest, readManifest, topLabels } from './model-manifest';

export { type ModelManifest, readManifest, topLabels } from './model-manifest';

export class OnnxCategoryClassifier implements CategoryClassifier {
  readonly runtime = 'onnxruntime';
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
    const output = await withSpan('category-model inference', SpanKind.INTERNAL, { 'search_mesh.model.runtime': 'onnxruntime', 'search_mesh.model.version': this.manifest.version, 'search_mesh.model.batch': batch.length }, () =>
      this.session.run({
        ids: new ort.Tensor('int64', ids, [batch.length, width]),
        weights: new ort.Tensor('float32', weights, [batch.length, width]),
      }),
    );
    const lvl1 = output.lvl1!.data as Float32Array;
    const lvl2 = output.lvl2!.data as Float32Array;
    const { lvl1: labels1, lvl2: labels2 } = this.manifest.labels;
    return batch.map((_, row) => ({
      lvl1: topLabels(lvl1, row * labels1.length, labels1.length, labels1, top),
      lvl2: topLabels(lvl2, row * labels2.length, labels2.length, labels2, top),
      probabilities: {
        lvl1: lvl1.subarray(row * labels1.length, (row + 1) * labels1.length),
        lvl2: lvl2.subarray(row * labels2.length, (row + 1) * labels2.length),
      },
    }));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
