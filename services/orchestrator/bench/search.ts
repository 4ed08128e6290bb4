/**
 * Drives `GET /v1/search` with the real queries at a fixed rate (sent evenly, or with autocannon), and in the same run sends the equivalent
 * query straight to Elasticsearch (the exact request body the orchestrator sends for that query, read from
 * its debug output), at the same request rate. Prints QPS, median and p99 of both and the ratio.
 * Target: mesh p99 ≤ 1.25 × direct-Elasticsearch p99 + 3 ms.
 *
 *   npm run bench:search -- [--size 20000] [--namespace NAME] [--rate 100] [--connections 16] [--seconds 20]
 *                           [--rounds 2] [--budget 150] [--no-paced] [--mix uniform|popularity] [--before services/orchestrator/.before/src] [--floor]
 *   (the same: npx tsx services/orchestrator/bench/search.ts …, or npm run bench -w services/orchestrator -- …)
 *
 * Both sides get the same offered load (sent evenly by openLoop, or with --no-paced autocannon's overall rate over the same connections), in rounds that
 * rotate which side goes first; every direct request is checked once (Elasticsearch answers it 200). Median
 * and p99 are over successful answers; the errors and 503s are counted beside them, and so are the direct
 * answers slower than the budget (where the mesh would have answered 503). The target compares "p99 all":
 * over every request, a failed one counting as infinitely slow (a mesh failing more than 1% misses it). The
 * direct request is what a storefront would send Elasticsearch itself: the page with its fields and
 * highlight and the aggregations, in one request. --before starts a second orchestrator from another source
 * tree (a copy of an earlier src/ inside the repo) against the same peers, driven in the same rounds. --floor
 * drives the topology floor too (bench/topology-floor.ts: the mesh's processes and hops, doing no work).
 *
 * With --namespace the products index of that namespace is used as it is (e.g. `search_mesh` after
 * `npm start`); without it a fresh namespace gets a generated catalog of --size products, dropped at the end.
 * Queries: `--mix uniform` (default) sends every distinct query once per cycle, so no query repeats within a
 * run of up to ~50 s at 30 req/s (the worst case for every short-lived cache on the path; every run replays the
 * sequence from its start, so a cache that keeps an answer past the other side's run finds it again); `--mix popularity` draws them ∝ popularity + 1, as shoppers
 * send them. After the table, each process's CPU per answered request (from /proc) shows where a search's
 * CPU goes.
 *
 * Needs Elasticsearch (`eval "$(infra/local/env.sh)"`); starts the four peers and the orchestrator itself.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadQueries, pickCumulative, Prng, resolveDataDir } from '@search-mesh/catalog';
import { indexNames, type SearchResponse } from '@search-mesh/contracts';
import { request } from 'undici';
import { freePort, infraPids, openLoop, type PacedRequest, processTreeCpuSeconds } from '@search-mesh/testing';
import { indexCatalog } from '../test/support/catalog-index';
import { type Mesh, PEER_NAMES, type ServiceProcess, startMesh, startService } from '../test/support/mesh';
import { SOURCE_FIELDS } from '../src/domain/retrieval';
import { SEARCH_FILTER_PATH } from '../src/adapters/product-search';

function peerUrlsOf(mesh: Mesh): NodeJS.ProcessEnv {
  return Object.fromEntries(PEER_NAMES.map((name) => [`SEARCH_MESH_ORCHESTRATOR_${name.toUpperCase().replace(/-/g, '_')}_URL`, mesh.peers[name].url]));
}

const { values: args } = parseArgs({
  allowNegative: true,
  options: {
    size: { type: 'string', default: '20000' },
    namespace: { type: 'string' },
    rate: { type: 'string', default: '100' },
    connections: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
    budget: { type: 'string', default: '150' },
    // Sent evenly (openLoop); --no-paced: autocannon's overallRate (a burst at the start of every second).
    paced: { type: 'boolean', default: true },
    // Which queries, how often: `uniform` sends every distinct query once per cycle; `popularity` draws each with
    // probability ∝ popularity + 1 (the real log's skew, as the reliability suite's storefront traffic does; seeded).
    mix: { type: 'string', default: 'uniform' },
    // Another orchestrator build to compare in the same run (e.g. a copy of an earlier src/), relative to the repo root.
    before: { type: 'string' },
    // Also drive the topology floor (bench/topology-floor.ts): the mesh's processes and hops doing no work.
    floor: { type: 'boolean', default: false },
  },
});

/**
 * What the storefront would ask Elasticsearch for itself: the orchestrator's query (the same matching,
 * scoring, filters and aggregations) for the page with its fields and the query's words highlighted on the
 * title, in one request. `include_named_queries_score` is a URL parameter of `_search` (the client moves
 * it there; in the body Elasticsearch refuses the request with a 400).
 */
