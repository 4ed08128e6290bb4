import { type CategoryPrediction, type PlanIntent, RANK_DOCUMENT_FEATURES, RANK_MATCH_FEATURES, type RankCandidate, type RankRequest, type RankResponse } from '@search-mesh/contracts';

/** Every feature a rank request carries, in the order of each candidate's `values`. */
const RANK_REQUEST_FEATURES: string[] = [...RANK_DOCUMENT_FEATURES, ...RANK_MATCH_FEATURES];

/** A retrieved product, as the orchestrator holds it between retrieval and the answer. */
export interface Candidate {
  id: string;
  score: number;
  source: CandidateSource;
  /** The title HTML-escaped with the searched words marked (`titleMarker`), set on the page's candidates. */
  highlightTitle?: string | undefined;
  /** Elasticsearch's named-query scores (the ranking match features), when the window asked for them. */
  matched?: Record<string, number>;
}

export interface CandidateSource {
  id: string;
  title: string;
  brand: string;
  price: number;
  rating: number;
  review_count: number;
  in_stock: boolean;
  image: string;
  category: { path: string };
  popularity: number;
  release_date: string;
}

const DAY_MS = 86_400_000;

/** The document's own numbers the ranking service gets with each candidate. */
export function candidateFeatures(candidate: Candidate, rank: number, now: number): Record<string, number> {
  const s = candidate.source;
  const released = Date.parse(s.release_date);
  return {
    ...candidate.matched,
    retrieval_rank: rank,
    price: s.price,
    rating: s.rating,
    review_count: s.review_count,
    popularity: s.popularity,
    in_stock: s.in_stock ? 1 : 0,
    age_days: Number.isNaN(released) ? 0 : Math.max(0, Math.round((now - released) / DAY_MS)),
  };
}

export function rankRequest(query: string, intent: PlanIntent | undefined, categories: CategoryPrediction[], candidates: readonly Candidate[], explain: boolean, now: number): RankRequest {
  const request: RankRequest = {
    query,
    categories,
    // The compact form: one list of names, then numbers per candidate (a missing match score is 0: did not match).
    featureNames: RANK_REQUEST_FEATURES,
    candidates: candidates.map((c, i): RankCandidate => {
      const features = candidateFeatures(c, i, now);
      return { id: c.id, retrievalScore: c.score, values: RANK_REQUEST_FEATURES.map((name) => features[name] ?? 0) };
    }),
    explain,
  };
  if (intent !== undefined) request.intent = intent;
  return request;
}

export interface RankedCandidates {
  candidates: Candidate[];
  /** Score and features per id, as the ranking service reported them. */
  scores: Map<string, { score: number; features: Record<string, number> | undefined }>;
}

/**
 * The candidates in the ranking service's order. Ids it did not retrieve are ignored (never shown: a
 * ranking bug must not inject products the filters excluded), ids it left out keep retrieval order
 * after the ranked ones, and an id listed twice counts once.
 */
export function applyRanking(candidates: readonly Candidate[], response: RankResponse): RankedCandidates {
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const ordered: Candidate[] = [];
  const scores: RankedCandidates['scores'] = new Map();
  for (const r of response.ranked) {
    const candidate = byId.get(r.id);
    if (candidate === undefined || scores.has(r.id)) continue;
    ordered.push(candidate);
    scores.set(r.id, { score: r.score, features: r.features });
  }
  for (const c of candidates) if (!scores.has(c.id)) ordered.push(c);
  return { candidates: ordered, scores };
}
