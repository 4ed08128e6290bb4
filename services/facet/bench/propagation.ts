/**
 * How long an accepted change takes to reach another instance: two facet processes on a throw-away
 * namespace (infrastructure running), N saves through instance A's admin API, each timed from the
 * request until instance B's `POST /v1/facets/select` answers with it. Prints the save latency and the
 * propagation delay (median, p99, max). Usage: npx tsx services/facet/bench/propagation.ts [--changes 100]
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { backendSettings, createCassandraClient, createKafka, deleteTopicsIfPresent } from '@search-mesh/backends';
import { keyspaceNames, topicNames } from '@search-mesh/contracts';
import { loadConfig } from '@search-mesh/service-kit';
import { freePort, runTs, sleep, waitForHttp } from '@search-mesh/testing';
import { request } from 'undici';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CHANGES = arg('changes', 100);
const TOKEN = 'bench-merch-token-0123456789';
const namespace = `bench_${randomBytes(4).toString('hex')}`;

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const fmt = (xs: number[]) => `median ${quantile(xs, 0.5).toFixed(1)} ms, p99 ${quantile(xs, 0.99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;

async function main(): Promise<void> {
  const ports = [await freePort(), await freePort()];
  const procs = ports.map((port) =>
    runTs('services/facet/src/server.ts', {
      SEARCH_MESH_NAMESPACE: namespace,
      SEARCH_MESH_FACET_PORT: String(port),
      SEARCH_MESH_FACET_LOG_LEVEL: 'warn',
      SEARCH_MESH_FACET_ACCESS_LOG: 'false',
      SEARCH_MESH_FACET_ADMIN_TOKENS: `bench:merchandiser:${TOKEN}`,
      SEARCH_MESH_FACET_ADMIN_RATE_LIMIT_MAX: '0',
    }),
  );
  const [a, b] = ports.map((p) => `http://127.0.0.1:${p}`) as [string, string];
  try {
    await Promise.all([a, b].map((url) => waitForHttp(`${url}/readyz`, { timeoutMs: 60_000 })));
    const saves: number[] = [];
    const delays: number[] = [];
    let version = 0;
    for (let i = 0; i < CHANGES; i++) {
      const size = 2 + (i % 50);
      const started = performance.now();
      const res = await request(`${a}/v1/admin/facets/*`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ version, config: { category: '*', facets: [{ field: 'brand', display: 'terms', position: 0, size }] } }),
      });
      const saved = (await res.body.json()) as { version: number };
      if (res.statusCode !== 200) throw new Error(`save answered ${res.statusCode}: ${JSON.stringify(saved)}`);
      saves.push(performance.now() - started);
      version = saved.version;
      for (;;) {
        const sel = await request(`${b}/v1/facets/select`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: 'tv', filters: [] }) });
        const body = (await sel.body.json()) as { aggregations: Array<{ name: string; size?: number }> };
        // 503: B shed the poll (its event loop is busy on this shared machine); poll again.
        if (sel.statusCode !== 200 && sel.statusCode !== 503) throw new Error(`select on B answered ${sel.statusCode}: ${JSON.stringify(body)}`);
        if (sel.statusCode === 200 && body.aggregations.find((x) => x.name === 'brand')?.size === size) break;
        if (performance.now() - started > 10_000) throw new Error(`change ${i} not seen on B within 10 s`);
        await sleep(5);
      }
      delays.push(performance.now() - started);
    }
    console.log(`${CHANGES} changes through instance A (shared machine; timings are noisy)`);
    console.log(`save (validate, LWT write, audit, publish): ${fmt(saves)}`);
    console.log(`visible on instance B (from the start of the save): ${fmt(delays)}`);
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    const config = loadConfig('bench', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: namespace });
    const cassandra = createCassandraClient(config);
    await cassandra.execute(`DROP KEYSPACE IF EXISTS ${keyspaceNames(namespace).merchandising}`).catch(() => undefined);
    await cassandra.shutdown();
    await deleteTopicsIfPresent(createKafka(config, 'bench'), [topicNames(namespace).configChanges]).catch(() => undefined);
  }
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
