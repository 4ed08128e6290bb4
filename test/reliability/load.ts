/**
 * The load suite: every service as a real process (shared infrastructure, a throw-away namespace, a
 * catalog indexed into it), then storefront traffic from the real queries at a target rate (open loop):
 * throughput, median, p99 and p99.9 per endpoint and per search stage (the orchestrator's debug timings of
 * a quarter of the searches), CPU and memory of every process. Writes test/reliability/results/load.json.
 *
 *   eval "$(bash infra/local/env.sh)"; npm run bench:load [-- --rate 50 --seconds 60 --catalog 20000]
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { infraPids } from '@search-mesh/testing';
import { indexCatalog, testNamespace } from '../../services/orchestrator/test/support/catalog-index';
import { startWholeMesh } from './lib/mesh';
import { machineNote, ProcessSampler } from './lib/procstats';
import { type Endpoint, LoadDriver, stageSummary, storefrontTraffic, summarise } from './lib/traffic';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

async function main(): Promise<void> {
  const rate = arg('rate', 50);
  const seconds = arg('seconds', 60);
  const catalogSize = arg('catalog', 20_000);
  const namespace = testNamespace();
  const catalog = await indexCatalog(catalogSize, namespace);
  const mesh = await startWholeMesh({ namespace, adminToken: 'load', catalogSize });
  try {
    // Warm-up at the target rate (JIT, pools, Elasticsearch caches), not measured.
    await new LoadDriver(storefrontTraffic(catalog.queries, 99)).run({ origin: mesh.orchestratorUrl, rate, durationMs: 10_000 });
    const sampler = new ProcessSampler(() => ({
      ...Object.fromEntries([...mesh.services.values()].map((s) => [s.name, s.current.process.child.pid])),
      ...infraPids(),
    }));
    sampler.start();
    const driver = new LoadDriver(storefrontTraffic(catalog.queries, 1));
    await driver.run({ origin: mesh.orchestratorUrl, rate, durationMs: seconds * 1000 });
    const processes = sampler.stop();
    const endpoints = Object.fromEntries((['search', 'suggest', 'page', 'facet'] as Endpoint[]).map((e) => [e, summarise(driver.samples.filter((s) => s.endpoint === e), seconds)]));
    const result = {
      suite: 'load',
      at: new Date().toISOString(),
      machine: machineNote("the shared infrastructure's three JVMs running"),
      rate,
      seconds,
      catalogSize,
      queries: catalog.queries.length,
      dropped: driver.dropped,
      total: summarise(driver.samples, seconds),
      endpoints,
      stages: stageSummary(driver.samples),
      processes,
      // The whole command, indexing and starting the services included.
      wallS: Math.round(process.uptime()),
    };
    writeFileSync(path.join(__dirname, 'results/load.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await mesh.stop();
    await catalog.drop();
  }
}

void main();
