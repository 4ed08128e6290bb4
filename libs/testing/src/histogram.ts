import { request } from 'undici';

/**
 * Cumulative bucket counts (then +Inf) of a Prometheus histogram without labels other than `le`, from a
 * service's /metrics: read before and after a load, they give the server-side latency of just that load.
 */
export async function scrapeHistogram(baseUrl: string, name: string, buckets: readonly number[]): Promise<number[]> {
  const text = await (await request(`${baseUrl}/metrics`)).body.text();
  return [...buckets.map(String), '+Inf'].map((le) => {
    const m = new RegExp(`^${name}_bucket\\{(?:[^}]*,)?le="${le.replace('+', '\\+')}"[^}]*\\} (\\d+)`, 'm').exec(text);
    return Number(m?.[1] ?? 0);
  });
}

/** Quantiles in ms of the observations between two readings, linear within a bucket (Infinity past the last). */
export function histogramQuantiles(buckets: readonly number[], before: readonly number[], after: readonly number[], qs: readonly number[]): number[] {
  const diff = after.map((c, i) => c - (before[i] ?? 0));
  const total = diff[diff.length - 1] ?? 0;
  return qs.map((f) => {
    const target = f * total;
    let lower = 0;
    for (let i = 0; i < buckets.length; i++) {
      const upper = buckets[i]!;
      const below = i === 0 ? 0 : diff[i - 1]!;
      const here = diff[i]!;
      if (here >= target) return 1000 * (lower + ((upper - lower) * (target - below)) / Math.max(1, here - below));
      lower = upper;
    }
    return Infinity;
  });
}
