/**
 * The fault suite. Under steady storefront load (open loop, the real queries, sent to two storefront
 * replicas, each calling two orchestrator replicas through mesh-client), in turn: kill and restart every
 * service (one replica of the storefront and of the orchestrator); slow and fail every peer (a chaos proxy between the orchestrator and it); stop
 * Elasticsearch, Kafka and Cassandra and bring them back; a ranking model swap; a burst at 3× the rate.
 * Meanwhile catalog changes, merchandiser changes and behaviour events are written (each acknowledged). For each phase:
 * the storefront's error rate, degraded answers, breaker open/close times, recovery time; at the end, whether
 * any acknowledged write was lost.
 *
 * Backends: a SEPARATE Elasticsearch, Kafka and Cassandra (infra/local on ports 29200, 29092, 29042, state in
 * .infra/faults), started here if not running and stopped at the end; the shared ones are never touched.
 *
 *   npm run bench:faults [-- --rate 30 --hold 8 --warmup 20 --catalog 8000 --budget 1000 --skip-backends --keep-infra]
 */
import { machineNote } from './lib/procstats';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { backendSettings, createCassandraClient, createKafka, createSearchClient } from '@search-mesh/backends';
import { type CatalogEvent, indexNames, topicNames } from '@search-mesh/contracts';
import { loadConfig } from '@search-mesh/service-kit';
import { REPO_ROOT, sleep } from '@search-mesh/testing';
import { request } from 'undici';
import { CatalogPublisher } from '../../services/indexer/src/adapters/catalog-publisher';
import { indexCatalog, testNamespace } from '../../services/orchestrator/test/support/catalog-index';
import { ChaosProxy } from '../../services/orchestrator/test/support/chaos-proxy';
import { BehaviourProbe } from './lib/behaviour-probe';
import { startWholeMesh, type WholeMesh } from './lib/mesh';
import { LoadDriver, type PhaseResult, type Sample, storefrontTraffic, summarise } from './lib/traffic';

const run = promisify(execFile);
/** A second valid ranking model (the lifecycle tests' small one) to swap to under load. */
const SWAP_MODEL_DIR = path.join(REPO_ROOT, 'services/ranking/test/fixtures/small-model');
/** The merchandiser the suite writes rules as (SEARCH_MESH_FACET_ADMIN_TOKENS). */
const MERCH_TOKEN = 'faults-merchandiser-token';
const BREAKER = { rollingWindowMs: 1000, volumeThreshold: 2, resetTimeoutMs: 2000, probeIntervalMs: 200, probeTimeoutMs: 150, probeUnhealthyThreshold: 2 };
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

const ALT_INFRA: NodeJS.ProcessEnv = {
  SEARCH_MESH_INFRA_DIR: path.join(REPO_ROOT, '.infra/faults'),
  SEARCH_MESH_ES_PORT: '29200',
  SEARCH_MESH_ES_TRANSPORT_PORT: '29300',
  SEARCH_MESH_KAFKA_PORT: '29092',
  SEARCH_MESH_KAFKA_CONTROLLER_PORT: '29093',
  SEARCH_MESH_CASSANDRA_PORT: '29042',
  SEARCH_MESH_CASSANDRA_STORAGE_PORT: '27000',
  SEARCH_MESH_CASSANDRA_JMX_PORT: '27199',
};
const BACKEND_ENV = { ES_URL: 'http://127.0.0.1:29200', KAFKA_BROKERS: '127.0.0.1:29092', CASSANDRA_CONTACT_POINTS: '127.0.0.1:29042', CASSANDRA_LOCAL_DC: 'datacenter1' };
const infra = (command: 'up' | 'down', ...servers: string[]) =>
  run('bash', [path.join(REPO_ROOT, 'infra/local/all.sh'), command, ...servers], { env: { ...process.env, ...ALT_INFRA }, timeout: 400_000 });

/** The orchestrator's peers, and which stages of an answer name each when it fell back. */
const PEER_STAGES: Record<string, string[]> = {
  'query-understanding': ['understand'],
  facet: ['facet_selection', 'facets'],
  ranking: ['rank'],
  autocomplete: ['suggest'],
};


