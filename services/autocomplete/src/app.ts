import { createServiceApp, type ServiceApp } from '@search-mesh/service-kit';
import { createKafka, kafkaReady } from '@search-mesh/backends';
import type { Config } from './config';
import { loadSources } from './adapters/catalog-source';
import { AutocompleteMetrics } from './adapters/metrics';
import { startQueryLogConsumer, type QueryLogConsumer } from './adapters/query-log-consumer';
import { Blocklist } from './domain/blocklist';
import { Suggester } from './domain/suggester';
import { blocklistRoutes } from './routes/blocklist';
import { suggestRoutes } from './routes/suggest';

/**
 * Wires the autocomplete service: service-kit, the suggester built from the catalog and the TRAIN queries,
 * `GET /v1/suggest`, the blocklist admin endpoint and, when configured, the query-log consumer with a
 * periodic rebuild that swaps a new index in when the log brought changes.
 */
export async function buildApp(config: Config, options: { suggester?: Suggester } = {}): Promise<ServiceApp> {
  // Built before the app: the build holds the event loop for seconds, which load shedding must not count.
  const suggester =
    options.suggester ?? new Suggester(loadSources({ seed: config.catalogSeed, size: config.catalogSize, liveWeight: config.liveWeight }));
  const app = await createServiceApp({ name: 'autocomplete', config });
  if (config.blocklist !== '') suggester.setBlocklist(new Blocklist(config.blocklist.split('|')));
  app.log.info({ entries: suggester.current.size, words: suggester.current.vocabulary.length }, 'suggestion index built');

  const metrics = new AutocompleteMetrics(app.metrics);
  metrics.indexEntries.set(suggester.current.size);
  suggestRoutes(app, suggester, metrics);
  blocklistRoutes(app, suggester, config.adminToken);

  let consumer: QueryLogConsumer | undefined;
  let timer: NodeJS.Timeout | undefined;
  if (config.queryLogFromKafka) {
    const kafka = createKafka(config, 'autocomplete', app.log);
    consumer = await startQueryLogConsumer(kafka, config.namespace, (batch) => suggester.observe(batch), app.log, metrics);
    app.readiness.add('kafka', () => kafkaReady(kafka));
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
  });
  return app;
}