function directEquivalent(alias: string, query: string, requests: ReadonlyArray<{ request: unknown }>, pageSize: number): { path: string; body: string } {
  const { body: first, params } = searchParts(requests);
  const body: Record<string, unknown> = { ...first, from: 0, size: pageSize, _source: SOURCE_FIELDS };
  body.highlight = { pre_tags: ['<mark>'], post_tags: ['</mark>'], encoder: 'html', fields: { title: { number_of_fragments: 0 } }, highlight_query: { match: { title: { query } } } };
  const search = params.size > 0 ? `?${params}` : '';
  return { path: `/${alias}/_search${search}`, body: JSON.stringify(body) };
}

/** The orchestrator's own Elasticsearch request, as its client sends it (with its `filter_path`). */
function orchestratorRequest(alias: string, requests: ReadonlyArray<{ request: unknown }>): { path: string; body: string } {
  const { body, params } = searchParts(requests);
  params.set('filter_path', SEARCH_FILTER_PATH.join(','));
  return { path: `/${alias}/_search?${params}`, body: JSON.stringify(body) };
}

/** The orchestrator's first search request (from its debug answer) split as its client sends it: the body, and the URL parameters it moves out of the body. */
function searchParts(requests: ReadonlyArray<{ request: unknown }>): { body: Record<string, unknown>; params: URLSearchParams } {
  const { include_named_queries_score: namedScores, ...body } = requests[0]!.request as Record<string, unknown>;
  return { body, params: new URLSearchParams(namedScores === true ? { include_named_queries_score: 'true' } : {}) };
}

/** The topology floor's processes: three echo peers and the relay in the orchestrator's place, replaying `requests` (q → request). */
async function startFloor(esUrl: string, requests: Record<string, { path: string; body: string }>): Promise<{ url: string; pids: Record<string, number | undefined>; stop(): Promise<void> }> {
  const entry = 'services/orchestrator/bench/topology-floor.ts';
  const file = path.join(tmpdir(), `topology-floor-${process.pid}.json`);
  writeFileSync(file, JSON.stringify(requests));
  const started: ServiceProcess[] = [];
  const start = async (name: string, env: NodeJS.ProcessEnv) => {
    const port = await freePort();
    const service = await startService(name, { ...env, FLOOR_PORT: String(port) }, port, entry);
    started.push(service);
    if (!service.up) throw new Error(`${name} did not start: ${service.process.output().slice(-1000)}`);
    return service;
  };
  const stop = async () => {
    await Promise.all(started.map((s) => s.process.stop()));
    rmSync(file, { force: true });
  };
  try {
    const [qu, facet, ranking] = await Promise.all(['floor-qu', 'floor-facet', 'floor-ranking'].map((name) => start(name, { FLOOR_ROLE: 'echo' })));
    const relay = await start('floor-relay', { FLOOR_ROLE: 'relay', FLOOR_REQUESTS: file, FLOOR_ES_URL: esUrl, FLOOR_QU_URL: qu!.url, FLOOR_FACET_URL: facet!.url, FLOOR_RANKING_URL: ranking!.url });
    return { url: relay.url, pids: Object.fromEntries(started.map((s) => [s.name, s.process.child.pid])), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

interface Figures {
  qps: number;
  /** Latency percentiles over the successful (2xx) answers only. */
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Successful answers slower than the request budget (the mesh would have answered 503 instead). */
  overBudget: number;
  /** p99 over every request, a failed one (non-2xx, error, timeout) counting as infinitely slow: what the target compares. */
  p99All: number;
  /** CPU milliseconds per answered request of each process of the machine's search path, while this side ran. */
  cpuMsPerRequest: Record<string, number>;
}

/** CPU seconds so far of each named process (and its children); a process that is gone reads 0. */
function cpuSeconds(pids: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid === undefined ? 0 : processTreeCpuSeconds(pid)]));
}

