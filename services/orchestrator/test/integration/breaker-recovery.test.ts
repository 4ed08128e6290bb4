import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { Deadline } from '@search-mesh/contracts';
import { MeshClient, type Peer } from '@search-mesh/mesh-client';
import { sleep } from '@search-mesh/testing';
import { Registry } from 'prom-client';
import { ChaosProxy } from '../support/chaos-proxy';

/**
 * The facet breaker of the chaos test, in process: a peer that answers at once (404, like a skeleton),
 * behind the chaos proxy, called like the orchestrator calls the facet service (two calls per search, a
 * 30 ms stage deadline, the chaos test's breaker settings). Slowed past the deadline, the breaker opens;
 * once the proxy passes again it must close within a few reset periods.
 */
let server: Server;
let proxy: ChaosProxy;
let mesh: MeshClient;
let peer: Peer;

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":{"code":"NOT_FOUND","message":"no route"}}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  proxy = new ChaosProxy({ host: '127.0.0.1', port: (server.address() as { port: number }).port });
  const url = await proxy.listen();
  mesh = new MeshClient(new Registry());
  peer = mesh.add({
    name: 'facet',
    url,
    timeoutMs: 1000,
    connections: 16,
    breaker: { errorThresholdPercentage: 50, volumeThreshold: 5, resetTimeoutMs: 1000, rollingWindowMs: 5000 },
    retry: { maxAttempts: 2, budgetRatio: 0.1, minPerSecond: 5, backoffMs: 5 },
  });
});

afterAll(async () => {
  await mesh?.close();
  await proxy?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

/** Searches at `rate` per second for `ms`, each calling select then (unless it fell back) render; the states seen. */
async function searches(ms: number, rate = 40): Promise<{ states: string[]; reasons: string[] }> {
  const states: string[] = [];
  const reasons: string[] = [];
  const one = async () => {
    const context = { deadline: Deadline.after(30) };
    const select = await peer.callWithFallback({ method: 'POST', path: '/v1/facets/select', body: {}, context, idempotent: true }, () => null);
    if (select.degraded) reasons.push(select.error.code);
    if (!select.degraded || select.error.code === 'UPSTREAM_4XX') {
      const render = await peer.callWithFallback({ method: 'POST', path: '/v1/facets/render', body: {}, context: { deadline: Deadline.after(30) }, idempotent: true }, () => null);
      if (render.degraded) reasons.push(render.error.code);
    }
    states.push(peer.state);
  };
  const running: Promise<void>[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    running.push(one());
    await sleep(1000 / rate);
  }
  await Promise.all(running);
  return { states, reasons };
}

it('opens while the peer is slowed past the deadline, and closes once it answers in time again', async () => {
  await searches(300);
  expect(peer.state).toBe('closed');
  proxy.set({ kind: 'delay', ms: 400 });
  const slowed = await searches(2500);
  expect(slowed.states).toContain('open');
  expect(slowed.reasons).toContain('DEADLINE_EXCEEDED');
  proxy.set({ kind: 'pass' });
  const started = Date.now();
  let states: string[] = [];
  while (peer.state !== 'closed' && Date.now() - started < 10_000) states = states.concat((await searches(300)).states);
  const closedAfterMs = Date.now() - started;
  console.info(`closed ${closedAfterMs} ms after the proxy passed again; states seen meanwhile: ${[...new Set(states)].join(', ')}`);
  expect(peer.state).toBe('closed');
  expect(closedAfterMs).toBeLessThan(4000);
  const after = await searches(1000);
  expect(after.reasons.filter((r) => r !== 'UPSTREAM_4XX')).toEqual([]);
  // One slow answer right after recovery, while the rolling window still holds the outage.
  proxy.set({ kind: 'delay', ms: 400 });
  await peer.callWithFallback({ method: 'POST', path: '/v1/facets/select', body: {}, context: { deadline: Deadline.after(30) }, idempotent: true }, () => null);
  proxy.set({ kind: 'pass' });
  // Rejected calls count in the window too, so the outage no longer dominates it: one slow answer is no reason to open again.
  expect(peer.state).toBe('closed');
}, 30_000);
