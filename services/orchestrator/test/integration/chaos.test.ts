import type { SearchResponse, SuggestResponse } from '@search-mesh/contracts';
import { sleep } from '@search-mesh/testing';
import { request } from 'undici';
import { ChaosProxy } from '../support/chaos-proxy';
import { type IndexedCatalog, indexCatalog } from '../support/catalog-index';
import { type LoadResult, runLoad } from '../support/load';
import { type Mesh, type PeerName, startMesh, startService } from '../support/mesh';

/**
 * Chaos: while load runs, each peer in turn is killed (SIGKILL) and then slowed (a loopback proxy in front of
 * it delays every request past the stage budget). No search may fail, `degraded` must name the stage, the
 * breaker must open and close again once the peer is back, and p99 must stay within the 150 ms budget.
 * Elasticsearch (shared, never stopped by a test) is "killed" and slowed through a proxy as well: then, and
 * only then, searches fail, with 503 within the budget.
 *
 * Opt-in (`SEARCH_MESH_CHAOS=1`): even at 2 clients and 40 searches/s, on a shared 2-core machine
 * Elasticsearch itself now and then stalls past its stage budget (a 503 naming Elasticsearch, and p99 over
 * 150 ms, in whichever phase it falls: 1 of 3 runs in a row), so it does not gate `npm test` yet; see the
 * README's Search API section for its latest figures.
 */
const describeChaos = process.env.SEARCH_MESH_CHAOS === '1' ? describe : describe.skip;
const BUDGET_MS = 150;
const PHASE_MS = 2500;
/** The load of every phase: a few clients at a storefront-like rate, not a saturating closed loop. */
const CLIENTS = 2;
const RATE = 40;
const STAGES: Record<PeerName, string[]> = {
  'query-understanding': ['understand'],
  facet: ['facet_selection', 'facets'],
  ranking: ['rank'],
  autocomplete: ['suggest'],
};

let catalog: IndexedCatalog;
let mesh: Mesh;
const proxies = {} as Record<PeerName | 'elasticsearch', ChaosProxy>;
const searches = ['tv', 'samsung tv', 'laptop', 'wireless headphones', 'refrigerator', 'gaming mouse', 'camera', 'sony', 'coffee maker', 'iphone case'].map(
  (q) => `/v1/search?q=${encodeURIComponent(q)}`,
);
const suggestions = ['sa', 'lap', 'head', 'tv', 'iph'].map((q) => `/v1/suggest?q=${q}`);

async function breakerState(peer: PeerName): Promise<number> {
  const text = await (await request(`${mesh.orchestrator.url}/metrics`)).body.text();
  const match = new RegExp(`^mesh_peer_breaker_state\\{[^}]*peer="${peer}"[^}]*\\} (\\d)`, 'm').exec(text);
  return Number(match?.[1] ?? NaN);
}

/** The orchestrator's mesh-client metrics of one peer (breaker transitions, outcomes, fallbacks): what a failure message shows. */
async function peerMetrics(peer: PeerName): Promise<string> {
  const text = await (await request(`${mesh.orchestrator.url}/metrics`)).body.text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('mesh_peer_') && l.includes(`peer="${peer}"`) && !l.includes('_bucket'))
    .join('\n');
}

async function waitForBreaker(peer: PeerName, state: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // Traffic lets a half-open breaker try the peer.
    await runLoad(mesh.orchestrator.url, peer === 'autocomplete' ? suggestions : searches, 300, CLIENTS, RATE);
    if ((await breakerState(peer)) === state) return;
  }
  throw new Error(`breaker of ${peer} did not reach state ${state} within ${timeoutMs} ms (now ${await breakerState(peer)})\n${await peerMetrics(peer)}`);
}

function degradedStages(load: LoadResult): Array<Set<string>> {
  return load.samples.map((s) => new Set(((s.body as SearchResponse | SuggestResponse | undefined)?.degraded ?? []).map((d) => `${d.stage}:${d.reason}`)));
}

function report(label: string, load: LoadResult): void {
  const failed = load.samples.find((s) => s.status !== 200 && !label.startsWith('elasticsearch'));
  console.info(
    `${label}: ${load.samples.length} requests, statuses ${JSON.stringify(load.statuses)}, p50 ${load.p50.toFixed(1)} ms, p99 ${load.p99.toFixed(1)} ms` +
      (failed ? `; a failure: ${JSON.stringify(failed.body)}` : ''),
  );
}

/** Load while watching the peer's breaker: the highest state seen (2 = open). */
async function loadWatchingBreaker(peer: PeerName, paths: readonly string[]): Promise<{ load: LoadResult; highestState: number }> {
  let highestState = 0;
  let watching = true;
  const watch = (async () => {
    while (watching) {
      highestState = Math.max(highestState, await breakerState(peer));
      await sleep(100);
    }
  })();
  const load = await runLoad(mesh.orchestrator.url, paths, PHASE_MS, CLIENTS, RATE);
  watching = false;
  await watch;
  return { load, highestState };
}

function expectDegradedThroughout(load: LoadResult, peer: PeerName, reasons: RegExp): void {
  expect(load.statuses).toEqual({ 200: load.samples.length });
  for (const stages of degradedStages(load)) {
    for (const stage of STAGES[peer]) expect([...stages].find((s) => s.startsWith(`${stage}:`))).toMatch(reasons);
  }
  expect(load.p99).toBeLessThanOrEqual(BUDGET_MS);
}

