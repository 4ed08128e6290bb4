import { topicNames } from '@search-mesh/contracts';
import { FeatureStoreReader } from '@search-mesh/feature-store';
import { backends, cleanUp, expectedCounts, metric, publish, startPipeline, storedCounts, testNamespace, traffic, waitFor } from './harness';

const namespace = testNamespace();
const { cassandra, kafka } = backends(namespace);
const reader = new FeatureStoreReader(cassandra, { namespace });

afterAll(async () => {
  await cleanUp(cassandra, kafka, namespace);
});

const total = (counts: Map<string, number[]>) => [...counts.values()].reduce((sum, c) => sum + c[0]! + c[1]! + c[2]! + c[3]!, 0);
// Small chunks and no state cache, so a kill lands between "states written" and "offset committed".
const env = { SEARCH_MESH_FEATURE_PIPELINE_CHUNK_MAX_EVENTS: '100', SEARCH_MESH_FEATURE_PIPELINE_CACHED_STATES: '0' };

it('counts every event once when killed mid-stream and restarted, and when a batch is redelivered', async () => {
  let pipeline = await startPipeline(namespace, env);
  const events = traffic(30_000, 5);
  expect(await publish(kafka, namespace, events)).toBe(events.length);
  const expected = expectedCounts(events);
  const ids = [...expected.keys()];

  const partial = await waitFor('counting to be under way', async () => {
    const n = total(await storedCounts(reader, ids));
    return n > 2000 ? n : undefined;
  });
  expect(await pipeline.proc.stop('SIGKILL')).toBe('SIGKILL');
  expect(partial).toBeLessThan(total(expected));

  pipeline = await startPipeline(namespace, env);
  await waitFor('every event counted after the restart', async () => (total(await storedCounts(reader, ids)) >= total(expected) ? true : undefined), 120_000);
  expect(await storedCounts(reader, ids)).toEqual(expected);
  expect(await pipeline.proc.stop('SIGTERM')).toBe(0);

  // Redelivery: rewind the group to the start of every partition; everything is read and applied again.
  const admin = kafka.admin();
  await admin.connect();
  await admin.resetOffsets({ groupId: `${namespace}.feature-pipeline`, topic: topicNames(namespace).behaviour, earliest: true });
  await admin.disconnect();
  pipeline = await startPipeline(namespace, env);
  await waitFor('the redelivered events seen as duplicates', async () => {
    const n = await metric(pipeline.metricsUrl, 'feature_pipeline_events_total', 'outcome="duplicate"');
    return n >= events.length - events.filter((e) => e.type === 'query.submitted').length ? true : undefined;
  }, 120_000);
  expect(await metric(pipeline.metricsUrl, 'feature_pipeline_events_total', 'outcome="counted"')).toBe(0);
  expect(await storedCounts(reader, ids)).toEqual(expected);
  expect(await pipeline.proc.stop('SIGTERM')).toBe(0);
}, 240_000); // three pipeline runs over 30,000 events, each wait allowing 120 s: on a loaded machine this outlasts the default 60 s
