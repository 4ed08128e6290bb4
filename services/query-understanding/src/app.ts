import { createServiceApp, type ServiceApp } from '@search-mesh/service-kit';
import { createKafka, kafkaReady } from '@search-mesh/backends';
import type { Config } from './config';
import { createEngine, type Engine } from './engine';
import { QuMetrics } from './adapters/metrics';
import { startRulesConsumer, type RulesConsumer } from './adapters/rules-consumer';
import { understandRoutes } from './routes/understand';
import { rulesRoutes } from './routes/rules';

/**
 * Wires the query-understanding service: service-kit, the engine from the committed model artifacts,
 * `POST /v1/understand`, the rules admin endpoint and, when configured, the Kafka rules consumer.
 */
export async function buildApp(config: Config, options: { engine?: Engine } = {}): Promise<ServiceApp> {
  const app = await createServiceApp({ name: 'query-understanding', config });
  const engine =
    options.engine ??
    (await createEngine({
      modelDir: config.modelDir,
      runtime: config.classifierRuntime,
      policy: { categoryBoostMin: config.categoryBoostMin, categoryFilterMin: config.categoryFilterMin, leafBoostMin: config.leafBoostMin },
    }));
  const metrics = new QuMetrics(app.metrics);
  metrics.modelInfo.set({ version: engine.classifier.version, lexicon: engine.vocabulary.version }, 1);
  metrics.rulesInUse(engine.rules.current.version, engine.rules.current.ruleCount);
  engine.rules.onChange((rules) => metrics.rulesInUse(rules.version, rules.ruleCount));

  understandRoutes(app, engine, metrics, config.planCacheEntries);
  rulesRoutes(app, engine.rules, config.adminToken, metrics);

  let consumer: RulesConsumer | undefined;
  if (config.rulesFromKafka) {
    const kafka = createKafka(config, 'query-understanding', app.log);
    consumer = await startRulesConsumer(kafka, config.namespace, engine.rules, metrics, app.log);
    let caughtUp = false;
    void consumer.caughtUp.then(() => (caughtUp = true));
    app.readiness.add('kafka', () => kafkaReady(kafka));
    app.readiness.add('rules', async () => {
      if (!caughtUp) throw new Error('still reading the rule sets published so far');
    });
  }
  app.addHook('onClose', async () => {
    await consumer?.stop();
    if (options.engine === undefined) await engine.close();
  });
  return app;
}
