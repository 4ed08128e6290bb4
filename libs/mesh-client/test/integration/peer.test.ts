import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import { Deadline } from '@search-mesh/contracts';
import { MeshClient, type Peer, PeerError, type PeerOptions } from '../../src';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A real downstream on loopback whose behaviour each test sets. */
class Downstream {
  hits = 0;
  handler: Handler = (_req, res) => res.end('{"ok":true}');
  private server: Server = createServer((req, res) => {
    this.hits++;
    this.handler(req, res);
  });
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }
  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
  }
}

const fail = (status: number): Handler => (_req, res) => {
  res.statusCode = status;
  res.end('{"error":{"code":"X","message":"down"}}');
};

function options(url: string, overrides: Partial<PeerOptions> = {}): PeerOptions {
  return {
    name: 'downstream',
    url,
    timeoutMs: 1000,
    connections: 4,
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 4, resetTimeoutMs: 300, rollingWindowMs: 10_000 },
    retry: { maxAttempts: 3, budgetRatio: 0.2, minPerSecond: 0, backoffMs: 0 },
    ...overrides,
  };
}

describe('Peer', () => {
  let downstream: Downstream;
  let mesh: MeshClient;
  let registry: Registry;

  beforeEach(async () => {
    downstream = await new Downstream().start();
    registry = new Registry();
    mesh = new MeshClient(registry);
  });
  afterEach(async () => {
    await mesh.close();
    await downstream.stop();
  });

  async function errorOf(promise: Promise<unknown>): Promise<PeerError> {
    try {
      await promise;
    } catch (err) {
      expect(err).toBeInstanceOf(PeerError);
      return err as PeerError;
    }
    throw new Error('expected the call to fail');
  }

  async function breakerGauge(): Promise<number> {
    const metric = await registry.getSingleMetric('mesh_peer_breaker_state')!.get();
    return metric.values[0]!.value;
  }

  it('opens the breaker after the configured failures, half-opens after the reset timeout, closes on recovery', async () => {
    const peer = mesh.add(options(downstream.url, { retry: { maxAttempts: 1, budgetRatio: 0, minPerSecond: 0, backoffMs: 0 } }));
    downstream.handler = fail(500);
    for (let i = 0; i < 3; i++) {
      expect((await errorOf(peer.call({ method: 'GET', path: '/x' }))).code).toBe('UPSTREAM_5XX');
      expect(peer.state).toBe('closed'); // below the volume threshold
    }
    expect((await errorOf(peer.call({ method: 'GET', path: '/x' }))).code).toBe('UPSTREAM_5XX');
    expect(peer.state).toBe('open');
    expect(await breakerGauge()).toBe(2);

    // Open: refused without reaching the downstream.
    const hitsWhenOpened = downstream.hits;
    const refused = await errorOf(peer.call({ method: 'GET', path: '/x' }));
    expect(refused.code).toBe('BREAKER_OPEN');
    expect(downstream.hits).toBe(hitsWhenOpened);

    await new Promise((resolve) => setTimeout(resolve, 350));
    expect(peer.state).toBe('half-open');
    expect(await breakerGauge()).toBe(1);

    downstream.handler = (_req, res) => res.end('{"ok":true}');
    const recovered = await peer.call<{ ok: boolean }>({ method: 'GET', path: '/x' });
    expect(recovered.body).toEqual({ ok: true });
    expect(peer.state).toBe('closed');
    expect(await breakerGauge()).toBe(0);
  });

  it('relaying error answers: a 5xx in the error shape neither opens the breaker nor is retried; an unshaped one does both', async () => {
    const peer = mesh.add(options(downstream.url, { relaysErrorAnswers: true }));
    downstream.handler = fail(503); // the one error shape: the peer's considered answer
    for (let i = 0; i < 8; i++) expect((await errorOf(peer.call({ method: 'GET', path: '/x' }))).code).toBe('UPSTREAM_5XX');
    expect(peer.state).toBe('closed');
    expect(downstream.hits).toBe(8); // each sent once
    downstream.handler = (_req, res) => {
      res.statusCode = 502;
      res.end('{"message":"bad gateway"}'); // not ours: a proxy or a crash page
    };
    for (let i = 0; i < 8; i++) await errorOf(peer.call({ method: 'GET', path: '/x' }));
    expect(downstream.hits).toBeGreaterThan(8 + 4); // retried (up to 3 attempts, within the budget) until the breaker opened
    expect(peer.state).toBe('open');
  });

  it('forgets the failures from before a recovery: closing empties the rolling window', async () => {
    const peer = mesh.add(options(downstream.url, { retry: { maxAttempts: 1, budgetRatio: 0, minPerSecond: 0, backoffMs: 0 } }));
    downstream.handler = fail(503);
    for (let i = 0; i < 6; i++) await errorOf(peer.call({ method: 'GET', path: '/x' }));
    expect(peer.state).toBe('open');
    await new Promise((resolve) => setTimeout(resolve, 350));
    downstream.handler = (_req, res) => res.end('{"ok":true}');
    await peer.call({ method: 'GET', path: '/x' });
    expect(peer.state).toBe('closed');
    expect(peer.window).toEqual({ calls: 0, failures: 0 });

    // One failure after the recovery is below the volume threshold: with the old failures still in the
    // window (opossum's default) it would have reopened the breaker at once.
    downstream.handler = fail(503);
    await errorOf(peer.call({ method: 'GET', path: '/x' }));
    expect(peer.state).toBe('closed');
    expect(peer.window).toEqual({ calls: 1, failures: 1 });
  });

  it('probes: a peer no call reaches is found failing, slow or gone within a few intervals, and back after its reset', async () => {
    const probePaths: string[] = [];
    let healthz: Handler = (_req, res) => res.end('{"status":"ok"}');
    downstream.handler = (req, res) => {
      probePaths.push(req.url!);
      healthz(req, res);
    };
    const breaker = { errorThresholdPercentage: 50, volumeThreshold: 1000, resetTimeoutMs: 300, rollingWindowMs: 10_000 };
    const peer = mesh.add(options(downstream.url, { breaker, probe: { path: '/healthz', intervalMs: 40, timeoutMs: 60, unhealthyThreshold: 2 } }));
    const until = async (state: string, withinMs: number) => {
      const began = performance.now();
      while (peer.state !== state && performance.now() - began < withinMs) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(peer.state).toBe(state);
      return performance.now() - began;
    };
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(peer.state).toBe('closed');
    expect(probePaths.length).toBeGreaterThanOrEqual(3);
    expect(new Set(probePaths)).toEqual(new Set(['/healthz']));

    healthz = fail(404); // a peer without the path: says nothing of its health
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(peer.state).toBe('closed');

    healthz = fail(503);
    expect(await until('open', 1000)).toBeLessThan(500);
    healthz = (_req, res) => res.end('{"status":"ok"}');
    expect(await until('closed', 2000)).toBeLessThan(1000); // half-open after 300 ms, the next probe closes it

    healthz = (_req, res) => void setTimeout(() => res.end('{"status":"ok"}'), 200); // slower than the probe's 60 ms
    expect(await until('open', 1000)).toBeLessThan(500);
    healthz = (_req, res) => res.end('{"status":"ok"}');
    await until('closed', 2000);

    await downstream.stop(); // gone: connections refused
    expect(await until('open', 1000)).toBeLessThan(500);
  });

  it('does not count a 4xx (the caller\'s fault) against the downstream', async () => {
    const peer = mesh.add(options(downstream.url));
    downstream.handler = fail(400);
    for (let i = 0; i < 10; i++) {
      const error = await errorOf(peer.call({ method: 'GET', path: '/x' }));
      expect(error.code).toBe('UPSTREAM_4XX');
      expect(error.statusCode).toBe(400);
    }
    expect(peer.state).toBe('closed');
    expect(downstream.hits).toBe(10); // and never retried
  });

  it('never holds the caller past its deadline when the downstream is slow', async () => {
    const peer = mesh.add(
      options(downstream.url, { breaker: { errorThresholdPercentage: 100, volumeThreshold: 1000, resetTimeoutMs: 1000, rollingWindowMs: 10_000 } }),
    );
    downstream.handler = (_req, res) => void setTimeout(() => res.end('{}'), 2000).unref();
    // Warm up once: the first timeout loads undici's abort path (slowly, under jest's module loader),
    // a one-off stall of this process that is not the downstream's slowness.
    await errorOf(peer.call({ method: 'GET', path: '/slow', context: { deadline: Deadline.after(20) } }));
    for (const budgetMs of [20, 50, 100, 20]) {
      // A plain timer started alongside measures how late this (possibly busy) machine runs timers; the
      // call may be late by as much, never more than 5 ms beyond it.
      const start = performance.now();
      const control = new Promise<number>((resolve) => setTimeout(() => resolve(performance.now() - start), budgetMs));
      const error = await errorOf(peer.call({ method: 'GET', path: '/slow', context: { deadline: Deadline.after(budgetMs) } }));
      const elapsed = performance.now() - start;
      expect(error.code).toBe('DEADLINE_EXCEEDED');
      expect(elapsed).toBeLessThanOrEqual(Math.max(budgetMs, await control) + 5);
    }
    // A call with no time left is not even sent.
    const hits = downstream.hits;
    const spent = await errorOf(peer.call({ method: 'GET', path: '/slow', context: { deadline: Deadline.after(0) } }));
    expect(spent.code).toBe('DEADLINE_EXCEEDED');
    expect(downstream.hits).toBe(hits);
  });

  it('sends what is left of the deadline and the request id', async () => {
    const peer = mesh.add(options(downstream.url));
    let seen: IncomingMessage['headers'] = {};
    downstream.handler = (req, res) => {
      seen = req.headers;
      res.end('{}');
    };
    await peer.call({ method: 'GET', path: '/x', context: { id: 'req-1', deadline: Deadline.after(120) } });
    expect(Number(seen['x-request-budget-ms'])).toBeGreaterThan(100);
    expect(Number(seen['x-request-budget-ms'])).toBeLessThanOrEqual(120);
    expect(seen['x-request-id']).toBe('req-1');
  });

  it('keeps retries within the retry budget', async () => {
    const peer = mesh.add(
      options(downstream.url, {
        breaker: { errorThresholdPercentage: 100, volumeThreshold: 1_000_000, resetTimeoutMs: 1000, rollingWindowMs: 10_000 },
        retry: { maxAttempts: 3, budgetRatio: 0.2, minPerSecond: 0, backoffMs: 0 },
      }),
    );
    downstream.handler = fail(503);
    const calls = 100;
    for (let i = 0; i < calls; i++) await errorOf(peer.call({ method: 'GET', path: '/x' }));
    const retries = downstream.hits - calls;
    expect(retries).toBeGreaterThan(0);
    expect(retries).toBeLessThanOrEqual(calls * 0.2);
    const counter = await registry.getSingleMetric('mesh_peer_retries_total')!.get();
    expect(counter.values[0]!.value).toBe(retries);
  });

  it('retries an idempotent call that failed transiently, and never a non-idempotent one', async () => {
    const peer = mesh.add(
      options(downstream.url, {
        breaker: { errorThresholdPercentage: 100, volumeThreshold: 1000, resetTimeoutMs: 1000, rollingWindowMs: 10_000 },
        retry: { maxAttempts: 3, budgetRatio: 1, minPerSecond: 100, backoffMs: 1 },
      }),
    );
    let failuresLeft = 1;
    downstream.handler = (req, res) => (failuresLeft-- > 0 ? fail(503)(req, res) : res.end('{"ok":true}'));
    expect((await peer.call({ method: 'GET', path: '/x' })).body).toEqual({ ok: true });
    expect(downstream.hits).toBe(2);

    downstream.hits = 0;
    downstream.handler = fail(503);
    await errorOf(peer.call({ method: 'POST', path: '/orders', body: { id: 1 } }));
    expect(downstream.hits).toBe(1);

    downstream.hits = 0;
    await errorOf(peer.call({ method: 'POST', path: '/rank', body: { q: 'tv' }, idempotent: true }));
    expect(downstream.hits).toBe(3);
  });

  it('answers with the typed fallback and says why when the call fails', async () => {
    const peer: Peer = mesh.add(options(downstream.url, { retry: { maxAttempts: 1, budgetRatio: 0, minPerSecond: 0, backoffMs: 0 } }));
    downstream.handler = fail(500);
    const outcome = await peer.callWithFallback<{ items: string[] }>({ method: 'GET', path: '/x' }, () => ({ items: [] }));
    expect(outcome.degraded).toBe(true);
    expect(outcome.value).toEqual({ items: [] });
    if (outcome.degraded) expect(outcome.error.code).toBe('UPSTREAM_5XX');

    downstream.handler = (_req, res) => res.end('{"items":["a"]}');
    const ok = await peer.callWithFallback<{ items: string[] }>({ method: 'GET', path: '/x' }, () => ({ items: [] }));
    expect(ok).toEqual({ degraded: false, value: { items: ['a'] } });
  });

  it('rejects a response that breaks the contract, and one that is not JSON', async () => {
    const peer = mesh.add(options(downstream.url, { retry: { maxAttempts: 1, budgetRatio: 0, minPerSecond: 0, backoffMs: 0 } }));
    downstream.handler = (_req, res) => res.end('{"items":"nope"}');
    const isItems = (body: unknown): body is { items: string[] } => Array.isArray((body as { items?: unknown }).items);
    expect((await errorOf(peer.call({ method: 'GET', path: '/x', validate: isItems }))).code).toBe('BAD_RESPONSE');
    downstream.handler = (_req, res) => res.end('<html>');
    expect((await errorOf(peer.call({ method: 'GET', path: '/x' }))).code).toBe('BAD_RESPONSE');
  });

  it('reports a refused connection as CONNECTION', async () => {
    const url = downstream.url;
    await downstream.stop();
    const peer = mesh.add(options(url, { retry: { maxAttempts: 1, budgetRatio: 0, minPerSecond: 0, backoffMs: 0 } }));
    expect((await errorOf(peer.call({ method: 'GET', path: '/x' }))).code).toBe('CONNECTION');
  });
});
