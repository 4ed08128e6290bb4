/**
 * The category classifier in plain TypeScript (the default runtime): reads the weights out of the same
 * `category.onnx` onnxruntime serves, checks the manifest like the onnxruntime classifier does, and runs
 * the forward pass synchronously on the event loop (`domain/category-model.ts`). The model is ~70k
 * multiply-adds, so the hop to onnxruntime's thread pool and back costs more than the arithmetic;
 * without it a plan is computed in one synchronous call.
 */
import { join } from 'node:path';
import { withSpanSync } from '@search-mesh/service-kit';
import { CategoryModel } from '../domain/category-model';
import type { FeatureSpec, HashedFeatures } from '../domain/features';
import type { CategoryClassifier, CategoryScores } from '../domain/understand';
import { type ModelManifest, readManifest, topLabels } from './model-manifest';
import { readOnnxWeights } from './onnx-weights';

export class TsCategoryClassifier implements CategoryClassifier {
  readonly version: string;
  readonly featureSpec: FeatureSpec;
  readonly runtime = 'typescript';

  private constructor(
    private readonly model: CategoryModel,
    readonly manifest: ModelManifest,
  ) {
    this.version = manifest.version;
    this.featureSpec = manifest.featureSpec;
  }

  static load(modelDir: string): TsCategoryClassifier {
    const manifest = readManifest(modelDir);
    const weights = readOnnxWeights(join(modelDir, manifest.model));
    const [head1, head2] = weights.heads;
    if (weights.buckets !== manifest.featureSpec.buckets || head1?.classes !== manifest.labels.lvl1.length || head2?.classes !== manifest.labels.lvl2.length) {
      throw new Error(`${manifest.model} does not match manifest ${manifest.version} (buckets or label counts differ)`);
    }
    return new TsCategoryClassifier(new CategoryModel(weights), manifest);
  }

  /**
   * Top labels per level; `probabilities` are the full rows of both heads, valid only until the next call
   * (shared buffers: read them synchronously, as the pipeline does).
   */
  classifySync(features: HashedFeatures, top: number): CategoryScores {
    const [p1, p2] = withSpanSync('category-model inference', { 'search_mesh.model.runtime': this.runtime, 'search_mesh.model.version': this.version }, () => this.model.forward(features)) as [
      Float64Array,
      Float64Array,
    ];
    const { lvl1, lvl2 } = this.manifest.labels;
    return { lvl1: topLabels(p1, 0, lvl1.length, lvl1, top), lvl2: topLabels(p2, 0, lvl2.length, lvl2, top), probabilities: { lvl1: p1, lvl2: p2 } };
  }

  async classify(features: HashedFeatures, top: number): Promise<CategoryScores> {
    const scores = this.classifySync(features, top);
    // Asynchronous callers may read the rows later, after another call reused the buffers: give them copies.
    return { ...scores, probabilities: { lvl1: Float64Array.from(scores.probabilities!.lvl1), lvl2: Float64Array.from(scores.probabilities!.lvl2) } };
  }

  async classifyBatch(batch: readonly HashedFeatures[], top: number): Promise<CategoryScores[]> {
    const out: CategoryScores[] = [];
    for (const features of batch) out.push(await this.classify(features, top));
    return out;
  }

  /** Full probability rows of both heads (copies), for parity checks and evaluation. */
  probabilities(features: HashedFeatures): [Float64Array, Float64Array] {
    const [p1, p2] = this.model.forward(features) as [Float64Array, Float64Array];
    return [Float64Array.from(p1), Float64Array.from(p2)];
  }

  async close(): Promise<void> {}
}
