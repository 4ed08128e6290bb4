import { cassandraReady, createCassandraClient, createKafka, kafkaReady } from '@search-mesh/backends';
import { ensureFeatureSchema } from '@search-mesh/feature-store';
import { createServiceApp, runWorker, type ServiceApp } from '@search-mesh/service-kit';
import { BehaviourConsumer } from './adapters/behaviour-consumer';
import { PipelineMetrics } from './adapters/metrics';
import { StateStore } from './adapters/state-store';
import type { Config } from './config';

/**
 * Wires the feature pipeline: service-kit for probes and metrics, the features keyspace, and the behaviour
 * consumer. The consumer starts once the app is ready and keeps trying until Cassandra and Kafka answer;
 * `/readyz` is 503 until it runs, and while Cassandra does not answer.
 */
export async function buildApp(config: Config): Promise<ServiceApp> {
  const app = await createServiceApp({ name: 'feature-pipeline', config });
  const cassandra = createCassandraClient(config, { reconnectDelayMs: 500 });
  const kafka = createKafka(config, 'feature-pipeline', app.log);
  const store = new StateStore(cassandra, config.namespace, config.writeConcurrency);
  const consumer = new BehaviourConsumer(kafka, store, new PipelineMetrics(app.metrics), app.log, {
    namespace: config.namespace,
    groupId: config.consumerGroup,
    chunkMaxEvents: config.chunkMaxEvents,
    fetchMaxBytes: config.fetchMaxBytes,
    maxWaitMs: config.maxWaitMs,
    partitions: config.behaviourPartitions,
    concurrentPartitions: config.concurrentPartitions,
    cachedStates: config.cachedStates,
  });

  app.readiness.add('cassandra', () => cassandraReady(cassandra));
  app.readiness.add('kafka', () => kafkaReady(kafka));
  runWorker(app, {
    name: 'consumer',
    start: async () => {
      await ensureFeatureSchema(cassandra, config.namespace, config.replicationFactor);
      await consumer.start();
    },
    stop: async () => {
      await consumer.stop();
      await cassandra.shutdown();
    },
  });
  return app;
}
