import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import CircuitBreaker from 'opossum';
import { DEADLINE_HEADER, Deadline, REQUEST_ID_HEADER } from '@search-mesh/contracts';
import { callerContext, type Context, propagation, type Span, SpanKind, SpanStatusCode, trace, tracer, tracingRecording } from '@search-mesh/service-kit';
import { type DiscoveryOptions, EndpointPool, type EndpointSource, type PeerEndpoints, StaticEndpointSource, kubernetesEndpoints, peerUrls } from './discovery';
import { PeerError, isErrorShape } from './peer-error';
import type { PeerMetrics } from './metrics';
import { RetryBudget } from './retry-budget';

export interface BreakerOptions {
  /** Share of failed calls in the rolling window that opens the breaker. */
  errorThresholdPercentage: number;
  /** Calls the window must hold before the breaker may open. */
  volumeThreshold: number;
  /** How long the breaker stays open before letting one trial call through (half-open). */
  resetTimeoutMs: number;
  /** Length of the rolling window of call statistics. */
  rollingWindowMs: number;
}

/**
 * Active health probes (Envoy's active health checking): a GET of `path` every `intervalMs` through the
 * breaker, failing when refused, answered 5xx or not answered within `timeoutMs`. `unhealthyThreshold`
 * failed probes in a row open the breaker, whatever the calls did meanwhile. Where calls are sparse (a few
 * a second per replica) the window's older successes outvote new failures for a while; the probes find a
 * peer failing, slow or gone within a few intervals, and one is the half-open trial once it is back, so no
 * shopper's request is.
 */
export interface ProbeOptions {
  path: string;
  intervalMs: number;
  timeoutMs: number;
  unhealthyThreshold: number;
}

export interface RetryOptions {
  /** Attempts of an idempotent call, the first included; 1 disables retries. */
  maxAttempts: number;
  /** Retries allowed per first attempt, over the whole peer (e.g. 0.1). */
  budgetRatio: number;
  /** Retries always allowed per second. */
  minPerSecond: number;
  /** Base of the jittered pause before a retry. */
  backoffMs: number;
}

export interface PeerOptions {
  name: string;
  /** Base URL, e.g. http://127.0.0.1:8084 (a path prefix is kept), or several replicas' URLs, comma-separated. */
  url: string;
  /** Longest a single attempt may take; the caller's deadline shortens it. */
  timeoutMs: number;
  /** Keep-alive connections in the pool. */
  connections: number;
  breaker: BreakerOptions;
  retry: RetryOptions;
  /** How the peer's endpoints are found: the URL as is (default), or its Service's EndpointSlices. */
  discovery?: DiscoveryOptions;
  /** Active health probes (unset: none). */
  probe?: ProbeOptions;
  /**
   * The caller relays the peer's own error answers (an edge in front of an aggregator that degrades by
   * itself): a 5xx the peer answered in the one error shape is then its considered answer, passed on as it
   * is. It does not count against the breaker, which would otherwise open on, say, the orchestrator's 503
   * while Elasticsearch is down and refuse the requests that still work (suggestions) too; and it is not
   * retried, which would only send the same search to the same Elasticsearch again (the answer carries
   * `retry-after` for the client). Unreachable, timed-out and malformed answers count and are retried as
   * usual. Default false.
   */
  relaysErrorAnswers?: boolean;
}

/** What a call needs from the incoming request: a Fastify request fits as it is. */
export interface CallContext {
  readonly id?: string;
  readonly deadline?: Deadline;
  /** The incoming request's span: the call continues its trace. */
  readonly span?: Span;
}

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface PeerRequest<T> {
  method: HttpMethod;
  /** Path and query string, e.g. `/v1/rank` or `/v1/suggest?q=tv`. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  context?: CallContext;
  /** Safe to send twice; defaults to true for GET and HEAD only. */
  idempotent?: boolean;
  /** Checks the response body against the contract (e.g. a compiled TypeBox schema). */
  validate?: (body: unknown) => body is T;
}

export interface PeerResponse<T> {
  status: number;
  body: T;
}