describeChaos('chaos', () => {
beforeAll(async () => {
  catalog = await indexCatalog(4000);
  const es = new URL(process.env.ES_URL ?? 'http://127.0.0.1:19200');
  proxies.elasticsearch = new ChaosProxy({ host: es.hostname, port: Number(es.port) });
  const esUrl = await proxies.elasticsearch.listen();
  mesh = await startMesh({
    namespace: catalog.namespace,
    catalogSize: catalog.size,
    orchestratorEnv: {
      ES_URL: esUrl,
      SEARCH_MESH_ORCHESTRATOR_REQUEST_BUDGET_MS: String(BUDGET_MS),
      SEARCH_MESH_ORCHESTRATOR_RATE_LIMIT_MAX: '0',
      SEARCH_MESH_ORCHESTRATOR_BREAKER_VOLUME_THRESHOLD: '5',
      SEARCH_MESH_ORCHESTRATOR_BREAKER_RESET_TIMEOUT_MS: '1000',
      // Shorter than a phase: the breaker judges the phase's own calls, not the healthy traffic before it
      // (with a 5 s window a 2.5 s outage had to outnumber the earlier successes and opened late or never).
      SEARCH_MESH_ORCHESTRATOR_BREAKER_ROLLING_WINDOW_MS: '2000',
    },
    peerUrls: async (peers) => {
      const urls: Partial<Record<PeerName, string>> = {};
      for (const name of Object.keys(peers) as PeerName[]) {
        proxies[name] = new ChaosProxy({ host: '127.0.0.1', port: peers[name].port });
        urls[name] = await proxies[name].listen();
      }
      return urls;
    },
  });
  // Warm up: JIT, connection pools, Elasticsearch caches.
  await runLoad(mesh.orchestrator.url, [...searches, ...suggestions], 2000, 2);
}, 180_000);

afterAll(async () => {
  await mesh?.stop();
  await Promise.all(Object.values(proxies).map((p) => p.close()));
  await catalog?.drop();
});

describe.each(['query-understanding', 'facet', 'ranking', 'autocomplete'] as PeerName[])('chaos: %s', (peer) => {
  const paths = peer === 'autocomplete' ? suggestions : searches;

  it('killed: answers degraded, the breaker opens, and closes once the peer is back', async () => {
    const victim = mesh.peers[peer];
    await victim.process.stop('SIGKILL');
    const { load, highestState } = await loadWatchingBreaker(peer, paths);
    report(`${peer} killed`, load);
    expectDegradedThroughout(load, peer, /:(CONNECTION|BREAKER_OPEN|DEADLINE_EXCEEDED)$/);
    expect(highestState).toBe(2);

    mesh.peers[peer] = await startService(peer, { SEARCH_MESH_NAMESPACE: catalog.namespace }, victim.port);
    const restarted = Date.now();
    await waitForBreaker(peer, 0);
    console.info(`${peer} restarted: breaker closed after ${Date.now() - restarted} ms`);
    const after = await runLoad(mesh.orchestrator.url, paths, 1000, CLIENTS, RATE);
    expect(after.statuses).toEqual({ 200: after.samples.length });
    // Back to what the peer itself answers: a real service answers, a skeleton's 404 is not a failure of the peer.
    for (const stages of degradedStages(after)) for (const stage of STAGES[peer]) expect([...stages].filter((s) => s.startsWith(`${stage}:`) && !s.endsWith(':UPSTREAM_4XX'))).toEqual([]);
  }, 120_000);

  it('slowed past its budget: answers degraded within the budget, the breaker opens and closes', async () => {
    proxies[peer].set({ kind: 'delay', ms: 400 });
    const { load, highestState } = await loadWatchingBreaker(peer, paths);
    report(`${peer} slowed`, load);
    proxies[peer].set({ kind: 'pass' });
    expectDegradedThroughout(load, peer, /:(DEADLINE_EXCEEDED|BREAKER_OPEN)$/);
    expect(highestState).toBe(2);
    const restored = Date.now();
    await waitForBreaker(peer, 0);
    console.info(`${peer} restored: breaker closed after ${Date.now() - restored} ms`);
  }, 120_000);
});

describe('chaos: elasticsearch', () => {
  it('down or slow: every search answers 503 within the budget; back: 200 again', async () => {
    for (const mode of [{ kind: 'refuse' }, { kind: 'delay', ms: 400 }] as const) {
      proxies.elasticsearch.set(mode);
      const load = await runLoad(mesh.orchestrator.url, searches, PHASE_MS, CLIENTS, RATE);
      report(`elasticsearch ${mode.kind}`, load);
      expect(load.statuses).toEqual({ 503: load.samples.length });
      expect((load.samples[0]!.body as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
      expect(load.p99).toBeLessThanOrEqual(BUDGET_MS);
      proxies.elasticsearch.set({ kind: 'pass' });
      await sleep(200);
      const back = await runLoad(mesh.orchestrator.url, searches, 1000, CLIENTS, RATE);
      report(`elasticsearch back after ${mode.kind}`, back);
      expect(back.statuses).toEqual({ 200: back.samples.length });
    }
    // Suggestions never depend on Elasticsearch.
    proxies.elasticsearch.set({ kind: 'refuse' });
    const suggest = await runLoad(mesh.orchestrator.url, suggestions, 500, CLIENTS, RATE);
    proxies.elasticsearch.set({ kind: 'pass' });
    expect(suggest.statuses).toEqual({ 200: suggest.samples.length });
  }, 120_000);
});
});
