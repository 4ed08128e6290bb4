/** Candidate indexes best first: by score, ties in retrieval order (so equal scores never reshuffle). */
export function orderByScore(scores: ArrayLike<number>): number[] {
  const order = Array.from({ length: scores.length }, (_, i) => i);
  return order.sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** Share of the first `k` of `a` that are also in the first `k` of `b`. */
export function topOverlap(a: readonly number[], b: readonly number[], k: number): number {
  const n = Math.min(k, a.length);
  if (n === 0) return 1;
  const top = new Set(b.slice(0, k));
  return a.slice(0, n).filter((i) => top.has(i)).length / n;
}