/** The answer, or the fallback's answer and why the call failed. */
export type Outcome<T> = { degraded: false; value: T } | { degraded: true; value: T; error: PeerError };

interface Attempt {
  request: PeerRequest<unknown>;
  parent: Context;
  timeoutMs: number;
  requestId: string | undefined;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

const JSON_HEADERS = { 'content-type': 'application/json' };
const ROLLING_BUCKETS = 10;

function toPeerError(peer: string, err: unknown, timedOut: boolean, timeoutMs: number): PeerError {
  if (err instanceof PeerError) return err;
  if (timedOut) return new PeerError(peer, 'DEADLINE_EXCEEDED', `no answer within ${timeoutMs} ms`, undefined, undefined, { cause: err });
  const code = (err as { code?: string }).code;
  if (code === 'EOPENBREAKER') return new PeerError(peer, 'BREAKER_OPEN', 'circuit breaker is open');
  return new PeerError(peer, 'CONNECTION', (err as Error).message ?? String(err), undefined, undefined, { cause: err });
}

/**
 * One downstream service: a keep-alive pool, a breaker, a retry budget and metrics. Every call carries
 * the request id and what is left of the caller's deadline, and never outlives that deadline.
 */
export class Peer {
  readonly name: string;
  private readonly pool: EndpointPool;
  private readonly discovered: PeerEndpoints | undefined;
  /** Resolves once discovery has its first set of endpoints (at once for static URLs). */
  readonly ready: Promise<void>;
  private readonly basePath: string;
  private readonly breaker: CircuitBreaker<[Attempt], PeerResponse<unknown>>;
  private readonly budget: RetryBudget;
  /** Drives the rotation of the breaker's rolling window (opossum's `rotateBucketController`). */
  private readonly rotation = new EventEmitter();
  private readonly rotationTimer: NodeJS.Timeout;
  private readonly probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private failedProbes = 0;
  private changedAt = Date.now();

  constructor(
    private readonly opts: PeerOptions,
    private readonly metrics: PeerMetrics,
  ) {
    this.name = opts.name;
    const url = new URL(peerUrls(opts.url)[0]!);
    this.basePath = url.pathname.replace(/\/$/, '');
    // A connect that hangs (a host gone without a reset) fails at half the attempt's time, so the attempt
    // still has time to connect to another endpoint; on loopback or a LAN a connect takes well under a ms.
    const connectTimeout = Math.max(50, Math.min(1000, Math.floor(opts.timeoutMs / 2)));
    const poolOptions = { connections: opts.connections, pipelining: 1, keepAliveTimeout: 30_000, connectTimeout };
    const behaviour = { onEject: () => metrics.ejected(this.name) };
    if (opts.discovery?.mode === 'kubernetes') {
      this.discovered = kubernetesEndpoints(opts.discovery, opts.url, poolOptions, behaviour);
      this.pool = this.discovered.target;
      this.ready = this.discovered.source.start().catch((err: unknown) => {
        if (opts.discovery?.mode === 'kubernetes') opts.discovery.onError?.(err);
      });
    } else {
      this.discovered = undefined;
      const origins = new StaticEndpointSource(opts.url).origins;
      this.pool = new EndpointPool(origins[0]!, poolOptions, behaviour);
      this.pool.update(origins);
      this.ready = Promise.resolve();
    }
    this.budget = new RetryBudget({ ratio: opts.retry.budgetRatio, minPerSecond: opts.retry.minPerSecond });
    this.breaker = new CircuitBreaker((attempt: Attempt) => this.send(attempt), {
      name: opts.name,
      timeout: false, // each attempt has its own deadline-derived timer in send()
      errorThresholdPercentage: opts.breaker.errorThresholdPercentage,
      volumeThreshold: opts.breaker.volumeThreshold,
      resetTimeout: opts.breaker.resetTimeoutMs,
      rollingCountTimeout: opts.breaker.rollingWindowMs,
      rollingCountBuckets: ROLLING_BUCKETS,
      rotateBucketController: this.rotation,
      errorFilter: (err: unknown) => err instanceof PeerError && (!err.isPeerFailure || this.relayed(err)),
    });
    const transitioned = () => {
      this.changedAt = Date.now();
      metrics.breakerTransition(this.name, this.state);
    };
    this.breaker.on('open', transitioned);
    this.breaker.on('halfOpen', transitioned);
    this.breaker.on('close', transitioned);
    // opossum keeps the window's failures when the breaker closes, so a recovered peer could trip it again
    // on failures from before it recovered: closing empties the window (every bucket rotated out).
    this.breaker.on('close', () => {
      for (let i = 0; i < ROLLING_BUCKETS; i++) this.rotation.emit('rotate');
    });
    this.rotationTimer = setInterval(() => this.rotation.emit('rotate'), Math.max(1, Math.floor(opts.breaker.rollingWindowMs / ROLLING_BUCKETS)));
    this.rotationTimer.unref();
    const probe = opts.probe;
    if (probe !== undefined && probe.intervalMs > 0) {
      this.probeTimer = setInterval(() => this.probe(probe), probe.intervalMs);
      this.probeTimer.unref();
    }
    metrics.track(this);
  }

