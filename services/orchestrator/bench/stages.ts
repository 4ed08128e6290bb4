/**
 * Where a search's time goes at a fixed rate: drives `/v1/search?debug=true` with the real queries (sent
 * evenly, each latency from its due time) and prints, over the answers, the client's latency, the
 * orchestrator's own total and the gap between them (HTTP in and out, the answer's serialisation, queueing
 * before the handler), then each stage's median, p90 and p99, and the slowest answers stage by stage.
 * `--unreachable` points the orchestrator at nothing for the named peers (their breakers open and the
 * fallbacks answer), e.g. `--unreachable ranking` or `--unreachable query-understanding,facet,ranking`
 * (the orchestrator and Elasticsearch alone).
 *
 *   npx tsx services/orchestrator/bench/stages.ts [--rate 30] [--seconds 30] [--size 20000] [--unreachable NAMES]
 *
 * Needs Elasticsearch, Kafka and Cassandra (`eval "$(infra/local/env.sh)"`); starts the peers and the
 * orchestrator on a generated catalog of --size products, dropped at the end. `debug` answers are larger
 * than plain ones, so the gap is a little wider than a shopper's.
 */
import { parseArgs } from 'node:util';
import { loadQueries, resolveDataDir } from '@search-mesh/catalog';
import type { SearchResponse } from '@search-mesh/contracts';
import { openLoop, quantile } from '@search-mesh/testing';
import { Pool } from 'undici';
import { indexCatalog } from '../test/support/catalog-index';
import { PEER_NAMES, type PeerName, startMesh } from '../test/support/mesh';

const { values: args } = parseArgs({
  options: {
    rate: { type: 'string', default: '30' },
    seconds: { type: 'string', default: '30' },
    size: { type: 'string', default: '20000' },
    unreachable: { type: 'string', default: '' },
  },
});

const STAGES = ['understand', 'facet_selection', 'retrieve', 'rank', 'facets', 'total'];
/** Queries sent once before the measured ones (JIT, connections, caches of the first queries). */
const WARMUP_QUERIES = 300;

interface Sample {
  clientMs: number;
  timings: Record<string, number>;
  query: string;
}

const row = (name: string, values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  console.log(`${name.padEnd(16)} ${[0.5, 0.9, 0.99].map((q) => quantile(sorted, q).toFixed(1).padStart(7)).join(' ')}`);
};

async function main(): Promise<void> {
  const unreachable = args.unreachable.split(',').filter((n) => n !== '');
  for (const name of unreachable) if (!PEER_NAMES.includes(name as PeerName)) throw new Error(`--unreachable: ${name} is not one of ${PEER_NAMES.join(', ')}`);
  const rate = Number(args.rate);
  const catalog = await indexCatalog(Number(args.size));
  const mesh = await startMesh({
    namespace: catalog.namespace,
    orchestratorEnv: { SEARCH_MESH_ORCHESTRATOR_RATE_LIMIT_MAX: '0' },
    featureStore: true,
    // Port 1 on loopback: refused at once, so the breaker opens and the fallback answers.
    peerUrls: async () => Object.fromEntries(unreachable.map((name) => [name, 'http://127.0.0.1:1'])),
  });
  try {
    const queries = [...new Set(loadQueries(resolveDataDir()).map((r) => r.query.trim()).filter((q) => q !== ''))];
    const pool = new Pool(mesh.orchestrator.url, { connections: 16 });
    for (const query of queries.slice(0, WARMUP_QUERIES)) await (await pool.request({ method: 'GET', path: `/v1/search?q=${encodeURIComponent(query)}` })).body.text();
    await pool.close();

    // Sent evenly, each latency from its due time (libs/testing's openLoop), the queries after the warm-up's.
    const measured = [...queries.slice(WARMUP_QUERIES), ...queries.slice(0, WARMUP_QUERIES)];
    const samples: Sample[] = [];
    const run = await openLoop({
      url: mesh.orchestrator.url,
      rate,
      seconds: Number(args.seconds),
      connections: 16,
      requests: measured.map((query) => ({ method: 'GET', path: `/v1/search?q=${encodeURIComponent(query)}&debug=true` })),
      onBody: (text, latencyMs) => {
        const body = JSON.parse(text) as SearchResponse;
        if (body.debug !== undefined) samples.push({ clientMs: latencyMs, timings: body.debug.timings, query: body.query.original });
      },
    });

    console.log(`${samples.length} of ${run.sent} answered with debug timings (statuses ${JSON.stringify(run.statuses)}) at ${rate} req/s; unreachable peers: ${unreachable.join(', ') || 'none'}`);
    console.log('ms                  median     p90     p99');
    row('client', samples.map((s) => s.clientMs));
    row('client - total', samples.map((s) => s.clientMs - (s.timings.total ?? 0)));
    for (const stage of STAGES) row(stage, samples.map((s) => s.timings[stage] ?? 0));
    console.log('\nslowest answers (client ms: stages ms)');
    for (const s of [...samples].sort((a, b) => b.clientMs - a.clientMs).slice(0, 10)) {
      console.log(`${s.clientMs.toFixed(1).padStart(7)}: ${STAGES.map((stage) => `${stage} ${s.timings[stage] ?? '-'}`).join(', ')}  "${s.query}"`);
    }
  } finally {
    await mesh.stop();
    await catalog.drop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
