/**
 * Passive outlier ejection, as Envoy's "consecutive gateway failure" detector does it but driven only by
 * what our own requests see: an endpoint whose connection was refused, reset or timed out is ejected for a
 * backoff that grows with each ejection in a row (base × 2^(n−1), capped), and takes traffic again when it
 * ends; the next success forgets its history. Pure bookkeeping on a clock the caller passes in.
 */
export interface EjectionOptions {
  /** First ejection's length. */
  baseMs: number;
  /** Longest ejection, however many in a row. */
  maxMs: number;
}

export const DEFAULT_EJECTION: EjectionOptions = { baseMs: 500, maxMs: 10_000 };

interface EjectionRecord {
  /** Ejections since the endpoint last answered. */
  ejections: number;
  until: number;
}

export class OutlierDetector {
  private readonly records = new Map<string, EjectionRecord>();

  constructor(private readonly opts: EjectionOptions = DEFAULT_EJECTION) {}

  /** The endpoint failed at the connection level: out of the choice until the returned time. */
  eject(origin: string, now: number): number {
    const record = this.records.get(origin) ?? { ejections: 0, until: 0 };
    // Requests already in flight when it went down fail together: they count as one ejection, not many.
    if (record.until > now) return record.until;
    record.ejections++;
    record.until = now + Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** Math.min(record.ejections - 1, 20));
    this.records.set(origin, record);
    return record.until;
  }

  /** The endpoint answered (any HTTP status): its backoff starts again from the base. */
  succeeded(origin: string): void {
    this.records.delete(origin);
  }

  isEjected(origin: string, now: number): boolean {
    const record = this.records.get(origin);
    return record !== undefined && record.until > now;
  }

  /** Drops what is known about endpoints no longer in the set. */
  retain(origins: Iterable<string>): void {
    const keep = new Set(origins);
    for (const origin of this.records.keys()) if (!keep.has(origin)) this.records.delete(origin);
  }
}

/**
 * The balancing choice: of two candidates picked at random, the one with less `load` ("power of two
 * choices": even spread without a shared counter, steers away from a slow endpoint), among those `usable`
 * (not ejected); when none is usable, among all of them (a guess beats certain failure, and it is how an
 * endpoint that came back early is found).
 */
export function choose<T>(candidates: readonly T[], usable: (c: T) => boolean, load: (c: T) => number, random: () => number = Math.random): T | undefined {
  const up = candidates.filter(usable);
  const pool = up.length > 0 ? up : candidates;
  const n = pool.length;
  if (n <= 1) return pool[0];
  const i = Math.floor(random() * n);
  let j = Math.floor(random() * (n - 1));
  if (j >= i) j++;
  const a = pool[i]!;
  const b = pool[j]!;
  return load(b) < load(a) ? b : a;
}

const CONNECT_FAILURES = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const CONNECTION_LOST = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * How a request failed at the connection level. `connect`: no connection was made, so nothing was sent and
 * the request may go to another endpoint whatever its method; `lost`: the connection broke after the request
 * may have been sent, which only an idempotent call may retry (the Peer decides); undefined: not a
 * connection failure (an HTTP answer, an abort by our own deadline).
 */
export function connectionFailure(err: unknown): 'connect' | 'lost' | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code !== undefined && CONNECT_FAILURES.has(code)) return 'connect';
    if (code !== undefined && CONNECTION_LOST.has(code)) return 'lost';
  }
  return undefined;
}
