import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export interface Sample {
  status: number;
  ms: number;
  body: unknown;
}

export interface LoadResult {
  samples: Sample[];
  p50: number;
  p99: number;
  statuses: Record<number, number>;
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * `concurrency` clients sending GETs to `paths` (round robin) for `durationMs`; bounded, stops by itself.
 * Without `ratePerSecond` each client sends its next request as soon as the last is answered (closed
 * loop); with it, the clients together send at most that many per second (each waits for its next slot,
 * and a slow answer delays only its own client).
 */
export async function runLoad(origin: string, paths: readonly string[], durationMs: number, concurrency = 4, ratePerSecond?: number): Promise<LoadResult> {
  const pool = new Pool(origin, { connections: concurrency });
  const samples: Sample[] = [];
  const began = performance.now();
  const end = began + durationMs;
  const interval = ratePerSecond === undefined ? 0 : 1000 / ratePerSecond;
  let next = 0;
  let slot = 0;
  const worker = async () => {
    while (performance.now() < end) {
      if (interval > 0) {
        const at = began + slot++ * interval;
        const wait = at - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (performance.now() >= end) break;
      }
      const path = paths[next++ % paths.length]!;
      const start = performance.now();
      const res = await pool.request({ method: 'GET', path });
      const body = await res.body.json().catch(() => undefined);
      samples.push({ status: res.statusCode, ms: performance.now() - start, body });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await pool.close();
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const statuses: Record<number, number> = {};
  for (const s of samples) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  return { samples, p50: percentile(sorted, 50), p99: percentile(sorted, 99), statuses };
}
