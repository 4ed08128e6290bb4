import { randomUUID } from 'node:crypto';
import { topicNames } from '@search-mesh/contracts';
import { FeatureStoreReader, followFeatureChanges } from '@search-mesh/feature-store';
import { backends, cleanUp, expectedCounts, metric, publish, startPipeline, storedCounts, testNamespace, traffic, waitFor } from './harness';

const namespace = testNamespace();
const { cassandra, kafka } = backends(namespace);
let pipeline: Awaited<ReturnType<typeof startPipeline>>;

beforeAll(async () => {
  pipeline = await startPipeline(namespace);
});

afterAll(async () => {
  expect(await pipeline.proc.stop('SIGTERM')).toBe(0);
  await cleanUp(cassandra, kafka, namespace);
});

it('counts simulated traffic exactly, dead-letters bad events with the reason, and publishes the query log', async () => {
  const events = traffic(5000, 11);
  expect(await publish(kafka, namespace, events)).toBe(events.length);
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({
    topic: topicNames(namespace).behaviour,
    messages: [
      { key: 'x', value: '{not json' },
      { key: 's1', value: JSON.stringify({ schema: 'behaviour.v1', type: 'product.clicked', eventId: 'e', sessionId: 's1', occurredAt: 1, productId: 'a b' }) },
    ],
  });
  await producer.disconnect();

  const expected = expectedCounts(events);
  const reader = new FeatureStoreReader(cassandra, { namespace });
  const ids = [...expected.keys()];
  await waitFor('every event counted', async () => {
    const stored = await storedCounts(reader, ids);
    return JSON.stringify([...stored].sort()) === JSON.stringify([...expected].sort()) ? true : undefined;
  });
  const stored = await storedCounts(reader, ids);
  expect(stored).toEqual(expected);

  // Query-product features agree with the product ones for the same clicks.
  const query = events.find((e) => e.type === 'product.clicked' && e.query)!;
  if (query.type !== 'product.clicked') throw new Error('unreachable');
  const qp = (await reader.queryProductFeatures(query.query!, [query.productId], { cache: false })).get(query.productId)!;
  const clicks = events.filter((e) => e.type === 'product.clicked' && e.productId === query.productId && e.query === query.query).length;
  expect(qp.windows['1h'].clicks).toBe(clicks);
  expect(qp.found).toBe(true);

  // Dead letters, with the reason and field.
  const consumer = kafka.consumer({ groupId: `${namespace}.check` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topicNames(namespace).behaviourDeadLetter, topicNames(namespace).queryLog], fromBeginning: true });
  const dead: { reason: string; field?: string }[] = [];
  const logged = new Map<string, number>();
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const v = JSON.parse(message.value!.toString());
      if (topic === topicNames(namespace).behaviourDeadLetter) dead.push(v);
      else logged.set(v.normalised, (logged.get(v.normalised) ?? 0) + v.count);
    },
  });
  const submitted = events.filter((e) => e.type === 'query.submitted').length;
  await waitFor('dead letters and query log', async () => (dead.length >= 2 && [...logged.values()].reduce((a, b) => a + b, 0) >= submitted ? true : undefined));
  await consumer.disconnect();
  expect(dead.map((d) => d.reason).sort()).toEqual([expect.stringMatching(/^invalid product.clicked: \/productId/), expect.stringMatching(/^not JSON/)]);
  expect([...logged.values()].reduce((a, b) => a + b, 0)).toBe(submitted);
  expect(await metric(pipeline.metricsUrl, 'feature_pipeline_events_total', 'outcome="dead_lettered"')).toBe(2);
});

it('announces the keys it changed: a reader that follows the announcements re-reads them long before its TTL', async () => {
  const click = traffic(400, 23).find((e) => e.type === 'product.clicked')!;
  const productId = click.type === 'product.clicked' ? click.productId : '';
  const reader = new FeatureStoreReader(cassandra, { namespace, cacheTtlMs: 600_000, serveStaleMs: 600_000, deadlineMs: 5000 });
  const following = followFeatureChanges(kafka, namespace, `${namespace}.it-changes`, reader, { warn: () => undefined });
  try {
    const clicks = async () => (await reader.productFeatures([productId])).get(productId)!.windows['7d'].clicks;
    const before = await clicks(); // cached now, for ten minutes
    // One more click at a time until the cached reader shows it: the follower joins its group in the
    // background, and only announcements made after it joined reach it.
    await waitFor('the announced change in the cached reader', async () => {
      if ((await clicks()) > before) return true;
      await publish(kafka, namespace, [{ ...click, eventId: randomUUID(), occurredAt: Date.now() }]);
      return undefined;
    });
    expect(await clicks()).toBeGreaterThan(before);
    expect(await reader.metrics.changes.get()).toMatchObject({ values: expect.arrayContaining([expect.objectContaining({ labels: { kind: 'product', cached: 'true' } })]) });
  } finally {
    await following.stop();
  }
});
