import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { cassandraReady, createCassandraClient, createKafka, kafkaReady, type TopicFollower } from '@search-mesh/backends';
import { loadTaxonomy, resolveDataDir } from '@search-mesh/catalog';
import { keyspaceNames } from '@search-mesh/contracts';
import { meshClientPlugin, peerOptions } from '@search-mesh/mesh-client';
import { createServiceApp, type ServiceApp } from '@search-mesh/service-kit';
import { ChangePublisher, followChanges } from './adapters/changes';
import { FacetMetrics } from './adapters/metrics';
import { ConfigStore } from './adapters/store';
import { type Config, parseAdminTokens } from './config';
import { ConfigService } from './config-service';
import { AttributeCatalog } from './domain/attributes';
import { CategoryTree } from './domain/categories';
import { adminRoutes } from './routes/admin';
import { facetRoutes } from './routes/facets';

const RETRY_MS = 1000;

/**
 * Wires the facet service: the catalog's taxonomy (category tree, attribute candidates), the
 * configuration in Cassandra followed through Kafka, the storefront routes, the admin API and the
 * merchandiser console (`/console/`). Until the stored configuration is loaded the service is not
 * ready, and answers from the built-in facets.
 */
export async function buildApp(config: Config): Promise<ServiceApp> {
  const app = await createServiceApp({ name: 'facet', config });
  const taxonomy = loadTaxonomy(resolveDataDir());
  const attributes = new AttributeCatalog(taxonomy);
  const categories = new CategoryTree(taxonomy);

  const cassandra = createCassandraClient(config, { reconnectDelayMs: 1000 });
  const store = new ConfigStore(cassandra, keyspaceNames(config.namespace).merchandising);
  const kafka = createKafka(config, 'facet', app.log);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  const service = new ConfigService(store, new ChangePublisher(producer, config.namespace), attributes, new FacetMetrics(app.metrics), app.log);
  app.readiness.add('cassandra', () => cassandraReady(cassandra));
  app.readiness.add('kafka', () => kafkaReady(kafka));

  let follower: TopicFollower | undefined;
  let caughtUp = false;
  let closing = false;
  let timer: NodeJS.Timeout | undefined;
  // Backends may come up after the service: keep trying, never crash.
  const start = async (): Promise<void> => {
    try {
      await store.ensureSchema(config.replicationFactor);
      await producer.connect();
      await service.resync();
      await service.seedQueryRules();
      follower = await followChanges(kafka, config.namespace, service.state, app.log, (doc, occurredAt) => service.heard(doc, occurredAt));
      void follower.caughtUp.then(async () => {
        caughtUp = true;
        // A schedule may have turned while no instance ran: query understanding gets the set in force now.
        service.armSchedules();
        await service.announceQueryRules().catch((err) => app.log.warn({ err }, 'could not publish the query rules'));
      });
      if (config.resyncIntervalMs > 0) {
        const resync = () => {
          timer = setTimeout(() => {
            service
              .resync()
              .then((n) => n > 0 && app.log.warn({ applied: n }, 'resync applied changes no event had announced'))
              .catch((err) => app.log.warn({ err }, 'resync failed'))
              .finally(() => !closing && resync());
          }, config.resyncIntervalMs);
          timer.unref();
        };
        resync();
      }
    } catch (err) {
      if (closing) return;
      app.log.warn({ err }, 'configuration not loaded yet; retrying');
      await follower?.stop().catch(() => undefined);
      follower = undefined;
      timer = setTimeout(() => void start(), RETRY_MS);
    }
  };
  void start();
  app.readiness.add('configuration', async () => {
    if (!service.ready || !caughtUp) throw new Error('still loading the stored configuration and the changes announced so far');
  });
  app.addHook('onClose', async () => {
    closing = true;
    clearTimeout(timer);
    service.stop();
    await follower?.stop().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await cassandra.shutdown().catch(() => undefined);
  });

  await app.register(meshClientPlugin, { peers: [peerOptions(config, 'orchestrator', config.orchestratorUrl)] });

  facetRoutes(app, service, attributes);
  await adminRoutes(app, { config: service, store, attributes, categories, mesh: app.mesh }, {
    tokens: parseAdminTokens(config.adminTokens),
    rateLimitMax: config.adminRateLimitMax,
    rateLimitWindowMs: config.adminRateLimitWindowMs,
  });
  await app.register(fastifyStatic, { root: path.join(__dirname, 'public'), prefix: '/console/' });
  app.get('/console', async (_request, reply) => reply.redirect('/console/'));
  return app;
}
