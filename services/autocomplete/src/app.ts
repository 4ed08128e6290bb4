import { createServiceApp, type ServiceApp } from '@search-mesh/service-kit';
import { createKafka, kafkaReady, type TopicFollower } from '@search-mesh/backends';
import type { Config } from './config';
import { startBlocklistConsumer } from './adapters/blocklist-consumer';
import { loadSources } from './adapters/catalog-source';
import { AutocompleteMetrics } from './adapters/metrics';
import { startQueryLogConsumer, type QueryLogConsumer } from './adapters/query-log-consumer';
import { BlocklistSources } from './domain/blocklist';
import { Suggester } from './domain/suggester';
import { blocklistRoutes } from './routes/blocklist';
import { suggestRoutes } from './routes/suggest';

/**
 * Wires the autocomplete service: service-kit, the suggester built from the catalog and the TRAIN queries,
 * `GET /v1/suggest`, the blocklist (followed from the config-changes topic, readable on `GET /v1/blocklist`)
 * and, when configured, the query-log consumer with a periodic rebuild that swaps a new index in when the
 * log brought changes.
 */
export async function buildApp(config: Config, options: { suggester?: Suggester } = {}): Promise<ServiceApp> {
  // Built before the app: the build holds the event loop for seconds, which load shedding must not count.
  const suggester =
    options.suggester ?? new Suggester(loadSources({ seed: config.catalogSeed, size: config.catalogSize, liveWeight: config.liveWeight }));
  const app = await createServiceApp({ name: 'autocomplete', config });
  app.log.info({ entries: suggester.current.size, words: suggester.current.vocabulary.length }, 'suggestion index built');

  const metrics = new AutocompleteMetrics(app.metrics);
  metrics.indexEntries.set(suggester.current.size);
  const blocklist = new BlocklistSources(config.blocklist === '' ? [] : config.blocklist.split('|'));
  const useBlocklist = () => {
    suggester.setBlocklist(blocklist.current);
    metrics.blocklistTerms.set(blocklist.current.size);
    metrics.blocklistVersion.set(blocklist.managedVersion);
  };
  useBlocklist();
  suggestRoutes(app, suggester, metrics, config.answerCacheEntries);
  blocklistRoutes(app, blocklist, config.adminToken);

  const kafka = config.queryLogFromKafka || config.blocklistFromKafka ? createKafka(config, 'autocomplete', app.log) : undefined;
  if (kafka !== undefined) app.readiness.add('kafka', () => kafkaReady(kafka));

  let follower: TopicFollower | undefined;
  if (kafka !== undefined && config.blocklistFromKafka) {
    follower = await startBlocklistConsumer(
      kafka,
      config.namespace,
      (version, terms) => {
        if (!blocklist.applyManaged(version, terms)) return false;
        useBlocklist();
        return true;
      },
      metrics,
      app.log,
    );
    let caughtUp = false;
    void follower.caughtUp.then(() => (caughtUp = true));
    // Not ready before the blocklist announced so far is in force: a new replica never suggests a blocked term.
    app.readiness.add('blocklist', async () => {
      if (!caughtUp) throw new Error('still reading the blocklist announced so far');
    });
  }

  let consumer: QueryLogConsumer | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (kafka !== undefined && config.queryLogFromKafka) {
    consumer = await startQueryLogConsumer(kafka, config.namespace, (batch) => suggester.observe(batch), app.log, metrics);
    let rebuilding = false;
    timer = setInterval(() => {
      if (rebuilding || suggester.pendingObservations === 0) return;
      rebuilding = true;
      const started = performance.now();
      suggester
        .rebuildInSlices(config.rebuildSliceMs)
        .then(({ value: index, slices, longestSliceMs }) => {
          metrics.rebuilds.inc();
          metrics.indexEntries.set(index.size);
          metrics.rebuildLongestSlice.observe(longestSliceMs / 1000);
          app.log.info({ entries: index.size, ms: Math.round(performance.now() - started), slices, longestSliceMs: Math.round(longestSliceMs * 10) / 10 }, 'suggestion index rebuilt from the query log');
        })
        .catch((err: unknown) => app.log.error({ err }, 'suggestion index rebuild failed; the previous index keeps serving'))
        .finally(() => (rebuilding = false));
    }, config.rebuildIntervalMs);
    timer.unref();
  }
  app.addHook('onClose', async () => {
    if (timer !== undefined) clearInterval(timer);
    await consumer?.stop();
    await follower?.stop();
  });
  return app;
}
