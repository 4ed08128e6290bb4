/**
 * The feature store's figures against the real Kafka and Cassandra, in a throw-away namespace:
 *   1. aggregator throughput: simulated traffic over the last 7 days (demo catalog, real queries) published first, then the
 *      pipeline (its own process, as in production) counts it; events/s from its first to its last chunk;
 *   2. read latency of features for 200 products: from Cassandra (cache off) and from the cache;
 *   3. freshness: a click produced → visible through the read library (cache off).
 *
 *   npx tsx services/feature-pipeline/bench/features.ts [--events 200000] [--reads 300] [--freshness 200]
 *
 * Targets: ≥ 20,000 events/s; cold p99 ≤ 10 ms; cached p99 ≤ 1 ms; freshness p99 ≤ 1 s.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { backendSettings, createCassandraClient, createKafka } from '@search-mesh/backends';
import type { BehaviourEvent } from '@search-mesh/contracts';
import { FeatureStoreReader, summaryParts, tableOf } from '@search-mesh/feature-store';
import { Registry } from 'prom-client';
import { loadConfig } from '@search-mesh/service-kit';
import { BehaviourPublisher } from '../src/adapters/behaviour-publisher';
import { loadSimulatorInputs } from '../src/adapters/sim-inputs';
import { TrafficSimulator } from '../src/domain/simulator';
import { quantile } from '@search-mesh/testing';
import { cleanUp, metric, startPipeline } from '../test/integration/harness';

/** CPU seconds a process has used (Linux /proc; undefined elsewhere): less noisy than wall time on a shared machine. */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return undefined;
  }
}
const ascending = (values: readonly number[]) => [...values].sort((a, b) => a - b);
const fmt = (values: readonly number[], unit: string, digits = 2) => {
  const sorted = ascending(values);
  return `median ${quantile(sorted, 0.5).toFixed(digits)} ${unit}, p90 ${quantile(sorted, 0.9).toFixed(digits)} ${unit}, p99 ${quantile(sorted, 0.99).toFixed(digits)} ${unit} (n=${values.length})`;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { events: { type: 'string', default: '200000' }, reads: { type: 'string', default: '300' }, freshness: { type: 'string', default: '200' } } });
  const total = Number(values.events);
  const namespace = `bench_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const config = loadConfig('bench', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: namespace });
  const kafka = createKafka(config, 'feature-bench');
  const cassandra = createCassandraClient(config);
  const reader = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 1000 });
  let pipeline: Awaited<ReturnType<typeof startPipeline>> | undefined;
  try {
    // 1. Throughput.
    const inputs = loadSimulatorInputs({ size: 50_000 });
    // Spread over the last 7 days, so states carry a week of hourly buckets as in production.
    const week = 7 * 24 * 3_600_000;
    const sim = new TrafficSimulator({ ...inputs, seed: 99, meanGapMs: week / total, startAt: Date.now() - week });
    const events: BehaviourEvent[] = sim.batch(total).slice(0, total);
    const publisher = new BehaviourPublisher(kafka, namespace);
    await publisher.connect();
    // The pipeline creates the topics; start it first, stop it, publish, then measure a cold catch-up.
    pipeline = await startPipeline(namespace);
    expect(await pipeline.proc.stop('SIGTERM'), 0);
    const t0 = performance.now();
    await publisher.publish(events, 5000);
    console.log(`published ${events.length} events (${inputs.products.length} products, ${inputs.queries.length} real queries) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    pipeline = await startPipeline(namespace);
    // Ready means joined to the group (kafkajs resolves `run` after join and sync): fetching starts now.
    const ready = performance.now();
    const cpuAtReady = cpuSeconds(pipeline.proc.child.pid);
    const url = pipeline.metricsUrl;
    const counted = async () =>
      (await metric(url, 'feature_pipeline_events_total', 'outcome="counted"')) + (await metric(url, 'feature_pipeline_events_total', 'outcome="no_features"'));
    let first = 0;
    for (;;) {
      const n = await counted();
      if (n > 0 && first === 0) first = performance.now();
      if (n >= total) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const done = performance.now();
    const cpuUsed = (cpuSeconds(pipeline.proc.child.pid) ?? NaN) - (cpuAtReady ?? NaN);
    const seconds = (done - ready) / 1000;
    const writes = await metric(url, 'feature_pipeline_state_writes_total');
    const chunks = await metric(url, 'feature_pipeline_chunk_duration_seconds_count');
    // From ready (the first fetch) to the last event counted. The figure from the first chunk counted (printed
    // last, how earlier runs were reported) leaves the first chunks' own time out, the more so the bigger they are.
    console.log(
      `aggregator throughput: ${Math.round(total / seconds)} events/s (${total} events in ${seconds.toFixed(1)} s from ready to all counted, ${chunks} chunks, ${writes} feature rows written, pipeline CPU ${cpuUsed.toFixed(1)} s = ${Math.round((cpuUsed * 1e6) / total)} µs per event; target ≥ 20,000; from the first chunk counted: ${Math.round(total / ((done - first) / 1000))} events/s)`,
    );

    // 2. Reads of 200 products that have features.
    const shown = new Map<string, number>();
    for (const e of events) if (e.type === 'search.impression') for (const p of e.products) shown.set(p.productId, (shown.get(p.productId) ?? 0) + 1);
    const ids = [...shown].sort((a, b) => b[1] - a[1]).slice(0, 2000).map(([id]) => id);
    events.length = 0; // the 100k published events are not part of a reader's heap
    const page = (i: number) => Array.from({ length: 200 }, (_, j) => ids[(i * 37 + j * 7) % ids.length]!);
    // Side by side, in turn on the same pages: the per-partition rows (as before the summaries) and the
    // summary rows, one key per read and grouped into IN reads per replica.
    const registry = new Registry();
    let frozen: number | undefined; // one instant for the readers' equality check (the trend decays with time)
    const now = () => frozen ?? Date.now();
    const variants: [string, FeatureStoreReader][] = [
      ['rows, 1 key per read, 64 in flight', new FeatureStoreReader(cassandra, { namespace, deadlineMs: 1000, summaries: false, keysPerRead: 1, now })],
      ['rows, IN reads of 50 keys per replica', new FeatureStoreReader(cassandra, { namespace, deadlineMs: 1000, summaries: false, keysPerRead: 50, now })],
      ['summaries, 1 key per read, 64 in flight', new FeatureStoreReader(cassandra, { namespace, deadlineMs: 1000, keysPerRead: 1, registry, now })],
      ['summaries, IN reads of 25 keys per replica', new FeatureStoreReader(cassandra, { namespace, deadlineMs: 1000, keysPerRead: 25, now })],
      ['summaries, IN reads of 50 keys per replica', new FeatureStoreReader(cassandra, { namespace, deadlineMs: 1000, keysPerRead: 50, now })],
      ['summaries, IN reads of 100 keys per replica', new FeatureStoreReader(cassandra, { namespace, deadlineMs: 1000, keysPerRead: 100, now })],
      ['summaries, one IN read of 200 keys per replica set', new FeatureStoreReader(cassandra, { namespace, deadlineMs: 1000, keysPerRead: 200, now })],
      ['default reader (summaries, IN reads of 25 keys)', reader],
    ];
    for (let i = 0; i < 20; i++) for (const [, r] of variants) await r.productFeatures(page(i), { cache: false }); // warm connections and prepared statements
    frozen = Date.now();
    const answers: Map<string, unknown>[] = [];
    for (const [, r] of variants.slice(0, -1)) answers.push(await r.productFeatures(page(0), { cache: false }));
    frozen = undefined;
    if (![...(answers[0] as Map<string, { found: boolean }>).values()].every((x) => x.found)) throw new Error('expected features for every product read');
    if (!answers.every((a) => isDeepStrictEqual(a, answers[0]))) throw new Error('the readers disagree');
    const took = variants.map(() => [] as number[]);
    const cpu = variants.map(() => [] as number[]);
    for (let i = 0; i < Number(values.reads); i++) {
      for (let v = 0; v < variants.length; v++) {
        const cpu0 = process.cpuUsage();
        const started = performance.now();
        await variants[v]![1].productFeatures(page(i), { cache: false });
        took[v]!.push(performance.now() - started);
        const used = process.cpuUsage(cpu0);
        cpu[v]!.push((used.user + used.system) / 1000);
      }
    }
    const fallbacks = (await registry.getSingleMetric('feature_store_summary_fallbacks_total')!.get()).values[0]?.value ?? 0;
    for (let v = 0; v < variants.length; v++) {
      console.log(`features for 200 products from Cassandra (cold), ${variants[v]![0]}: ${fmt(took[v]!, 'ms')}; CPU of the bench process median ${quantile(ascending(cpu[v]!), 0.5).toFixed(2)} ms (target p99 ≤ 10 ms)`);
    }
    console.log(`  products read from their rows because their summary could not answer: ${fallbacks} of ${200 * (Number(values.reads) + 20)}`);
    const sizes = (rs: { rows: { get(c: string): unknown }[] }, bytes: (row: { get(c: string): unknown }) => number) => rs.rows.map(bytes).reduce((a, b) => a + b, 0) / 200;
    const summaryBytes = sizes(await cassandra.execute(`SELECT parts FROM ${tableOf(namespace, 'productSummary')} WHERE product_id IN ?`, [page(0)], { prepare: true }), (r) =>
      summaryParts(r.get('parts')).reduce((a, b) => a + b.length, 0));
    const rowBytes = sizes(await cassandra.execute(`SELECT fine, hourly FROM ${tableOf(namespace, 'product')} WHERE product_id IN ?`, [page(0)], { prepare: true, fetchSize: 100_000 }), (r) =>
      ((r.get('fine') as Buffer | null)?.length ?? 0) + ((r.get('hourly') as Buffer | null)?.length ?? 0));
    console.log(`  bytes per product read: summaries ${Math.round(summaryBytes)}, rows' bucket blobs ${Math.round(rowBytes)}`);
    // The row reads above move ~1 MB per call through Cassandra (and its garbage collector) between the
    // summary reads; the default reader once more on its own, as a ranking service would use it.
    const alone: number[] = [];
    for (let i = 0; i < Number(values.reads); i++) {
      const started = performance.now();
      await reader.productFeatures(page(i + 1000), { cache: false });
      alone.push(performance.now() - started);
    }
    console.log(`features for 200 products from Cassandra (cold), default reader alone (no row reads in between): ${fmt(alone, 'ms')} (target p99 ≤ 10 ms)`);
    const cached: number[] = [];
    const hot = page(0);
    await reader.productFeatures(hot);
    for (let i = 0; i < Number(values.reads) * 5; i++) {
      const started = performance.now();
      await reader.productFeatures(hot);
      cached.push(performance.now() - started);
    }
    console.log(`features for 200 products from the cache:        ${fmt(cached, 'ms', 3)} (target p99 ≤ 1 ms)`);

    // 3. Freshness: one click at a time, produced → readable.
    const freshness: number[] = [];
    const product = ids[0]!;
    let clicks = (await reader.productFeatures([product], { cache: false })).get(product)!.windows['7d'].clicks;
    for (let i = 0; i < Number(values.freshness); i++) {
      const produced = performance.now();
      await publisher.publish([{ schema: 'behaviour.v1', type: 'product.clicked', eventId: `f${i}`, sessionId: `fresh${i}`, occurredAt: Date.now(), productId: product }]);
      for (;;) {
        const now = (await reader.productFeatures([product], { cache: false })).get(product)!.windows['7d'].clicks;
        if (now > clicks) {
          clicks = now;
          break;
        }
        if (performance.now() - produced > 10_000) throw new Error('a click did not become readable within 10 s');
      }
      freshness.push(performance.now() - produced);
    }
    console.log(`freshness (click produced → readable): ${fmt(freshness, 'ms', 0)} (target p99 ≤ 1000 ms)`);
    await publisher.disconnect();
  } finally {
    if (pipeline) await pipeline.proc.stop('SIGTERM');
    await cleanUp(cassandra, kafka, namespace);
  }
}

function expect(actual: unknown, wanted: unknown): void {
  if (actual !== wanted) throw new Error(`expected ${String(wanted)}, got ${String(actual)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
