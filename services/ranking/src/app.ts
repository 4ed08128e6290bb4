import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createCassandraClient, createKafka, ensureTopics } from '@search-mesh/backends';
import { topicNames } from '@search-mesh/contracts';
import { FeatureStoreReader, followFeatureChanges } from '@search-mesh/feature-store';
import { createServiceApp, type ServiceApp } from '@search-mesh/service-kit';
import { type Config, registryDirOf } from './config';
import { readBehaviour } from './adapters/behaviour';
import { FeatureLog } from './adapters/feature-log';
import { RankingMetrics } from './adapters/metrics';
import { OnnxModel, type SessionOptions } from './adapters/onnx-model';
import { ModelRegistry } from './adapters/registry';
import { coresFromCpuMax } from './domain/cpu';
import { DriftMonitor } from './domain/drift';
import { ModelLifecycle } from './domain/lifecycle';
import type { ModelManifest } from './domain/manifest';
import { adminRoutes } from './routes/admin';
import { rankRoutes } from './routes/rank';

/** The CPU limit of this container: cgroup v2 `cpu.max`, else the machine's cores. */
export function containerCores(): number {
  let cpuMax: string | undefined;
  try {
    cpuMax = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8');
  } catch {
    cpuMax = undefined;
  }
  return coresFromCpuMax(cpuMax, availableParallelism());
}

/**
 * Wires the ranking service: service-kit, the model registry and lifecycle (the committed model registered
 * and activated when the registry has no state), the feature store, the feature log, `POST /v1/rank` and
 * the admin endpoints.
 */
export async function buildApp(config: Config): Promise<ServiceApp> {
  const app = await createServiceApp({ name: 'ranking', config });
  const metrics = new RankingMetrics(app.metrics);
  const threads = config.intraOpThreads > 0 ? config.intraOpThreads : containerCores();
  metrics.threads.set(threads);
  let provider = config.executionProvider as string;
  const sessionOptions: SessionOptions = {
    executionProvider: config.executionProvider,
    intraOpThreads: threads,
    maxBatchRows: config.maxBatchRows,
    maxWaitMs: config.maxBatchWaitMs,
    onBatch: (version, rows, requests, seconds) => {
      metrics.inference.observe({ version }, seconds);
      metrics.batchRows.observe({ version }, rows);
      metrics.batchRequests.observe({ version }, requests);
    },
    warn: (message, details) => app.log.warn(details ?? {}, message),
  };
  const registry = new ModelRegistry(registryDirOf(config));
  const drift = new Map<string, DriftMonitor>();
  const lifecycle = new ModelLifecycle(
    async (version) => {
      const stored = await registry.get(version);
      const model = await OnnxModel.load(stored.bytes, stored.manifest, sessionOptions);
      provider = model.provider;
      return model;
    },
    registry,
    (state, models) => {
      metrics.modelInfo.reset();
      for (const [version, model] of models) {
        const role = version === state.active ? 'active' : version === state.canary?.version ? 'canary' : 'shadow';
        metrics.modelInfo.set({ version, role, provider: model.provider }, 1);
        if (!drift.has(version)) drift.set(version, new DriftMonitor(model.manifest, config.driftWindowRows, config.metricsSampleEvery));
      }
      for (const version of drift.keys()) if (!models.has(version)) drift.delete(version);
      app.log.info({ state }, 'serving models');
    },
  );

  // The committed model: registered (idempotent) and the start when the shared registry has no state yet.
  const builtinManifest = JSON.parse(readFileSync(join(config.modelDir, 'manifest.json'), 'utf8')) as ModelManifest;
  await registry.put({ manifest: builtinManifest, bytes: new Uint8Array(readFileSync(join(config.modelDir, builtinManifest.model))) });
  await lifecycle.start(builtinManifest.version);
  const poll = setInterval(() => {
    lifecycle.sync().catch((err: unknown) => app.log.error({ err }, 'cannot follow the shared serving state: keeping the models that serve'));
  }, config.registryPollMs);
  poll.unref();

  const collectDrift = () => {
    for (const [version, monitor] of drift) {
      const snap = monitor.snapshot();
      if (snap === undefined) continue;
      metrics.scorePsi.set({ version }, snap.score);
      for (const [feature, value] of Object.entries(snap.features)) metrics.featurePsi.set({ version, feature }, value);
    }
  };
  app.addHook('onRequest', async (request) => {
    if (request.url === '/metrics') collectDrift();
  });

  let reader: FeatureStoreReader | undefined;
  let cassandra: ReturnType<typeof createCassandraClient> | undefined;
  if (config.featureStore) {
    cassandra = createCassandraClient(config);
    reader = new FeatureStoreReader(cassandra, {
      namespace: config.namespace,
      deadlineMs: config.featureStoreDeadlineMs,
      cacheTtlMs: config.featureStoreCacheTtlMs,
      serveStaleMs: config.featureStoreServeStaleMs,
      keysPerRead: 50,
      registry: app.metrics,
    });
  }
  const kafka = config.featureLog || (reader !== undefined && config.featureChanges) ? createKafka(config, 'ranking', app.log) : undefined;
  // The feature pipeline's announcements mark exactly the keys it changed stale in the reader's cache.
  const changes = reader !== undefined && kafka !== undefined && config.featureChanges ? followFeatureChanges(kafka, config.namespace, `${config.namespace}.ranking.feature-changes`, reader, app.log) : undefined;
  let featureLog: FeatureLog | undefined;
  if (config.featureLog && kafka !== undefined) {
    const topic = topicNames(config.namespace).featureLog;
    await ensureTopics(kafka, [topic], 3).catch((err: unknown) => app.log.warn({ err, topic }, 'cannot create the feature-log topic (it may exist)'));
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect().catch((err: unknown) => app.log.warn({ err }, 'Kafka is not reachable yet: the feature log sends once it is'));
    featureLog = new FeatureLog(producer, topic, {
      maxBuffered: 10_000,
      flushMs: config.featureLogFlushMs,
      count: (outcome, n) => metrics.featureLog.inc({ outcome }, n),
      warn: (err) => app.log.warn({ err }, 'feature log: send failed (events counted as failed)'),
    });
  }

  rankRoutes(app, {
    lifecycle,
    metrics,
    drift: (version) => drift.get(version),
    behaviour: reader ? (query, ids, deadlineMs) => readBehaviour(reader!, query, ids, deadlineMs) : undefined,
    behaviourDeadlineMs: config.featureStoreDeadlineMs,
    featureLog,
    scoreSampleEvery: config.metricsSampleEvery,
  });
  adminRoutes(app, {
    lifecycle,
    registry,
    metrics,
    validate: async (bytes, manifest) => {
      const model = await OnnxModel.load(bytes, manifest, sessionOptions);
      await model.retire();
    },
    provider: () => provider,
    adminToken: config.adminToken,
    bodyLimitBytes: 64 * 1024 * 1024,
  });

  app.addHook('onClose', async () => {
    clearInterval(poll);
    await changes?.stop();
    await featureLog?.close();
    await cassandra?.shutdown();
    await lifecycle.close();
  });
  return app;
}
