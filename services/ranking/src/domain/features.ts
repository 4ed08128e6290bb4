/**
 * The one place feature vectors are built, for training rows (training/dataset.ts) and serving rows
 * (routes/rank.ts) alike: the same request in gives the same numbers out. The order of FEATURES is the
 * model's input order; a model's manifest lists the names it was trained with and serving refuses a model
 * whose list differs (the validation gate).
 */
import { RANK_DOCUMENT_FEATURES, RANK_MATCH_FEATURES, type RankCandidate, type RankRequest, unpackValues } from '@search-mesh/contracts';
import { DEFAULT_PRIORS, smoothedRate } from '@search-mesh/feature-store';

export type FeatureSource = 'request' | 'derived' | 'behaviour';

export interface FeatureDef {
  name: string;
  source: FeatureSource;
  /** The value when the input lacks it (a named query that did not match, a product the store lacks). */
  default: number;
}

/** Behaviour counts over the feature store's 7-day window. */
export interface BehaviourCounts {
  impressions: number;
  clicks: number;
  carts: number;
}

/** What the feature store knows of one candidate: the product overall, and the product for this query. */
export interface CandidateBehaviour {
  product?: BehaviourCounts | undefined;
  queryProduct?: BehaviourCounts | undefined;
}

/** Prior mean of carts per impression (Beta prior with the store's strength). */
export const CART_RATE_PRIOR = 0.01;

const request = (name: string): FeatureDef => ({ name, source: 'request', default: 0 });

export const FEATURES: readonly FeatureDef[] = [
  { name: 'retrieval_score', source: 'request', default: 0 },
  ...RANK_DOCUMENT_FEATURES.map(request),
  ...RANK_MATCH_FEATURES.map(request),
  // Relative to the other candidates of the same request: what a shopper compares.
  { name: 'retrieval_score_ratio', source: 'derived', default: 0 },
  { name: 'price_log_ratio', source: 'derived', default: 0 },
  { name: 'query_words', source: 'derived', default: 0 },
  { name: 'product_ctr', source: 'behaviour', default: DEFAULT_PRIORS.ctr },
  { name: 'product_cart_rate', source: 'behaviour', default: CART_RATE_PRIOR },
  { name: 'product_impressions_log', source: 'behaviour', default: 0 },
  { name: 'query_product_ctr', source: 'behaviour', default: DEFAULT_PRIORS.ctr },
];
export const FEATURE_NAMES: readonly string[] = FEATURES.map((f) => f.name);
export const FEATURE_COUNT = FEATURES.length;

/** Names a request's candidate may carry in `features`: exactly the request-sourced ones. */
export const REQUEST_FEATURE_NAMES: ReadonlySet<string> = new Set([...RANK_DOCUMENT_FEATURES, ...RANK_MATCH_FEATURES]);

/** A request the model cannot score; `field` names the part at fault (the mesh's error shape). */
export class FeatureError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
    this.name = 'FeatureError';
  }
}

/**
 * How a (checked) request carries its request features: by name in each candidate's `features`, or as
 * `values` in the order of the request's `featureNames` (`column` maps a name to its index).
 */
/** How a request gives its numbers: named per candidate, `values` per candidate (compact), or one packed matrix. */
export type RequestForm =
  | { readonly kind: 'named' }
  | { readonly kind: 'compact'; readonly column: ReadonlyMap<string, number> }
  | { readonly kind: 'packed'; readonly column: ReadonlyMap<string, number>; readonly values: Float32Array };

const NAMED: RequestForm = { kind: 'named' };

/**
 * Checks what the contract's schema cannot, and returns the request's form: every value finite (JSON's
 * 1e999 parses to Infinity), no feature the model does not know (the feature count must match the
 * manifest's), every document feature present, one form per request (named `features`, or `values` in the
 * order of `featureNames`).
 */
