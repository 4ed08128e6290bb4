/**
 * Featurisation of the category classifier: hashed word unigrams, word bigrams and character n-grams,
 * mean-pooled. The training pipeline exports its examples through this very function
 * (`training/export-examples.ts`), and Python only learns weights for bucket ids, so training and
 * serving cannot disagree on features. The spec is recorded in the model's manifest and checked at load.
 *
 * Algorithm (version `hash-ngrams.v1`), for the tokens of `normaliseText(query)`:
 *   - `w:<stem(token)>` for every token, `b:<stem(a)> <stem(b)>` for every adjacent pair,
 *   - `c:<gram>` for every 3- to 5-character substring of `<token>` (the token between angle brackets);
 *   - bucket = hash32(feature) mod buckets (hash32: FNV-1a over UTF-16 units, murmur3 finaliser);
 *   - each occurrence weighs 1; weights of a bucket add up; the vector is divided by its total (mean).
 */
import { hash32, stem } from '@search-mesh/catalog';

export const FEATURE_SPEC = 'hash-ngrams.v1';

export interface FeatureSpec {
  name: string;
  buckets: number;
  charMin: number;
  charMax: number;
}

export const DEFAULT_FEATURE_SPEC: FeatureSpec = { name: FEATURE_SPEC, buckets: 1 << 15, charMin: 3, charMax: 5 };

export interface HashedFeatures {
  /** Bucket ids, ascending, distinct. */
  ids: number[];
  /** Weights parallel to `ids`, summing to 1 (empty for no tokens). */
  weights: number[];
}

export function featurise(tokens: readonly string[], spec: FeatureSpec = DEFAULT_FEATURE_SPEC): HashedFeatures {
  const counts = new Map<number, number>();
  let total = 0;
  const add = (feature: string) => {
    const bucket = hash32(feature) % spec.buckets;
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    total++;
  };
  const stems = tokens.map(stem);
  for (let i = 0; i < tokens.length; i++) {
    add(`w:${stems[i]}`);
    if (i + 1 < tokens.length) add(`b:${stems[i]} ${stems[i + 1]}`);
    const padded = `<${tokens[i]}>`;
    for (let n = spec.charMin; n <= spec.charMax; n++) {
      for (let start = 0; start + n <= padded.length; start++) add(`c:${padded.slice(start, start + n)}`);
    }
  }
  const ids = [...counts.keys()].sort((a, b) => a - b);
  return { ids, weights: ids.map((id) => counts.get(id)! / total) };
}
