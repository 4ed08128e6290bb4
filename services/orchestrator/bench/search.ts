/**
 * Drives `GET /v1/search` with autocannon using the real queries, and in the same run sends the equivalent
 * query straight to Elasticsearch (the exact request body the orchestrator sends for that query, read from
 * its debug output), at the same request rate. Prints QPS, median and p99 of both and the ratio.
 * Target: mesh p99 ≤ 1.25 × direct-Elasticsearch p99 + 3 ms.
 *
 *   npx tsx services/orchestrator/bench/search.ts [--size 20000] [--namespace NAME] [--rate 100]
 *                                                 [--connections 16] [--seconds 20] [--rounds 2]
 *
 * With --namespace the products index of that namespace is used as it is (e.g. `search_mesh` after
 * `npm start`); without it a fresh namespace gets a generated catalog of --size products, dropped at the end.
 * Needs Elasticsearch (`eval "$(infra/local/env.sh)"`); starts the four peers and the orchestrator itself.
 */
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadQueries, resolveDataDir } from '@search-mesh/catalog';
import { indexNames, type SearchResponse } from '@search-mesh/contracts';
import { request } from 'undici';
import { indexCatalog } from '../test/support/catalog-index';
import { startMesh } from '../test/support/mesh';

const { values: args } = parseArgs({
  options: {
    size: { type: 'string', default: '20000' },
    namespace: { type: 'string' },
    rate: { type: 'string', default: '100' },
    connections: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
  },
});

interface Figures {
  qps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function drive(url: string, requests: autocannon.Request[]): Promise<Figures> {
  const result = await autocannon({
    url,
    connections: Number(args.connections),
    overallRate: Number(args.rate),
    duration: Number(args.seconds),
    requests,
  });
  return { qps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

async function main(): Promise<void> {
  const esUrl = process.env.ES_URL ?? 'http://127.0.0.1:19200';
  const own = args.namespace === undefined ? await indexCatalog(Number(args.size)) : undefined;
  const namespace = args.namespace ?? own!.namespace;
  const alias = indexNames(namespace).productsAlias;
  const mesh = await startMesh({ namespace, orchestratorEnv: { SEARCH_MESH_ORCHESTRATOR_RATE_LIMIT_MAX: '0', ES_URL: esUrl } });
  try {
    const queries = [...new Set(loadQueries(resolveDataDir()).map((q) => q.query.trim()).filter((q) => q !== ''))];
    // The equivalent Elasticsearch request of every query: the body the orchestrator sent for it.
    const meshRequests: autocannon.Request[] = [];
    const esRequests: autocannon.Request[] = [];
    for (const q of queries) {
      const res = await request(`${mesh.orchestrator.url}/v1/search?q=${encodeURIComponent(q)}&debug=true`, { headers: { 'x-request-budget-ms': '5000' } });
      const body = (await res.body.json()) as SearchResponse;
      const first = body.debug?.elasticsearch[0];
      if (res.statusCode !== 200 || first === undefined) continue;
      meshRequests.push({ method: 'GET', path: `/v1/search?q=${encodeURIComponent(q)}` });
      esRequests.push({ method: 'POST', path: `/${alias}/_search`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(first.request) });
    }
    console.log(`${meshRequests.length} real queries; ${args.rate} req/s over ${args.connections} connections, ${args.seconds} s per run, ${args.rounds} rounds`);
    console.log(`query understanding ${mesh.peers['query-understanding'].up ? 'up' : 'down (raw-query fallback)'}; ranking, facet: as running (skeletons fall back)`);
    const rows: Array<[string, Figures]> = [];
    for (let round = 1; round <= Number(args.rounds); round++) {
      rows.push([`elasticsearch #${round}`, await drive(esUrl, esRequests)]);
      rows.push([`mesh          #${round}`, await drive(mesh.orchestrator.url, meshRequests)]);
    }
    console.log('\nrun                 QPS     median ms   p99 ms   non-2xx  errors');
    for (const [name, f] of rows) {
      console.log(`${name.padEnd(18)} ${f.qps.toFixed(1).padStart(6)} ${f.p50.toFixed(1).padStart(10)} ${f.p99.toFixed(1).padStart(8)} ${String(f.non2xx).padStart(9)} ${String(f.errors).padStart(7)}`);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
    const es = rows.filter(([n]) => n.startsWith('elasticsearch')).map(([, f]) => f);
    const meshRuns = rows.filter(([n]) => n.startsWith('mesh')).map(([, f]) => f);
    const esP99 = median(es.map((f) => f.p99));
    const meshP99 = median(meshRuns.map((f) => f.p99));
    const esP50 = median(es.map((f) => f.p50));
    const meshP50 = median(meshRuns.map((f) => f.p50));
    const target = 1.25 * esP99 + 3;
    console.log(`\nmedian of rounds: elasticsearch p50 ${esP50.toFixed(1)} ms, p99 ${esP99.toFixed(1)} ms; mesh p50 ${meshP50.toFixed(1)} ms, p99 ${meshP99.toFixed(1)} ms`);
    console.log(`ratio mesh/elasticsearch: p50 ×${(meshP50 / esP50).toFixed(2)}, p99 ×${(meshP99 / esP99).toFixed(2)}`);
    console.log(`target mesh p99 ≤ 1.25 × ${esP99.toFixed(1)} + 3 = ${target.toFixed(1)} ms: ${meshP99 <= target ? 'met' : 'NOT met'}`);
  } finally {
    await mesh.stop();
    await own?.drop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