export function checkRequest(req: Pick<RankRequest, 'candidates' | 'featureNames' | 'packedValues'>): RequestForm {
  const names = req.featureNames;
  if (req.packedValues !== undefined) {
    if (names === undefined) throw new FeatureError('packedValues need the request\'s featureNames', 'body.featureNames');
    return checkPacked(req.candidates, names, req.packedValues);
  }
  if (names !== undefined) return checkCompact(req.candidates, names);
  req.candidates.forEach((c, i) => {
    if (!Number.isFinite(c.retrievalScore)) throw new FeatureError(`retrievalScore must be a finite number`, `body.candidates.${i}.retrievalScore`);
    if (c.values !== undefined) throw new FeatureError('values need the request\'s featureNames', `body.candidates.${i}.values`);
    if (c.features === undefined) throw new FeatureError('features (or values with featureNames) are required', `body.candidates.${i}.features`);
    for (const name in c.features) {
      if (!REQUEST_FEATURE_NAMES.has(name)) throw new FeatureError(unknownFeature(name), `body.candidates.${i}.features.${name}`);
      if (!Number.isFinite(c.features[name])) throw new FeatureError(`feature "${name}" must be a finite number`, `body.candidates.${i}.features.${name}`);
    }
    for (const name of RANK_DOCUMENT_FEATURES) {
      if (!(name in c.features)) throw new FeatureError(`document feature "${name}" is missing`, `body.candidates.${i}.features.${name}`);
    }
  });
  return NAMED;
}

function unknownFeature(name: string): string {
  return `unknown feature "${name}": the model takes ${REQUEST_FEATURE_NAMES.size} request features (${[...REQUEST_FEATURE_NAMES].join(', ')})`;
}

/** The column of each of `featureNames`: known, not named twice, every document feature among them. */
function checkColumns(names: readonly string[]): Map<string, number> {
  const column = new Map<string, number>();
  names.forEach((name, k) => {
    if (!REQUEST_FEATURE_NAMES.has(name)) throw new FeatureError(unknownFeature(name), `body.featureNames.${k}`);
    if (column.has(name)) throw new FeatureError(`feature "${name}" is named twice`, `body.featureNames.${k}`);
    column.set(name, k);
  });
  for (const name of RANK_DOCUMENT_FEATURES) if (!column.has(name)) throw new FeatureError(`document feature "${name}" is missing`, 'body.featureNames');
  return column;
}

function checkPacked(candidates: RankRequest['candidates'], names: readonly string[], packed: string): RequestForm {
  const column = checkColumns(names);
  const width = names.length;
  candidates.forEach((c, i) => {
    if (!Number.isFinite(c.retrievalScore)) throw new FeatureError(`retrievalScore must be a finite number`, `body.candidates.${i}.retrievalScore`);
    if (c.features !== undefined || c.values !== undefined) throw new FeatureError('a request with packedValues gives no features or values per candidate', `body.candidates.${i}`);
  });
  const values = unpackValues(packed, candidates.length * width);
  if (values === undefined) {
    throw new FeatureError(`packedValues must be base64 of ${candidates.length * width} little-endian float32 (${candidates.length} candidates × ${width} featureNames)`, 'body.packedValues');
  }
  for (let at = 0; at < values.length; at++) {
    if (!Number.isFinite(values[at])) throw new FeatureError(`feature "${names[at % width]}" of candidate ${Math.floor(at / width)} must be a finite number`, 'body.packedValues');
  }
  return { kind: 'packed', column, values };
}

function checkCompact(candidates: RankRequest['candidates'], names: readonly string[]): RequestForm {
  const column = checkColumns(names);
  const width = names.length;
  candidates.forEach((c, i) => {
    if (!Number.isFinite(c.retrievalScore)) throw new FeatureError(`retrievalScore must be a finite number`, `body.candidates.${i}.retrievalScore`);
    if (c.features !== undefined) throw new FeatureError('a request with featureNames gives values, not features', `body.candidates.${i}.features`);
    const values = c.values;
    if (values === undefined || values.length !== width) throw new FeatureError(`values must hold ${width} numbers, one per featureNames entry`, `body.candidates.${i}.values`);
    for (let k = 0; k < width; k++) if (!Number.isFinite(values[k])) throw new FeatureError(`feature "${names[k]}" must be a finite number`, `body.candidates.${i}.values.${k}`);
  });
  return { kind: 'compact', column };
}

/** The form of a request already checked (training rows, benchmarks): no checks. */
export function requestForm(req: Pick<RankRequest, 'featureNames' | 'packedValues' | 'candidates'>): RequestForm {
  const names = req.featureNames;
  if (names === undefined) return NAMED;
  const column = new Map(names.map((name, k) => [name, k]));
  return req.packedValues === undefined ? { kind: 'compact', column } : { kind: 'packed', column, values: unpackValues(req.packedValues, req.candidates.length * names.length)! };
}

