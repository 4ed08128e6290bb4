import { indexNames, type SearchResponse, type SuggestResponse } from '@search-mesh/contracts';
import { sleep } from '@search-mesh/testing';
import { request } from 'undici';
import { ChaosProxy } from '../support/chaos-proxy';
import { type IndexedCatalog, indexCatalog } from '../support/catalog-index';
import { type LoadResult, runLoad } from '../support/load';
import { type Mesh, PEER_NAMES, type PeerName, type ServiceProcess, startMesh, startService } from '../support/mesh';

/**
 * Chaos: while load runs, each peer in turn is killed (SIGKILL) and then slowed (a loopback proxy in front of
 * it delays every request past the whole budget). No search may fail, `degraded` must name the stage, the
 * breaker must open and close again once the peer is back, and p99 must stay within the request budget.
 * Elasticsearch (shared, never stopped by a test) is "killed" and slowed through a proxy as well: then, and
 * only then, searches fail, with 503 within the budget.
 *
 * The budget is 2 s here (the service's default is 150 ms, which the benchmark measures): on a shared 2-core
 * machine a starved Elasticsearch alone took 50–150 ms per request, and at load 15–20 some requests (or the
 * orchestrator's own event loop) stalled past 500 ms, so at 150 ms, and then at 1 s, a search answered 503
 * in whatever phase the machine stalled, which says nothing about the peer under test. Every fault still
 * exceeds the whole budget (a slowed peer answers 1.5 budgets late), so a stage that did not stop at its
 * deadline fails the p99 check, and a peer failure that failed the search fails the status check.
 */
const BUDGET_MS = 2000;
/** Longer than the whole budget: only the stage deadlines keep a search within it. */
const SLOW_MS = 3000;
const PHASE_MS = 2500;
/**
 * The load of every phase: a storefront-like rate, not a saturating closed loop. Enough clients that a slow
 * answer does not hold the rate back (with 2, a peer answering at the deadline got ~2 calls a second, too
 * few for its breaker to see within a phase), as shoppers do not wait for each other.
 */
const CLIENTS = 16;
const RATE = 40;
const STAGES: Record<PeerName, string[]> = {
  'query-understanding': ['understand'],
  facet: ['facet_selection', 'facets'],
  ranking: ['rank'],
  autocomplete: ['suggest'],
};

let catalog: IndexedCatalog;
let mesh: Mesh;
/**
 * A second process of each peer, started with the mesh, that takes a killed peer's place. Starting the
 * replacement during the test took seconds of both cores while the load ran (each "killed" phase then had
 * searches whose Elasticsearch requests starved past their budget), and seconds of the test's time after it.
 */
let standbys: Record<PeerName, ServiceProcess>;
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

describe('chaos', () => {
beforeAll(async () => {
  const began = Date.now();
  catalog = await indexCatalog(4000);
  // One segment: no background merging of the fresh index competes with the phases.
  await catalog.es.indices.forcemerge({ index: indexNames(catalog.namespace).productsAlias, max_num_segments: 1 });
  const peerEnv = (name: PeerName) => ({ SEARCH_MESH_NAMESPACE: catalog.namespace, ...(name === 'autocomplete' ? { SEARCH_MESH_AUTOCOMPLETE_CATALOG_SIZE: String(catalog.size) } : {}) });
  const standbysStarted = Promise.all(PEER_NAMES.map((name) => startService(name, peerEnv(name), undefined, undefined, 90_000)));
  const es = new URL(process.env.ES_URL ?? 'http://127.0.0.1:19200');
  proxies.elasticsearch = new ChaosProxy({ host: es.hostname, port: Number(es.port) });
  const esUrl = await proxies.elasticsearch.listen();
  try {
    mesh = await startMesh({
      namespace: catalog.namespace,
      catalogSize: catalog.size,
      orchestratorEnv: {
        ES_URL: esUrl,
        SEARCH_MESH_ORCHESTRATOR_REQUEST_BUDGET_MS: String(BUDGET_MS),
        SEARCH_MESH_ORCHESTRATOR_RATE_LIMIT_MAX: '0',
        // Above the budget and the injected delay: only the request's deadline bounds a peer call, so a stage
        // that did not pass its deadline on would wait out the delay and fail the p99 check.
        SEARCH_MESH_ORCHESTRATOR_PEER_TIMEOUT_MS: String(4 * BUDGET_MS),
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
  } finally {
    standbys = Object.fromEntries((await standbysStarted).map((s) => [s.name, s])) as Record<PeerName, ServiceProcess>;
  }
  for (const standby of Object.values(standbys)) expect(standby.up).toBe(true);
  // Warm up at the phases' load until the startup's aftermath has passed (JIT of nine fresh processes,
  // connection pools, Elasticsearch caches): the first phases used to run several times slower than the
  // later ones. At most 8 s; the phases judge whatever state it leaves.
  const ready = Date.now();
  for (let settled = 0; settled < 2 && Date.now() - ready < 8_000; ) {
    const warm = await runLoad(mesh.orchestrator.url, [...searches, ...suggestions], 1000, CLIENTS, RATE);
    settled = warm.statuses[200] === warm.samples.length && warm.p99 < BUDGET_MS / 4 ? settled + 1 : 0;
  }
  console.info(`mesh and standbys up in ${((ready - began) / 1000).toFixed(1)} s, warmed up in ${((Date.now() - ready) / 1000).toFixed(1)} s`);
}, 180_000);

afterAll(async () => {
  await mesh?.stop();
  await Promise.all(Object.values(standbys ?? {}).map((s) => s.process.stop()));
  await Promise.all(Object.values(proxies).map((p) => p.close()));
  await catalog?.drop();
});

describe.each(['query-understanding', 'facet', 'ranking', 'autocomplete'] as PeerName[])('chaos: %s', (peer) => {
  const paths = peer === 'autocomplete' ? suggestions : searches;

  it('killed: answers degraded, the breaker opens, and closes once the peer is back', async () => {
    await mesh.peers[peer].process.stop('SIGKILL');
    const { load, highestState } = await loadWatchingBreaker(peer, paths);
    // Back (before any assertion, so a failure here does not leave the peer down for the next test): the
    // standby takes the killed process's place behind the peer's address.
    mesh.peers[peer] = standbys[peer];
    proxies[peer].retarget({ host: '127.0.0.1', port: standbys[peer].port });
    const restarted = Date.now();
    report(`${peer} killed`, load);
    expectDegradedThroughout(load, peer, /:(CONNECTION|BREAKER_OPEN|DEADLINE_EXCEEDED)$/);
    expect(highestState).toBe(2);

    await waitForBreaker(peer, 0);
    console.info(`${peer} restarted: breaker closed after ${Date.now() - restarted} ms`);
    const after = await runLoad(mesh.orchestrator.url, paths, 1000, CLIENTS, RATE);
    expect(after.statuses).toEqual({ 200: after.samples.length });
    // Back to what the peer itself answers: a real service answers, a skeleton's 404 is not a failure of the peer.
    for (const stages of degradedStages(after)) for (const stage of STAGES[peer]) expect([...stages].filter((s) => s.startsWith(`${stage}:`) && !s.endsWith(':UPSTREAM_4XX'))).toEqual([]);
  }, 120_000);

  it('slowed past its budget: answers degraded within the budget, the breaker opens and closes', async () => {
    proxies[peer].set({ kind: 'delay', ms: SLOW_MS });
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
    for (const mode of [{ kind: 'refuse' }, { kind: 'delay', ms: SLOW_MS }] as const) {
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
