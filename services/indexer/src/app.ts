import { createKafka, createSearchClient, kafkaReady, searchReady } from '@search-mesh/backends';
import { ProductsIndex } from '@search-mesh/search-index';
import { createServiceApp, runWorker, type ServiceApp } from '@search-mesh/service-kit';
import { CatalogConsumer } from './adapters/catalog-consumer';
import { IndexWriter } from './adapters/index-writer';
import { IndexerMetrics } from './adapters/metrics';
import type { Config } from './config';

/**
 * Wires the indexer: service-kit for probes and metrics, the products index, and the catalog consumer.
 * The consumer starts once the app is ready and keeps trying until Elasticsearch and Kafka answer;
 * `/readyz` is 503 until it runs.
 */
export async function buildApp(config: Config): Promise<ServiceApp> {
  const app = await createServiceApp({ name: 'indexer', config });
  const es = createSearchClient(config);
  const kafka = createKafka(config, 'indexer', app.log);
  const index = new ProductsIndex(es, config.namespace, { shards: config.indexShards, replicas: config.indexReplicas });
  const writer = new IndexWriter(es, index, { buildingTtlMs: config.buildingAliasTtlMs });
  const consumer = new CatalogConsumer(kafka, writer, new IndexerMetrics(app.metrics), app.log, {
    namespace: config.namespace,
    groupId: config.consumerGroup,
    batchMaxEvents: config.batchMaxEvents,
    batchMaxBytes: config.batchMaxBytes,
    fetchMaxBytes: config.fetchMaxBytes,
    batchMaxWaitMs: config.batchMaxWaitMs,
    partitions: config.catalogPartitions,
    concurrentPartitions: config.concurrentPartitions,
  });

  app.readiness.add('elasticsearch', () => searchReady(es));
  app.readiness.add('kafka', () => kafkaReady(kafka));
  runWorker(app, {
    name: 'consumer',
    start: async () => {
      await index.ensure();
      await consumer.start();
      app.log.info({ alias: index.alias }, 'consuming catalog events');
    },
    stop: async () => {
      await consumer.stop();
      await es.close();
    },
  });
  return app;
}