function median(values: Float64Array): number {
  if (values.length === 0) return 0;
  const sorted = values.slice().sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const rate = (successes: number, trials: number, mean: number) => smoothedRate(successes, trials, mean, DEFAULT_PRIORS.strength);

// What each model input is computed from, resolved once (the per-cell loop below compares small integers,
// not names: it runs candidates × features times a request).
const enum Source {
  Request,
  RetrievalScore,
  RetrievalScoreRatio,
  PriceLogRatio,
  QueryWords,
  ProductCtr,
  ProductCartRate,
  ProductImpressionsLog,
  QueryProductCtr,
}
const SOURCE_OF: Readonly<Record<string, Source>> = {
  retrieval_score: Source.RetrievalScore,
  retrieval_score_ratio: Source.RetrievalScoreRatio,
  price_log_ratio: Source.PriceLogRatio,
  query_words: Source.QueryWords,
  product_ctr: Source.ProductCtr,
  product_cart_rate: Source.ProductCartRate,
  product_impressions_log: Source.ProductImpressionsLog,
  query_product_ctr: Source.QueryProductCtr,
};
const SOURCES: readonly Source[] = FEATURES.map((f) => SOURCE_OF[f.name] ?? Source.Request);
const DEFAULTS: readonly number[] = FEATURES.map((f) => f.default);
const PRICE_AT = FEATURE_NAMES.indexOf('price');

/**
 * The feature matrix of a request, row-major (candidate × FEATURES), as float32: what the model reads.
 * `behaviour(id)` is the feature store's answer for a candidate (undefined: defaults).
 */
export function featureMatrix(
  req: Pick<RankRequest, 'query' | 'candidates' | 'featureNames' | 'packedValues'>,
  behaviour: (id: string) => CandidateBehaviour | undefined,
  form: RequestForm = requestForm(req),
): Float32Array {
  const candidates = req.candidates;
  const n = candidates.length;
  const out = new Float32Array(n * FEATURE_COUNT);
  // The column of each request feature in `values` or a packed row (-1: the request lacks it).
  const column = form.kind === 'named' ? undefined : FEATURES.map((f) => form.column.get(f.name) ?? -1);
  const packed = form.kind === 'packed' ? form.values : undefined;
  const width = form.kind === 'named' ? 0 : form.column.size;
  const requestValue = (c: RankCandidate, i: number, k: number): number | undefined => {
    if (column === undefined) return c.features?.[FEATURE_NAMES[k]!];
    const at = column[k]!;
    if (at < 0) return undefined;
    return packed === undefined ? c.values?.[at] : packed[i * width + at];
  };
  let maxScore = 0;
  const prices = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = candidates[i]!;
    if (c.retrievalScore > maxScore) maxScore = c.retrievalScore;
    prices[i] = requestValue(c, i, PRICE_AT) ?? 0;
  }
  const medianPrice = median(prices);
  const queryWords = req.query.split(/\s+/).filter((w) => w !== '').length;
  for (let i = 0; i < n; i++) {
    const c = candidates[i]!;
    const b = behaviour(c.id);
    const row = i * FEATURE_COUNT;
    for (let k = 0; k < FEATURE_COUNT; k++) {
      let value: number;
      switch (SOURCES[k]!) {
        case Source.Request:
          value = requestValue(c, i, k) ?? DEFAULTS[k]!;
          break;
        case Source.RetrievalScore:
          value = c.retrievalScore;
          break;
        case Source.RetrievalScoreRatio:
          value = maxScore > 0 ? c.retrievalScore / maxScore : 0;
          break;
        case Source.PriceLogRatio:
          value = Math.log((prices[i]! + 1) / (medianPrice + 1));
          break;
        case Source.QueryWords:
          value = queryWords;
          break;
        case Source.ProductCtr:
          value = b?.product ? rate(b.product.clicks, b.product.impressions, DEFAULT_PRIORS.ctr) : DEFAULTS[k]!;
          break;
        case Source.ProductCartRate:
          value = b?.product ? rate(b.product.carts, b.product.impressions, CART_RATE_PRIOR) : DEFAULTS[k]!;
          break;
        case Source.ProductImpressionsLog:
          value = b?.product ? Math.log1p(b.product.impressions) : DEFAULTS[k]!;
          break;
        case Source.QueryProductCtr:
          value = b?.queryProduct ? rate(b.queryProduct.clicks, b.queryProduct.impressions, DEFAULT_PRIORS.ctr) : DEFAULTS[k]!;
          break;
      }
      out[row + k] = value;
    }
  }
  return out;
}