/** `count` indices drawn with probability ∝ weight (seeded: every run of the bench replays the same traffic). */
function drawByWeight(weights: readonly number[], count: number): number[] {
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => (cumulative[i] = sum += w));
  const rng = new Prng('bench:search');
  return Array.from({ length: count }, () => pickCumulative(cumulative, rng.next()));
}

const percentile = (sorted: readonly number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);

/**
 * Drives one side: with `--paced` (the default) requests go out evenly at `--rate` (libs/testing's openLoop;
 * latency from each request's due time), otherwise with autocannon's `overallRate`, which releases each
 * connection's quota for the second at its start: a burst of `rate` requests every second, so both sides'
 * p99 is that of a queue of a second's requests.
 */
async function drive(url: string, requests: PacedRequest[], processes: Record<string, number | undefined>): Promise<Figures> {
  const budget = Number(args.budget);
  const cpuBefore = cpuSeconds(processes);
  let latencies: number[];
  let qps: number;
  let non2xx: number;
  let errors: number;
  if (args.paced) {
    const run = await openLoop({ url, rate: Number(args.rate), seconds: Number(args.seconds), warmupSeconds: 2, connections: Number(args.connections), requests });
    latencies = Array.from(run.latencies);
    qps = run.achievedRate;
    errors = run.statuses[0] ?? 0;
    non2xx = run.sent - latencies.length - errors;
  } else {
    latencies = [];
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        { url, connections: Number(args.connections), overallRate: Number(args.rate), duration: Number(args.seconds), requests },
        (err, res) => (err ? reject(err) : resolve(res)),
      );
      instance.on('response', (_client, statusCode, _bytes, ms) => {
        if (statusCode >= 200 && statusCode < 300) latencies.push(ms);
      });
    });
    qps = result.requests.average;
    non2xx = result.non2xx;
    errors = result.errors + result.timeouts;
  }
  latencies.sort((a, b) => a - b);
  const cpuAfter = cpuSeconds(processes);
  const answered = Math.max(1, latencies.length + non2xx);
  return {
    cpuMsPerRequest: Object.fromEntries(Object.keys(processes).map((name) => [name, ((cpuAfter[name]! - cpuBefore[name]!) * 1000) / answered])),
    p99All: percentile([...latencies, ...Array<number>(non2xx + errors).fill(Infinity)], 99),
    qps,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok: latencies.length,
    non2xx,
    errors,
    overBudget: latencies.filter((ms) => ms > budget).length,
  };
}