/**
 * Breaker states of the orchestrator's peers over time, polled every 100 ms from each orchestrator replica,
 * with when each state began (`mesh_peer_breaker_state_since_seconds`): a transition is dated to the
 * millisecond, not to the poll that first saw it.
 */
class BreakerWatch {
  readonly timelines: Array<Array<{ t: number; states: Record<string, number>; since: Record<string, number> }>>;
  private stopped = false;
  constructor(
    private readonly metricsUrls: string[],
    private readonly began: number,
  ) {
    this.timelines = metricsUrls.map(() => []);
  }
  start(): void {
    this.metricsUrls.forEach((url, i) => {
      const poll = async () => {
        try {
          const text = await (await request(url, { headersTimeout: 1000 })).body.text();
          const states: Record<string, number> = {};
          const since: Record<string, number> = {};
          for (const m of text.matchAll(/^mesh_peer_breaker_state\{[^}]*peer="([^"]+)"[^}]*\} (\d)/gm)) states[m[1]!] = Number(m[2]);
          for (const m of text.matchAll(/^mesh_peer_breaker_state_since_seconds\{[^}]*peer="([^"]+)"[^}]*\} ([\d.e+]+)/gm)) since[m[1]!] = (Number(m[2]) * 1000 - this.began) / 1000;
          this.timelines[i]!.push({ t: (Date.now() - this.began) / 1000, states, since });
        } catch {
          // this replica is down (its own phase)
        }
        if (!this.stopped) setTimeout(poll, 100);
      };
      void poll();
    });
  }
  stop(): void {
    this.stopped = true;
  }
  /** Per replica: milliseconds from `from` until the peer's breaker entered `state` (first read before `until`). */
  firstAt(peer: string, state: number, from: number, until: number): Array<number | null> {
    return this.timelines.map((timeline) => {
      const hit = timeline.find((p) => p.t >= from && p.t <= until && p.states[peer] === state);
      if (hit === undefined) return null;
      const entered = hit.since[peer] !== undefined && hit.since[peer]! >= from ? hit.since[peer]! : hit.t;
      return Math.round((entered - from) * 1000);
    });
  }
}

/** The slower replica's time (null when either never got there): every breaker must meet the target. */
const slowest = (times: Array<number | null>) => (times.some((t) => t === null) ? null : Math.max(...(times as number[])));

/**
 * A fallback because the peer is unreachable, slow, failing or behind an open breaker; not one where the peer
 * answered 4xx (a skeleton service without the route yet degrades every answer that way, outage or not).
 */
const outage = (degraded: string) => !degraded.endsWith(':UPSTREAM_4XX');

function recoveryMs(samples: readonly Sample[], healedAt: number, until: number, stages: string[] | undefined): number | null {
  for (let t = healedAt; t + 1 <= until; t += 0.1) {
    const window = samples.filter((s) => s.at >= t && s.at < t + 1);
    if (window.length === 0) continue;
    const clean = window.every((s) => s.status === 200 && !s.degraded.some((d) => outage(d) && (stages === undefined || stages.includes(d.split(':')[0]!))));
    if (clean) return Math.round((t - healedAt) * 1000);
  }
  return null;
}

/** What a run that fails half way must still stop: the services it started and its own infrastructure. */
const undo: Array<() => Promise<unknown>> = [];

