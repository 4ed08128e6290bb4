/**
 * Open-loop load at a fixed rate, sent evenly: request i is due at start + i / rate and is sent then,
 * whether or not earlier ones have been answered (as independent shoppers do). Latency is measured from
 * the time a request was due, not from when it left, so a late generator or a queue in the client counts
 * against the server rather than hiding its stalls (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: it gives each connection a quota per second and releases it at the
 * start of every second, so the load is a square wave (bursts at full speed, then idle) and the latency it
 * reports at a "fixed rate" is that of a saturated server with `connections` requests queued. autocannon
 * stays the tool for the unbounded run (the QPS one core sustains).
 */
import { type Dispatcher, Pool } from 'undici';

export interface PacedRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface OpenLoopOptions {
  url: string;
  /** Sent in turn, round robin. */
  requests: readonly PacedRequest[];
  /** Requests per second. */
  rate: number;
  seconds: number;
  /** Keep-alive connections the client may open (requests queue in the client beyond them). */
  connections?: number;
  /** Samples of the first seconds not counted (JIT, connection set-up). */
  warmupSeconds?: number;
  /** Reads each counted 2xx answer's body (e.g. a server-side time in it) with its latency; bodies are discarded otherwise. */
  onBody?: (body: string, latencyMs: number) => void;
}

export interface OpenLoopResult {
  /** Requests sent after the warm-up. */
  sent: number;
  /** Answers by status code (0: no answer: a connection error). */
  statuses: Record<number, number>;
  /** Milliseconds from due to the end of the answer, of the 2xx answers after the warm-up, ascending. */
  latencies: Float64Array;
  /** 2xx answers per second after the warm-up, until the last answer. */
  achievedRate: number;
}

export async function openLoop(options: OpenLoopOptions): Promise<OpenLoopResult> {
  const { rate, seconds, requests } = options;
  const warmup = options.warmupSeconds ?? 0;
  const pool = new Pool(options.url, { connections: options.connections ?? 32, pipelining: 1 });
  const total = Math.round(rate * (seconds + warmup));
  const counted = Math.round(rate * warmup);
  const latencies = new Float64Array(total);
  let ok = 0;
  const statuses: Record<number, number> = {};
  let answered = 0;
  let allAnswered: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allAnswered = resolve));
  const record = (i: number, due: number, status: number, body: string | undefined) => {
    if (i >= counted) {
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) {
        const latency = performance.now() - due;
        latencies[ok++] = latency;
        if (body !== undefined) options.onBody!(body, latency);
      }
    }
    if (++answered === total) allAnswered();
  };
  // undici's dispatch with a bare handler, not `request`: no promise and no body stream per request, so one
  // core generates well over 10,000 requests/s. (The pool takes the handler callbacks of undici 6 — onConnect …
  // onError — which its types no longer declare.)
  const send = (i: number, due: number) => {
    const r = requests[i % requests.length]!;
    let status = 0;
    const chunks: Buffer[] | undefined = options.onBody !== undefined ? [] : undefined;
    pool.dispatch(
      { origin: options.url, method: r.method, path: r.path, headers: r.headers, body: r.body },
      {
        onConnect: () => undefined,
        onHeaders: (statusCode: number) => {
          status = statusCode;
          return true;
        },
        onData: (chunk: Buffer) => {
          chunks?.push(chunk);
          return true;
        },
        onComplete: () => record(i, due, status, chunks && Buffer.concat(chunks).toString()),
        onError: () => record(i, due, 0, undefined),
      } as unknown as Dispatcher.DispatchHandler,
    );
  };
  const start = performance.now();
  for (let i = 0; i < total; ) {
    // Everything due by now goes out; then the generator waits for the next one (answers are read meanwhile).
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; i < due; i++) send(i, start + (i * 1000) / rate);
    // It sleeps on a timer until a millisecond before the next is due (timers are millisecond-grained) and
    // turns the event loop for the rest: a generator that only turned the event loop would spin a whole core,
    // taking it from the servers it measures (half of this 2-core machine).
    const untilNext = start + (i * 1000) / rate - performance.now();
    await new Promise<void>((resolve) => (untilNext > 2 ? setTimeout(resolve, untilNext - 1) : setImmediate(resolve)));
  }
  await done;
  // Over the time it really took: a generator or server that fell behind reads as a lower rate.
  const elapsedS = (performance.now() - start) / 1000 - warmup;
  await pool.close();
  return { sent: total - counted, statuses, latencies: latencies.subarray(0, ok).sort(), achievedRate: ok / Math.max(elapsedS, seconds) };
}

/** The value at quantile q (0..1) of ascending samples. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
