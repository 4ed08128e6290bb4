import { FeatureStoreReader } from '@search-mesh/feature-store';
import { freePort } from '@search-mesh/testing';
import { backends, cleanUp, CuttableProxy, expectedCounts, metric, publish, startPipeline, storedCounts, testNamespace, traffic, waitFor } from './harness';

const namespace = testNamespace();
const { cassandra, kafka } = backends(namespace);
const direct = new FeatureStoreReader(cassandra, { namespace });
const [cassandraHost, cassandraPort] = (process.env.CASSANDRA_CONTACT_POINTS ?? '127.0.0.1:19042').split(',')[0]!.split(':');
let proxy: CuttableProxy;

beforeAll(async () => {
  proxy = new CuttableProxy(await freePort(), { host: cassandraHost!, port: Number(cassandraPort ?? 9042) });
  await proxy.open();
});

afterAll(async () => {
  await proxy.cut();
  await cleanUp(cassandra, kafka, namespace);
});

const sameCounts = (a: Map<string, number[]>, b: Map<string, number[]>) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

it('pauses while Cassandra is unreachable and resumes without losing or doubling an event', async () => {
  const pipeline = await startPipeline(namespace, { CASSANDRA_CONTACT_POINTS: `127.0.0.1:${proxy.port}` });
  try {
    const first = traffic(3000, 21);
    await publish(kafka, namespace, first);
    const ids = [...expectedCounts(first).keys()];
    await waitFor('the first events counted', async () => (sameCounts(await storedCounts(direct, ids), expectedCounts(first)) ? true : undefined));

    await proxy.cut();
    const second = traffic(3000, 22);
    await publish(kafka, namespace, second);
    await waitFor('the pipeline to notice and pause', async () => ((await metric(pipeline.metricsUrl, 'feature_pipeline_paused')) === 1 ? true : undefined));
    expect(await metric(pipeline.metricsUrl, 'feature_pipeline_failures_total')).toBeGreaterThan(0);
    // Nothing of the second wave is in the store while it is cut off.
    expect(sameCounts(await storedCounts(direct, ids), expectedCounts(first))).toBe(true);

    await proxy.open();
    const all = expectedCounts([...first, ...second]);
    const allIds = [...all.keys()];
    await waitFor('every event counted after Cassandra came back', async () => (sameCounts(await storedCounts(direct, allIds), all) ? true : undefined), 90_000);
    expect(await metric(pipeline.metricsUrl, 'feature_pipeline_paused')).toBe(0);
  } finally {
    expect(await pipeline.proc.stop('SIGTERM')).toBe(0);
  }
});

it('answers defaults within the deadline when Cassandra refuses connections or hangs', async () => {
  const { cassandra: viaProxy } = backends(namespace, [`127.0.0.1:${proxy.port}`]);
  const reader = new FeatureStoreReader(viaProxy, { namespace, deadlineMs: 50 });
  const ids = Array.from({ length: 200 }, (_, i) => `p${i}`);
  try {
    await proxy.open();
    const warm = await reader.productFeatures(ids, { cache: false, deadlineMs: 5000 });
    expect([...warm.values()].some((f) => f.found)).toBe(true);

    for (const outage of ['blackhole', 'cut'] as const) {
      await (outage === 'cut' ? proxy.cut() : proxy.blackhole());
      const started = performance.now();
      const features = await reader.productFeatures(ids, { cache: false });
      const elapsed = performance.now() - started;
      expect(features.size).toBe(200);
      expect([...features.values()].every((f) => !f.found && f.windows['24h'].ctr > 0)).toBe(true);
      // The driver alone would wait 3 s (connect) or 5 s (read): the deadline, plus scheduling slack, bounds it.
      expect(elapsed).toBeLessThan(50 + 100);
    }
    const defaults = (await reader.metrics.defaults.get()).values;
    expect(defaults.reduce((sum, v) => sum + v.value, 0)).toBeGreaterThanOrEqual(400);
  } finally {
    await proxy.open();
    await viaProxy.shutdown();
  }
});