async function main(): Promise<void> {
  // Two orchestrator replicas share it: each must see enough calls a second for its breakers to judge a peer.
  const rate = arg('rate', 30);
  const holdS = arg('hold', 8);
  const warmupS = arg('warmup', 20);
  const catalogSize = arg('catalog', 8000);
  const skipBackends = process.argv.includes('--skip-backends');
  const budgetMs = arg('budget', 1000);
  const began0 = Date.now();

  console.log('starting the separate infrastructure (ports 29200, 29092, 29042) ...');
  await infra('up');
  if (!process.argv.includes('--keep-infra')) undo.push(() => infra('down'));
  Object.assign(process.env, BACKEND_ENV);
  const namespace = testNamespace();
  const catalog = await indexCatalog(catalogSize, namespace);
  const proxies = new Map<string, ChaosProxy>();
  const mesh: WholeMesh = await startWholeMesh({
    namespace,
    adminToken: 'faults',
    catalogSize,
    env: {
      ...BACKEND_ENV,
      // Each orchestrator replica calls a search peer only a few times a second here (production sends
      // far more): breakers judged on a 1 s window from 2 calls, and each peer probed every 200 ms (a probe
      // refused, failing or slower than 150 ms fails; 2 in a row open the breaker), so a peer that fails,
      // slows or dies is found within a second whatever the shoppers happen to send.
      SEARCH_MESH_ORCHESTRATOR_BREAKER_ROLLING_WINDOW_MS: String(BREAKER.rollingWindowMs),
      SEARCH_MESH_ORCHESTRATOR_BREAKER_VOLUME_THRESHOLD: String(BREAKER.volumeThreshold),
      SEARCH_MESH_ORCHESTRATOR_PEER_PROBE_INTERVAL_MS: String(BREAKER.probeIntervalMs),
      SEARCH_MESH_ORCHESTRATOR_PEER_PROBE_TIMEOUT_MS: String(BREAKER.probeTimeoutMs),
      SEARCH_MESH_ORCHESTRATOR_PEER_PROBE_UNHEALTHY_THRESHOLD: String(BREAKER.probeUnhealthyThreshold),
      // This suite judges how faults are absorbed: a budget Elasticsearch meets on this busy machine (with
      // the 150 ms default, ES stalls alone give 503s at baseline); stage shares still time out a slow peer.
      SEARCH_MESH_ORCHESTRATOR_REQUEST_BUDGET_MS: String(budgetMs),
      SEARCH_MESH_ORCHESTRATOR_BREAKER_RESET_TIMEOUT_MS: String(BREAKER.resetTimeoutMs),
    },
    serviceEnv: {
      facet: { SEARCH_MESH_FACET_ADMIN_TOKENS: `faults:merchandiser:${MERCH_TOKEN}` },
      // The orchestrator gets the budget it had when the load was sent to it directly: the storefront's
      // call to it carries budgetMs (mesh-client sends the attempt's time as the orchestrator's budget), and
      // the storefront's own budget leaves room for a retry on the other replica.
      storefront: { SEARCH_MESH_STOREFRONT_PEER_TIMEOUT_MS: String(budgetMs), SEARCH_MESH_STOREFRONT_REQUEST_BUDGET_MS: String(budgetMs + 500) },
    },
    // Two replicas of the storefront (behind the load driver's balancer, as behind an ingress) and of the
    // orchestrator (behind the storefronts' mesh-client, whose orchestrator URL setting lists both).
    replicas: { storefront: 2, orchestrator: 2 },
    peerUrl: async (peer, direct) => {
      if (!(peer in PEER_STAGES)) return direct;
      const proxy = new ChaosProxy({ host: '127.0.0.1', port: Number(new URL(direct).port) });
      proxies.set(peer, proxy);
      return proxy.listen();
    },
  });
  undo.push(() => mesh.stop());

  // Acknowledged writes: catalog price changes (→ indexer → Elasticsearch), checked at the end.
  const config = loadConfig('faults', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: namespace });
  const kafka = createKafka(config, 'faults-writer', undefined, { retries: 2 });
  const publisher = new CatalogPublisher(kafka, namespace);
  await publisher.connect();
  const products = (await catalog.es.search<{ id: string }>({ index: indexNames(namespace).productsAlias, size: 50, _source: false })).hits.hits.map((h) => h._id!);
  const acked = new Map<string, number>();
  let writeAttempts = 0;
  let writeFailures = 0;
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing; i++) {
      const productId = products[i % products.length]!;
      const price = 100 + (i % 9000) / 10;
      const event: CatalogEvent = { schema: 'catalog.v1', type: 'product.price_changed', productId, version: Date.now() * 10 + (i % 10), occurredAt: new Date().toISOString(), price } as CatalogEvent;
      writeAttempts++;
      try {
        await publisher.publish([event]);
        acked.set(productId, price);
      } catch {
        writeFailures++; // not acknowledged: the writer knows, nothing is promised
      }
      await sleep(200);
    }
  })();

  // Acknowledged writes: behaviour events (→ feature pipeline → Cassandra), each on a product of its own.
  const behaviour = new BehaviourProbe(kafka, namespace);
  await behaviour.start();

  // Acknowledged writes: merchandiser rule saves through the facet admin API (→ Cassandra, Kafka), each
  // naming the version it read; checked at the end against what the API reads back.
  const facet = mesh.services.get('facet');
  const merchAcked = new Map<string, number>();
  let merchAttempts = 0;
  let merchFailures = 0;
  const merchWriter = (async () => {
    if (facet === undefined) return;
    const versions = new Map<string, number>();
    for (let i = 0; writing; i++) {
      const id = `faults-rule-${i % 5}`;
      const config = { id, match: { queries: [`fault probe ${i % 5}`] }, actions: [{ type: 'boost', condition: { type: 'range', field: 'rating', gte: 1 + (i % 4) }, weight: 2 }] };
      merchAttempts++;
      try {
        const res = await request(`${facet.url}/v1/admin/rules/${id}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${MERCH_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ version: versions.get(id) ?? 0, config }),
          headersTimeout: 5000,
          bodyTimeout: 5000,
        });
        const body = (await res.body.json()) as { version?: number };
        if (res.statusCode === 200 && typeof body.version === 'number') {
          versions.set(id, body.version);
          merchAcked.set(id, body.version);
        } else {
          merchFailures++;
          if (res.statusCode === 409) versions.delete(id); // re-read below
        }
      } catch {
        merchFailures++;
      }
      if (!versions.has(id)) {
        try {
          const res = await request(`${facet.url}/v1/admin/rules/${id}`, { headers: { authorization: `Bearer ${MERCH_TOKEN}` }, headersTimeout: 5000, bodyTimeout: 5000 });
          const doc = (await res.body.json()) as { version?: number };
          if (res.statusCode === 200 && typeof doc.version === 'number') versions.set(id, doc.version);
        } catch {
          // the facet service is down: the next save retries
        }
      }
      await sleep(500);
    }
  })();

  const driver = new LoadDriver(storefrontTraffic(catalog.queries, 3));
  const began = Date.now();
  const now = () => (Date.now() - began) / 1000;
  let burst = false;
  const load = driver.run({ origin: mesh.urlsOf('storefront'), rate, durationMs: 3_600_000, rateAt: () => (burst ? rate * 3 : rate) });
  const watch = new BreakerWatch(mesh.urlsOf('orchestrator').split(',').map((url) => `${url}/metrics`), began);
  watch.start();
  const phases: PhaseResult[] = [];

  const phase = async (name: string, fault: () => Promise<void>, heal: () => Promise<void>, opts: { peer?: string; settleS?: number; note?: string } = {}) => {
    console.log(`phase: ${name}`);
    const faultAt = now();
    await fault();
    await sleep(holdS * 1000);
    const healStart = now();
    await heal();
    const healedAt = now();
    await sleep((opts.settleS ?? 10) * 1000);
    const until = now();
    // Requests sent before the fault but still in flight when it struck belong to it too (a kill resets them).
    const samples = driver.samples.filter((s) => s.at + s.ms / 1000 >= faultAt && s.at < until);
    const stages = opts.peer ? PEER_STAGES[opts.peer] : undefined;
    const result: PhaseResult = {
      phase: name,
      faultAt: Math.round(faultAt * 10) / 10,
      healedAt: Math.round(healedAt * 10) / 10,
      requests: samples.length,
      errors5xx: samples.filter((s) => s.status >= 500).length,
      errorsBy: {},
      noAnswer: samples.filter((s) => s.status === 0).length,
      errorRate: 0,
      degraded: samples.filter((s) => s.degraded.some(outage)).length,
      recoveryMs: recoveryMs(driver.samples, healedAt, until, stages),
    };
    for (const s of samples.filter((x) => x.status >= 500)) result.errorsBy[`${s.endpoint} ${s.code ?? s.status}`] = (result.errorsBy[`${s.endpoint} ${s.code ?? s.status}`] ?? 0) + 1;
    result.errorRate = samples.length === 0 ? 0 : Math.round(((result.errors5xx + result.noAnswer) / samples.length) * 10_000) / 100;
    if (opts.peer) {
      const opened = watch.firstAt(opts.peer, 2, faultAt, healStart);
      const closed = watch.firstAt(opts.peer, 0, healedAt, until);
      result.breaker = { peer: opts.peer, openedAfterMs: slowest(opened), closedAfterMs: slowest(closed), byReplica: opened.map((o, i) => ({ openedAfterMs: o, closedAfterMs: closed[i]! })) };
    }
    if (opts.note) result.note = opts.note;
    console.log(JSON.stringify(result));
    phases.push(result);
  };

  try {
    // Warm-up, not measured: Elasticsearch's caches and every service's JIT come up to speed (a cold start
    // is not one of the faults), then the baseline.
    await sleep(warmupS * 1000);
    driver.samples.splice(0);
    await sleep(10_000);
    phases.push({ phase: 'baseline', faultAt: 0, healedAt: 0, requests: driver.samples.length, errors5xx: driver.samples.filter((s) => s.status >= 500).length, errorsBy: {}, noAnswer: driver.samples.filter((s) => s.status === 0).length, errorRate: 0, degraded: driver.samples.filter((s) => s.degraded.some(outage)).length, recoveryMs: 0 });

    const notes: Record<string, string> = {
      orchestrator:
        'one of two orchestrator replicas killed (SIGKILL) and restarted; the storefronts list both in their orchestrator URL: mesh-client ejects the dead one at its first refused connection and sends that request to the other',
      storefront:
        'one of two storefront replicas killed (SIGKILL) and restarted; the load reaches them through mesh-client\'s EndpointPool standing in for the ingress in front of them (a refused connection goes to the other replica; a GET whose connection was reset is sent once more, as an ingress does)',
    };
    for (const name of [...mesh.services.keys()].filter((n) => !n.includes('#'))) {
      await phase(`kill ${name}`, () => mesh.kill(name), () => mesh.restart(name), {
        ...(name in PEER_STAGES ? { peer: name } : {}),
        ...(notes[name] === undefined ? {} : { note: notes[name] }),
      });
    }
    for (const peer of Object.keys(PEER_STAGES)) {
      const proxy = proxies.get(peer)!;
      await phase(`${peer} slow (+300 ms)`, async () => proxy.set({ kind: 'delay', ms: 300 }), async () => proxy.set({ kind: 'pass' }), { peer });
      await phase(`${peer} failing (503)`, async () => proxy.set({ kind: 'error', status: 503 }), async () => proxy.set({ kind: 'pass' }), { peer });
    }
    if (!skipBackends) {
      for (const server of ['elasticsearch', 'kafka', 'cassandra']) {
        await phase(`stop ${server}`, async () => void (await infra('down', server)), async () => void (await infra('up', server)), { settleS: 15 });
      }
    }
    // A model rollout under load: register a second model, activate it (hot swap), then roll back.
    const ranking = mesh.services.get('ranking');
    if (ranking !== undefined) {
      const admin = async (method: 'PUT' | 'POST', route: string, body?: unknown) => {
        const res = await request(`${ranking.url}${route}`, {
          method,
          headers: body === undefined ? { authorization: 'Bearer faults' } : { authorization: 'Bearer faults', 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.body.text();
        if (res.statusCode >= 300) throw new Error(`${method} ${route} answered ${res.statusCode}: ${text.slice(0, 300)}`);
      };
      const manifest = JSON.parse(readFileSync(path.join(SWAP_MODEL_DIR, 'manifest.json'), 'utf8')) as { version: string };
      const model = readFileSync(path.join(SWAP_MODEL_DIR, 'model.onnx')).toString('base64');
      await admin('PUT', `/v1/admin/models/${manifest.version}`, { manifest, model });
      await phase(
        'ranking model swap (activate, then roll back)',
        () => admin('POST', '/v1/admin/active', { version: manifest.version }),
        () => admin('POST', '/v1/admin/rollback'),
        { peer: 'ranking', note: `hot swap to ${manifest.version} under load, back after the hold` },
      );
    }
    await phase(`burst ×3 (${rate * 3}/s)`, async () => void (burst = true), async () => void (burst = false));
  } finally {
    driver.stop();
    await load;
    watch.stop();
    writing = false;
    await writer;
    await merchWriter;
    await behaviour.stop();
  }

  // Were acknowledged behaviour events all counted, and once? (The pipeline commits after Cassandra took them.)
  const cassandra = createCassandraClient(config);
  const behaviourResult = await behaviour.verify(cassandra);
  await cassandra.shutdown();

  // Were acknowledged merchandiser saves all kept? Each document must read back at least at the version
  // its last acknowledged save returned (from Cassandra, through a facet service that restarted meanwhile).
  const merchLost: string[] = [];
  if (facet !== undefined) {
    for (const [id, version] of merchAcked) {
      const res = await request(`${facet.url}/v1/admin/rules/${id}`, { headers: { authorization: `Bearer ${MERCH_TOKEN}` } });
      const doc = (await res.body.json()) as { version?: number };
      if (!(typeof doc.version === 'number' && doc.version >= version)) merchLost.push(`${id}@${version}`);
    }
  }

  // Were acknowledged catalog changes all applied? The indexer commits after Elasticsearch acknowledged.
  const lost: string[] = [];
  const deadline = Date.now() + 90_000;
  const es = createSearchClient(config);
  for (;;) {
    lost.length = 0;
    const docs = await es.mget<{ price: number }>({ index: indexNames(namespace).productsAlias, ids: [...acked.keys()] });
    for (const doc of docs.docs) {
      const found = 'found' in doc && doc.found ? (doc._source as { price: number }).price : undefined;
      if (found !== acked.get(doc._id)) lost.push(doc._id);
    }
    if (lost.length === 0 || Date.now() > deadline) break;
    await sleep(2000);
  }
  await es.close();
  await publisher.disconnect();

  const total = summarise(driver.samples, driver.samples.length > 1 ? driver.samples[driver.samples.length - 1]!.at - driver.samples[0]!.at : 1);
  const result = {
    suite: 'faults',
    at: new Date().toISOString(),
    machine: machineNote('its own Elasticsearch, Kafka and Cassandra'),
    rate,
    holdS,
    catalogSize,
    breakerSettings: BREAKER,
    topology: 'load → 2 storefront replicas (balanced by the load driver) → 2 orchestrator replicas (balanced by the storefronts\' mesh-client) → one of each other service; breaker times are the slower replica\'s',
    budgetMs,
    durationS: Math.round((Date.now() - began0) / 1000),
    total,
    phases,
    writes: {
      catalog: { attempted: writeAttempts, notAcknowledged: writeFailures, acknowledgedProducts: acked.size, lost: lost.length, lostIds: lost.slice(0, 10) },
      behaviour: behaviourResult,
      merchandiser: { attempted: merchAttempts, notAcknowledged: merchFailures, acknowledgedDocuments: merchAcked.size, lost: merchLost.length, lostIds: merchLost.slice(0, 10) },
    },
    topics: topicNames(namespace).catalog,
  };
  writeFileSync(path.join(__dirname, 'results/faults.json'), `${JSON.stringify(result, null, 2)}\n`);
  // Every answer of the run (time, endpoint, status, ms, fallbacks), to look again at any phase.
  writeFileSync(path.join(__dirname, 'results/faults-samples.json'), `${JSON.stringify(driver.samples.map((x) => [Math.round(x.at * 1000) / 1000, x.endpoint, x.status, Math.round(x.ms * 10) / 10, x.degraded]))}\n`);
  console.log(JSON.stringify({ phases: phases.map((p) => `${p.phase}: ${p.requests} req, ${p.errors5xx} 5xx, ${p.noAnswer} no answer, ${p.degraded} degraded, breaker ${JSON.stringify(p.breaker ?? null)}, recovery ${p.recoveryMs} ms`), writes: result.writes }, null, 2));
  await mesh.stop();
  for (const proxy of proxies.values()) await proxy.close();
  await catalog.drop().catch(() => undefined);
  if (!process.argv.includes('--keep-infra')) await infra('down');
}

main().catch(async (err: unknown) => {
  console.error(err);
  for (const step of undo.reverse()) await step().catch(() => undefined);
  process.exit(1);
});
