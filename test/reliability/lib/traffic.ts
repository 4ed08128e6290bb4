import { performance } from 'node:perf_hooks';
import type { QueryRecord } from '@search-mesh/catalog';
import type { SearchResponse } from '@search-mesh/contracts';
import { EndpointPool, type RequestTarget, StaticEndpointSource, connectionFailure } from '@search-mesh/mesh-client';
import { rng } from './hostile-inputs';

/** What a storefront sends: the kinds the load and fault suites report on. */
export type Endpoint = 'search' | 'suggest' | 'page' | 'facet';

export interface Action {
  endpoint: Endpoint;
  /** Path and query string; a facet click's filter is chosen when it is sent (from an earlier answer). */
  path: string;
  query: string;
}

/**
 * Storefront traffic from the real queries: a shopper picks a query with probability ∝ popularity + 1
 * (the real log's skew), types it (a suggest request after ~45% of the keystrokes from the second
 * character, as a debounced search box sends), searches, then sometimes pages (25%) or clicks a facet (20%). Seeded.
 */
export function* storefrontTraffic(queries: readonly QueryRecord[], seed: number, debugShare = 0.25): Generator<Action> {
  const r = rng(seed);
  const weights = queries.map((q) => q.popularity + 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) cumulative.push((sum += w));
  const pickQuery = () => {
    const x = r() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return queries[lo]!.query;
  };
  for (;;) {
    const q = pickQuery();
    for (let n = 2; n <= Math.min(q.length, 24); n++) {
      // A debounced search box asks after about every other keystroke (~4 suggests per search).
      if (q[n - 1] === ' ' || r() > 0.45) continue;
      yield { endpoint: 'suggest', path: `/v1/suggest?q=${encodeURIComponent(q.slice(0, n))}`, query: q };
    }
    const debug = r() < debugShare ? '&debug=true' : '';
    yield { endpoint: 'search', path: `/v1/search?q=${encodeURIComponent(q)}${debug}`, query: q };
    const roll = r();
    if (roll < 0.25) yield { endpoint: 'page', path: `/v1/search?q=${encodeURIComponent(q)}&page=2`, query: q };
    else if (roll < 0.45) yield { endpoint: 'facet', path: `/v1/search?q=${encodeURIComponent(q)}`, query: q };
  }
}

export interface Sample {
  endpoint: Endpoint;
  /** Seconds since the load began, when the request was sent. */
  at: number;
  ms: number;
  status: number;
  degraded: string[];
  timings?: Record<string, number>;
  /** The error code of a non-200 answer (e.g. UNAVAILABLE, OVERLOADED). */
  code?: string;
}

export interface LoadOptions {
  /**
   * Where the shoppers' requests go: one origin, or several replicas' comma-separated, balanced as an
   * ingress in front of them would (mesh-client's EndpointPool: a replica that refuses connections is
   * ejected and the request sent to another; a GET whose connection broke after it was sent is sent once
   * more, as an ingress retries an idempotent request on a reset).
   */
  origin: string;
  rate: number;
  durationMs: number;
  /** Requests in flight at most; a request due while that many are out is counted as dropped. */
  maxInFlight?: number;
  /** Changes the rate while running (e.g. a burst): called every 100 ms with seconds elapsed. */
  rateAt?: (seconds: number) => number;
}

/**
 * Open-loop load: requests are sent on a schedule at `rate` per second whatever the answers take (a slow
 * mesh does not slow the shoppers down), over keep-alive connections.
 */
export class LoadDriver {
  readonly samples: Sample[] = [];
  dropped = 0;
  private readonly facetTokens = new Map<string, string>();
  private stopped = false;

  /** Ends a run early (the fault suite runs the load until its last phase is over). */
  stop(): void {
    this.stopped = true;
  }

  constructor(private readonly traffic: Iterator<Action>) {}

