import { RANK_DOCUMENT_FEATURES, RANK_MATCH_FEATURES, unpackValues } from '@search-mesh/contracts';
import { applyRanking, type Candidate, candidateFeatures, rankRequest } from '../../src/domain/ranking';

const candidate = (id: string, score = 1): Candidate => ({
  id,
  score,
  source: {
    id,
    title: `Product ${id}`,
    brand: 'Brand',
    price: 100,
    rating: 4.5,
    review_count: 10,
    in_stock: true,
    image: `/images/${id}.jpg`,
    category: { path: 'A > B' },
    popularity: 0.5,
    release_date: '2026-01-01',
  },
});

describe('ranking', () => {
  const candidates = ['a', 'b', 'c', 'd'].map((id, i) => candidate(id, 10 - i));

  it('sends each candidate with its retrieval score and document numbers', () => {
    const now = Date.parse('2026-01-11T00:00:00Z');
    const request = rankRequest('tv', { type: 'product' }, [], candidates, true, now);
    // The packed form: names once, then every candidate's numbers as float32 in their order (match scores absent here: 0).
    const width = request.featureNames!.length;
    const matrix = unpackValues(request.packedValues!, candidates.length * width)!;
    const sent = Object.fromEntries(request.featureNames!.map((name, k) => [name, matrix[width + k]]));
    expect(request.candidates[1]).toEqual({ id: 'b', retrievalScore: 9 });
    expect(sent).toMatchObject({ retrieval_rank: 1, price: 100, rating: 4.5, review_count: 10, popularity: 0.5, in_stock: 1, age_days: 10, text_title: 0 });
    expect(request.featureNames).toEqual([...RANK_DOCUMENT_FEATURES, ...RANK_MATCH_FEATURES]);
    expect(candidateFeatures({ ...candidate('x'), source: { ...candidate('x').source, release_date: 'never' } }, 0, now).age_days).toBe(0);
    // By name, the same numbers as sent; a match score the window had is sent as it was.
    expect(candidateFeatures(candidates[1]!, 1, now)).toEqual(sent);
    const matched = rankRequest('tv', undefined, [], [{ ...candidate('m'), matched: { text_title: 2.5 } }], false, now);
    expect(unpackValues(matched.packedValues!, width)![width - RANK_MATCH_FEATURES.length]).toBe(2.5);
  });

  it('orders by the ranking, unlisted candidates after in retrieval order', () => {
    const ranked = applyRanking(candidates, { model: { name: 'm', version: '1' }, ranked: [{ id: 'c', score: 3 }, { id: 'a', score: 2 }] });
    expect(ranked.candidates.map((c) => c.id)).toEqual(['c', 'a', 'b', 'd']);
    expect(ranked.scores.get('c')).toEqual({ score: 3, features: undefined });
  });

  it('ignores ids it was not given and duplicates', () => {
    const ranked = applyRanking(candidates, { model: { name: 'm', version: '1' }, ranked: [{ id: 'zzz', score: 9 }, { id: 'b', score: 3 }, { id: 'b', score: 1 }] });
    expect(ranked.candidates.map((c) => c.id)).toEqual(['b', 'a', 'c', 'd']);
  });
});