async function main(): Promise<void> {
  const esUrl = process.env.ES_URL ?? 'http://127.0.0.1:19200';
  const own = args.namespace === undefined ? await indexCatalog(Number(args.size)) : undefined;
  const namespace = args.namespace ?? own!.namespace;
  const alias = indexNames(namespace).productsAlias;
  const orchestratorEnv = { SEARCH_MESH_ORCHESTRATOR_RATE_LIMIT_MAX: '0', SEARCH_MESH_ORCHESTRATOR_REQUEST_BUDGET_MS: args.budget, ES_URL: esUrl };
  const mesh = await startMesh({ namespace, orchestratorEnv, featureStore: true });
  const before = args.before === undefined ? undefined : await startService('orchestrator', { SEARCH_MESH_NAMESPACE: namespace, ...orchestratorEnv, ...peerUrlsOf(mesh) }, undefined, `${args.before}/server.ts`);
  let floor: Awaited<ReturnType<typeof startFloor>> | undefined;
  try {
    if (args.mix !== 'popularity' && args.mix !== 'uniform') throw new Error(`--mix must be popularity or uniform, not ${args.mix}`);
    const popularity = new Map<string, number>();
    for (const record of loadQueries(resolveDataDir())) {
      const q = record.query.trim();
      if (q !== '') popularity.set(q, Math.max(popularity.get(q) ?? 0, record.popularity));
    }
    const queries = [...popularity.keys()];
    const weights: number[] = [];
    // The equivalent Elasticsearch request of every query: the body the orchestrator sent for it.
    const meshRequests: PacedRequest[] = [];
    const esRequests: PacedRequest[] = [];
    const floorRequests: Record<string, { path: string; body: string }> = {};
    let differentTotals = 0;
    for (const q of queries) {
      const res = await request(`${mesh.orchestrator.url}/v1/search?q=${encodeURIComponent(q)}&debug=true`, { headers: { 'x-request-budget-ms': '5000' } });
      const body = (await res.body.json()) as SearchResponse;
      const sent = body.debug?.elasticsearch ?? [];
      if (res.statusCode !== 200 || sent.length === 0) continue;
      // The direct request must be one Elasticsearch accepts and that finds what the mesh found.
      const direct = directEquivalent(alias, q, sent, body.size);
      const check = await request(`${esUrl}${direct.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: direct.body });
      const checked = (await check.body.json()) as { hits?: { total?: { value: number } } };
      if (check.statusCode !== 200) throw new Error(`Elasticsearch refused the direct request for "${q}" (${check.statusCode}): ${JSON.stringify(checked).slice(0, 500)}`);
      if (checked.hits?.total?.value !== body.total) differentTotals++;
      weights.push(popularity.get(q)! + 1);
      meshRequests.push({ method: 'GET', path: `/v1/search?q=${encodeURIComponent(q)}` });
      esRequests.push({ method: 'POST', path: direct.path, headers: { 'content-type': 'application/json' }, body: direct.body });
      if (args.floor) floorRequests[q] = orchestratorRequest(alias, sent);
    }
    // Both sides replay the same sequence from its start in every run.
    const sequence = args.mix === 'uniform' ? meshRequests.map((_, i) => i) : drawByWeight(weights, Math.ceil(Number(args.rate) * (Number(args.seconds) + 2)) + 1);
    const meshSequence = sequence.map((i) => meshRequests[i]!);
    const esSequence = sequence.map((i) => esRequests[i]!);
    if (args.floor) floor = await startFloor(esUrl, floorRequests);
    const distinct = new Set(sequence).size;
    console.log(`${meshRequests.length} real queries (${differentTotals} with a different total from the mesh's: zero-result recovery); ${args.rate} req/s over ${args.connections} connections, ${args.seconds} s per run, ${args.rounds} rounds`);
    console.log(`mix ${args.mix}: ${sequence.length} requests per cycle, ${distinct} distinct queries`);
    console.log(`load average at start: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (${availableParallelism()} cores)`);
    console.log(`peers: ${PEER_NAMES.map((name) => `${name} ${mesh.peers[name].up ? 'up' : 'down (falls back)'}`).join(', ')}`);
    // Where the CPU of a search goes: every process on its path (Elasticsearch direct needs only Elasticsearch).
    const processes: Record<string, number | undefined> = {
      orchestrator: mesh.orchestrator.process.child.pid,
      ...Object.fromEntries(PEER_NAMES.map((name) => [name, mesh.peers[name].process.child.pid])),
      ...(before === undefined ? {} : { 'orchestrator before': before.process.child.pid }),
      ...floor?.pids,
      ...infraPids(),
    };
    const rows: Array<[string, Figures]> = [];
    for (let round = 1; round <= Number(args.rounds); round++) {
      // Each round starts with the next side, so none always runs on the machine another just warmed or loaded.
      const runs: Array<[string, string, PacedRequest[]]> = [
        [`elasticsearch #${round}`, esUrl, esSequence],
        [`mesh          #${round}`, mesh.orchestrator.url, meshSequence],
      ];
      if (before !== undefined) runs.push([`mesh before   #${round}`, before.url, meshSequence]);
      if (floor !== undefined) runs.push([`floor         #${round}`, floor.url, meshSequence]);
      const first = (round - 1) % runs.length;
      for (const [name, url, requests] of [...runs.slice(first), ...runs.slice(0, first)]) rows.push([name, await drive(url, requests, processes)]);
    }
    console.log(`\nlatencies over successful answers; over budget: 2xx slower than ${args.budget} ms (the mesh answers 503 instead)`);
    console.log('run                 QPS     median ms   p99 ms      2xx  non-2xx  errors  over budget  p99 all ms');
    for (const [name, f] of rows) {
      console.log(
        `${name.padEnd(18)} ${f.qps.toFixed(1).padStart(6)} ${f.p50.toFixed(1).padStart(10)} ${f.p99.toFixed(1).padStart(8)} ${String(f.ok).padStart(8)} ${String(f.non2xx).padStart(8)} ${String(f.errors).padStart(7)} ${String(f.overBudget).padStart(12)} ${f.p99All.toFixed(1).padStart(11)}`,
      );
    }
    console.log('p99 all: over every request, a failed one (non-2xx, error) counted as infinitely slow; the target compares these');
    console.log(`\nCPU ms per answered request (/proc, the run's user + system time over its answers): ${Object.keys(processes).join(', ')}`);
    for (const [name, f] of rows) console.log(`${name.padEnd(18)} ${Object.values(f.cpuMsPerRequest).map((ms) => ms.toFixed(2).padStart(7)).join(' ')}   total ${Object.values(f.cpuMsPerRequest).reduce((a, b) => a + b, 0).toFixed(1)}`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const es = rows.filter(([n]) => n.startsWith('elasticsearch')).map(([, f]) => f);
    const meshRuns = rows.filter(([n]) => n.startsWith('mesh  ')).map(([, f]) => f);
    const esP99 = median(es.map((f) => f.p99All));
    const meshP99 = median(meshRuns.map((f) => f.p99All));
    const esP50 = median(es.map((f) => f.p50));
    const meshP50 = median(meshRuns.map((f) => f.p50));
    const target = 1.25 * esP99 + 3;
    console.log(`\nmedian of rounds: elasticsearch p50 ${esP50.toFixed(1)} ms, p99 (all) ${esP99.toFixed(1)} ms; mesh p50 ${meshP50.toFixed(1)} ms, p99 (all) ${meshP99.toFixed(1)} ms`);
    console.log(`ratio mesh/elasticsearch: p50 ×${(meshP50 / esP50).toFixed(2)}, p99 ×${(meshP99 / esP99).toFixed(2)}`);
    console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`target mesh p99 ≤ 1.25 × direct p99 + 3 ms = 1.25 × ${esP99.toFixed(1)} + 3 = ${target.toFixed(1)} ms; mesh p99 ${meshP99.toFixed(1)} ms: ${meshP99 <= target ? 'MET' : 'MISSED'}`);
    const floorRuns = rows.filter(([n]) => n.startsWith('floor')).map(([, f]) => f);
    if (floorRuns.length > 0) {
      const floorP99 = median(floorRuns.map((f) => f.p99All));
      const floorP50 = median(floorRuns.map((f) => f.p50));
      console.log(`topology floor (the mesh's processes and hops, no work): p50 ${floorP50.toFixed(1)} ms, p99 (all) ${floorP99.toFixed(1)} ms, ×${(floorP99 / esP99).toFixed(2)} direct: ${floorP99 <= target ? 'within' : 'over'} the target`);
    }
  } finally {
    await floor?.stop();
    await before?.process.stop();
    await mesh.stop();
    await own?.drop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
