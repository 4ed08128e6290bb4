/**
 * The category model's manifest (`model/manifest.json`, written by training/train.py): labels, the feature
 * spec the model was trained with (checked against what serving computes), versions, and the probabilities
 * training computed for fixed inputs, which every runtime must reproduce. Shared by both runtimes, so the
 * TypeScript one never loads onnxruntime-node.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeatureSpec } from '../domain/features';
import { DEFAULT_FEATURE_SPEC } from '../domain/features';
import type { LabelProbabilities } from '../domain/understand';

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
export function topLabels(probabilities: ArrayLike<number>, offset: number, width: number, labels: readonly string[], top: number): LabelProbabilities {
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
