import { type CategoryPrediction, packValues, type PlanIntent, RANK_DOCUMENT_FEATURES, RANK_MATCH_FEATURES, type RankCandidate, type RankRequest, type RankResponse } from '@search-mesh/contracts';

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

/** What the ranking service gets of each candidate, by name (the debug answer shows them). */
export function candidateFeatures(candidate: Candidate, rank: number, now: number): Record<string, number> {
  const values: number[] = [];
  writeCandidateValues(values, 0, candidate, rank, now);
  return Object.fromEntries(RANK_REQUEST_FEATURES.map((name, k) => [name, values[k]!]));
}

export function rankRequest(query: string, intent: PlanIntent | undefined, categories: CategoryPrediction[], candidates: readonly Candidate[], explain: boolean, now: number): RankRequest {
  // The packed form: names once, every candidate's numbers in one float32 matrix (a missing match score is 0: did not match).
  const width = RANK_REQUEST_FEATURES.length;
  const matrix = new Float32Array(candidates.length * width);
  candidates.forEach((c, i) => writeCandidateValues(matrix, i * width, c, i, now));
  const request: RankRequest = {
    query,
    categories,
    featureNames: RANK_REQUEST_FEATURES,
    packedValues: packValues(matrix),
    candidates: candidates.map((c): RankCandidate => ({ id: c.id, retrievalScore: c.score })),
    explain,
  };
  if (intent !== undefined) request.intent = intent;
  return request;
}

/** A candidate's numbers in RANK_REQUEST_FEATURES order: its document's, then its match scores (0: did not match). */
function writeCandidateValues(out: Float32Array | number[], at: number, candidate: Candidate, rank: number, now: number): void {
  const s = candidate.source;
  const matched = candidate.matched;
  for (let k = 0; k < RANK_REQUEST_FEATURES.length; k++) {
    let value: number;
    switch (RANK_REQUEST_FEATURES[k]) {
      case 'retrieval_rank':
        value = rank;
        break;
      case 'price':
        value = s.price;
        break;
      case 'rating':
        value = s.rating;
        break;
      case 'review_count':
        value = s.review_count;
        break;
      case 'popularity':
        value = s.popularity;
        break;
      case 'in_stock':
        value = s.in_stock ? 1 : 0;
        break;
      case 'age_days':
        value = ageDays(s.release_date, now);
        break;
      default:
        value = matched?.[RANK_REQUEST_FEATURES[k]!] ?? 0;
    }
    out[at + k] = value;
  }
}

function ageDays(releaseDate: string, now: number): number {
  const released = Date.parse(releaseDate);
  return Number.isNaN(released) ? 0 : Math.max(0, Math.round((now - released) / DAY_MS));
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