  async run(options: LoadOptions): Promise<void> {
    const maxInFlight = options.maxInFlight ?? 256;
    const origins = new StaticEndpointSource(options.origin).origins;
    const pool = new EndpointPool(origins[0]!, { connections: 64, pipelining: 1 });
    pool.update(origins);
    const began = performance.now();
    let inFlight = 0;
    let due = 0;
    const pending = new Set<Promise<void>>();
    while (!this.stopped && performance.now() - began < options.durationMs) {
      const elapsed = (performance.now() - began) / 1000;
      const rate = options.rateAt?.(elapsed) ?? options.rate;
      due += rate / 100;
      while (due >= 1) {
        due -= 1;
        if (inFlight >= maxInFlight) {
          this.dropped++;
          continue;
        }
        inFlight++;
        const p = this.send(pool, this.traffic.next().value as Action, began).finally(() => {
          inFlight--;
          pending.delete(p);
        });
        pending.add(p);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await Promise.all(pending);
    await pool.close();
  }

  private async send(pool: RequestTarget, action: Action, began: number): Promise<void> {
    let path = action.path;
    if (action.endpoint === 'facet') {
      const token = this.facetTokens.get(action.query);
      path = token === undefined ? `${path}&page=1` : `${path}&${token}`;
    }
    const start = performance.now();
    let status = 0;
    let body: unknown;
    for (let attempt = 1; ; attempt++) {
      try {
        const res = await pool.request({ method: 'GET', path, headersTimeout: 10_000, bodyTimeout: 10_000 });
        status = res.statusCode;
        body = await res.body.json().catch(() => undefined);
        break;
      } catch (err) {
        status = 0; // no answer: connection refused or reset
        // As an ingress does (Envoy `retry_on: reset`, nginx `proxy_next_upstream error`): a GET whose
        // connection broke is sent once more, to another replica (the broken one was just ejected).
        if (attempt > 1 || connectionFailure(err) === undefined) break;
      }
    }
    const ms = performance.now() - start;
    const answer = body as (Partial<SearchResponse> & { degraded?: Array<{ stage: string; reason: string }> }) | undefined;
    const sample: Sample = { endpoint: action.endpoint, at: (start - began) / 1000, ms, status, degraded: (answer?.degraded ?? []).map((d) => `${d.stage}:${d.reason}`) };
    if (answer?.debug?.timings) sample.timings = answer.debug.timings;
    const code = (body as { error?: { code?: string } } | undefined)?.error?.code;
    if (status !== 200 && code !== undefined) sample.code = code;
    if (action.endpoint === 'search' && status === 200) {
      const facet = answer?.facets?.find((f) => f.values.length > 0 && f.param === 'filter');
      const value = facet?.values[0];
      if (value) this.facetTokens.set(action.query, `filter=${encodeURIComponent(value.token)}`);
    }
    this.samples.push(sample);
  }
}

export const quantile = (sorted: readonly number[], q: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
const r2 = (x: number) => Math.round(x * 100) / 100;

export interface LatencySummary {
  count: number;
  perSecond: number;
  medianMs: number;
  p99Ms: number;
  p999Ms: number;
  statuses: Record<string, number>;
  degraded: number;
}

export function summarise(samples: readonly Sample[], seconds: number): LatencySummary {
  const sorted = samples.filter((s) => s.status === 200).map((s) => s.ms).sort((a, b) => a - b);
  const statuses: Record<string, number> = {};
  for (const s of samples) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
  return {
    count: samples.length,
    perSecond: r2(samples.length / seconds),
    medianMs: r2(quantile(sorted, 0.5)),
    p99Ms: r2(quantile(sorted, 0.99)),
    p999Ms: r2(quantile(sorted, 0.999)),
    statuses,
    degraded: samples.filter((s) => s.degraded.length > 0).length,
  };
}

/** Per stage of a search (the orchestrator's debug timings): median, p99, p99.9 in ms. */
export function stageSummary(samples: readonly Sample[]): Record<string, { count: number; medianMs: number; p99Ms: number; p999Ms: number }> {
  const byStage = new Map<string, number[]>();
  for (const s of samples) for (const [stage, ms] of Object.entries(s.timings ?? {})) (byStage.get(stage) ?? byStage.set(stage, []).get(stage)!).push(ms);
  return Object.fromEntries(
    [...byStage].map(([stage, values]) => {
      const sorted = values.sort((a, b) => a - b);
      return [stage, { count: sorted.length, medianMs: r2(quantile(sorted, 0.5)), p99Ms: r2(quantile(sorted, 0.99)), p999Ms: r2(quantile(sorted, 0.999)) }];
    }),
  );
}

/** One fault of the fault suite, as its results file and the report hold it. */
export interface PhaseResult {
  phase: string;
  /** Seconds since the load began. */
  faultAt: number;
  healedAt: number;
  requests: number;
  errors5xx: number;
  /** The 5xx by endpoint and error code, e.g. "search UNAVAILABLE". */
  errorsBy: Record<string, number>;
  noAnswer: number;
  errorRate: number;
  degraded: number;
  /** The slower orchestrator replica's times (null when one never got there), and each replica's. */
  breaker?: { peer: string; openedAfterMs: number | null; closedAfterMs: number | null; byReplica?: Array<{ openedAfterMs: number | null; closedAfterMs: number | null }> };
  /** From the heal until every answer is 200 and none is degraded for a whole second (null: not within the phase). */
  recoveryMs: number | null;
  note?: string;
}