  get state(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half-open';
    return 'closed';
  }

  /** When the breaker last changed state (ms since the epoch; its creation until the first change). */
  get stateSince(): number {
    return this.changedAt;
  }

  /** The EndpointSlice source of a discovered peer (undefined for a static URL). */
  get discovery(): EndpointSource | undefined {
    return this.discovered?.source;
  }

  /** Endpoints the calls are spread over: the static URLs, or the ready pods of a discovered Service. */
  get endpoints(): number {
    return this.pool.size;
  }

  /**
   * Calls the peer; rejects with a PeerError.
   *
   * What is retried: a request that failed to CONNECT was never sent, so the endpoint pool sends it once to
   * another endpoint, whatever its method (a POST included), within this attempt's time. A request that may
   * have reached the peer (the connection broke after sending, a 502/503/504, no answer in time) is sent
   * again only if it is idempotent (GET and HEAD, or `idempotent: true`), within the retry budget and the
   * caller's deadline: a second POST could apply a write twice.
   */
  async call<T>(request: PeerRequest<T>): Promise<PeerResponse<T>> {
    const deadline = request.context?.deadline ?? Deadline.after(this.opts.timeoutMs);
    const idempotent = request.idempotent ?? (request.method === 'GET' || request.method === 'HEAD');
    const requestId = request.context?.id;
    const parent = callerContext(request.context?.span);
    this.budget.deposit();
    for (let attempt = 1; ; attempt++) {
      const remaining = deadline.remaining();
      if (remaining < 1) {
        this.metrics.observe(this.name, 'deadline_exceeded', 0);
        throw new PeerError(this.name, 'DEADLINE_EXCEEDED', 'no time left in the caller\'s budget');
      }
      const timeoutMs = Math.max(1, Math.floor(Math.min(this.opts.timeoutMs, remaining)));
      const start = performance.now();
      try {
        const response = await this.breaker.fire({ request, parent, timeoutMs, requestId });
        this.metrics.observe(this.name, 'ok', performance.now() - start);
        return response as PeerResponse<T>;
      } catch (err) {
        const error = toPeerError(this.name, err, false, timeoutMs);
        this.metrics.observe(this.name, error.code.toLowerCase(), performance.now() - start);
        if (!idempotent || !error.retryable || this.relayed(error) || attempt >= this.opts.retry.maxAttempts) throw error;
        const pause = this.opts.retry.backoffMs * attempt * (0.5 + Math.random() / 2);
        if (deadline.remaining() - pause < 1 || !this.budget.tryWithdraw()) throw error;
        this.metrics.retried(this.name);
        if (pause >= 1) await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  /** A 5xx the peer answered itself, which this caller passes on (`relaysErrorAnswers`). */
  private relayed(error: PeerError): boolean {
    return this.opts.relaysErrorAnswers === true && error.code === 'UPSTREAM_5XX' && isErrorShape(error.body);
  }

  /** Calls the peer; on any failure answers with the fallback's value and says why. */
  async callWithFallback<T>(request: PeerRequest<T>, fallback: (error: PeerError) => T | Promise<T>): Promise<Outcome<T>> {
    try {
      const response = await this.call(request);
      return { degraded: false, value: response.body };
    } catch (err) {
      const error = err as PeerError;
      this.metrics.fellBack(this.name, error.code);
      return { degraded: true, value: await fallback(error), error };
    }
  }

  /** Calls in the breaker's rolling window, and how many failed (what decides whether it opens). */
  get window(): { calls: number; failures: number } {
    const stats = this.breaker.stats;
    return { calls: stats.fires, failures: stats.failures };
  }

  /** One probe at a time, none while the breaker is open (it would only be refused). */
  private probe(probe: ProbeOptions): void {
    if (this.probing || this.breaker.opened) return;
    this.probing = true;
    const attempt: Attempt = { request: { method: 'GET', path: probe.path }, parent: callerContext(undefined), timeoutMs: probe.timeoutMs, requestId: undefined };
    this.breaker.fire(attempt).then(
      () => {
        this.probing = false;
        this.failedProbes = 0;
      },
      (err: unknown) => {
        this.probing = false;
        // A 4xx (a peer without the path) says nothing of its health; a refused probe (open) is not one.
        if (!(err instanceof PeerError) || !err.isPeerFailure) return;
        if (++this.failedProbes >= probe.unhealthyThreshold && !this.breaker.opened) this.breaker.open();
      },
    );
  }

  async close(): Promise<void> {
    clearInterval(this.rotationTimer);
    clearInterval(this.probeTimer);
    this.breaker.shutdown();
    await this.discovered?.source.close();
    await this.pool.close();
  }

  private async send(attempt: Attempt): Promise<PeerResponse<unknown>> {
    const { request, parent, timeoutMs, requestId } = attempt;
    const headers: Record<string, string> = { [DEADLINE_HEADER]: String(timeoutMs) };
    if (requestId !== undefined) headers[REQUEST_ID_HEADER] = requestId;
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      Object.assign(headers, JSON_HEADERS);
    }
    // Each attempt is a client span (when recording); its W3C context goes to the peer either way.
    const span = tracingRecording()
      ? tracer.startSpan(`${this.name} ${request.method}`, {
          kind: SpanKind.CLIENT,
          attributes: { 'peer.service': this.name, 'http.request.method': request.method, 'url.path': request.path.split('?')[0]!, 'search_mesh.timeout_ms': timeoutMs },
        }, parent)
      : undefined;
    propagation.inject(span === undefined ? parent : trace.setSpan(parent, span), headers);
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      abort.abort();
    }, timeoutMs);
    try {
      const response = await this.pool.request({
        method: request.method,
        path: this.basePath + request.path,
        headers,
        body,
        signal: abort.signal,
      });
      const text = await response.body.text();
      let parsed: unknown;
      try {
        parsed = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        throw new PeerError(this.name, 'BAD_RESPONSE', `answered ${response.statusCode} with a body that is not JSON`, response.statusCode);
      }
      if (response.statusCode >= 500) {
        throw new PeerError(this.name, 'UPSTREAM_5XX', `answered ${response.statusCode}`, response.statusCode, parsed);
      }
      if (response.statusCode >= 400) {
        throw new PeerError(this.name, 'UPSTREAM_4XX', `rejected the request with ${response.statusCode}`, response.statusCode, parsed);
      }
      if (request.validate && !request.validate(parsed)) {
        throw new PeerError(this.name, 'BAD_RESPONSE', 'response broke the contract', response.statusCode, parsed);
      }
      span?.setAttribute('http.response.status_code', response.statusCode);
      return { status: response.statusCode, body: parsed };
    } catch (err) {
      const error = toPeerError(this.name, err, timedOut, timeoutMs);
      if (span !== undefined) {
        if (error.statusCode !== undefined) span.setAttribute('http.response.status_code', error.statusCode);
        span.setAttribute('error.type', error.code);
        if (error.isPeerFailure) span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      span?.end();
    }
  }
}
