import { createKafka, createSearchClient, kafkaReady, searchReady } from '@search-mesh/backends';
import { ProductsIndex } from '@search-mesh/search-index';
import { createServiceApp, type ServiceApp } from '@search-mesh/service-kit';
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

  let consuming = false;
  let closing = false;
  const startConsumer = async () => {
    for (let attempt = 0; !closing; attempt++) {
      try {
        await index.ensure();
        await consumer.start();
        consuming = true;
        app.log.info({ alias: index.alias }, 'consuming catalog events');
        return;
      } catch (err) {
        app.log.warn({ err, attempt }, 'cannot start consuming yet, retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
  };

  app.readiness.add('elasticsearch', () => searchReady(es));
  app.readiness.add('kafka', () => kafkaReady(kafka));
  app.readiness.add('consumer', async () => {
    if (!consuming) throw new Error('not consuming yet');
  });
  app.addHook('onReady', async () => {
    void startConsumer();
  });
  app.addHook('onClose', async () => {
    closing = true;
    await consumer.stop();
    await es.close();
  });
  return app;
}
