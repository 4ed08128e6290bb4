/**
 * `npm run status`: what the local mesh is doing, from the services' own /healthz, /readyz and /metrics and
 * from the backends: each service's health and readiness, breaker states, the ranking model, the products
 * index's document count, Kafka consumer lag and feature freshness. Ports and backends come from the same
 * environment variables `npm start` reads. `--json` prints the data instead of the report; the exit code is
 * 0 when every service is alive and ready with every breaker closed, 1 otherwise.
 */
import { parseArgs } from 'node:util';
import { backendSettings, createKafka, createSearchClient } from '@search-mesh/backends';
import { DEADLINE_HEADER, envSegment, indexNames, SERVICES, type ServiceName } from '@search-mesh/contracts';
import { loadConfig } from '@search-mesh/service-kit';
import { request } from 'undici';
import { parsePrometheus, type Sample } from './prometheus';
import { allHealthy, breakerStates, type ConsumerLag, formatStatus, freshnessFrom, type MeshStatus, rankingModelFromMetrics, type ServiceStatus, topicLag } from './report';

const TIMEOUT_MS = 3000;

async function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string } | undefined> {
  try {
    const res = await request(url, { headers, headersTimeout: TIMEOUT_MS, bodyTimeout: TIMEOUT_MS });
    return { status: res.statusCode, text: await res.body.text() };
  } catch {
    return undefined;
  }
}

async function probeService(name: ServiceName): Promise<{ status: ServiceStatus; samples: Sample[] }> {
  const port = process.env[`SEARCH_MESH_${envSegment(name)}_PORT`] ?? String(SERVICES[name].port);
  const url = `http://127.0.0.1:${port}`;
  const [health, ready, metrics] = await Promise.all([get(`${url}/healthz`), get(`${url}/readyz`), get(`${url}/metrics`)]);
  const samples = metrics?.status === 200 ? parsePrometheus(metrics.text) : [];
  let readiness: ServiceStatus['ready'] = 'down';
  const failing: string[] = [];
  if (ready) {
    const body = JSON.parse(ready.text || '{}') as { status?: string; checks?: Array<{ name: string; ok: boolean; error?: string }> };
    readiness = body.status === 'ready' ? 'ready' : body.status === 'shutting_down' ? 'shutting_down' : 'not_ready';
    for (const c of body.checks ?? []) if (!c.ok) failing.push(`${c.name}: ${c.error ?? 'failing'}`);
  }
  return { status: { name, url, alive: health?.status === 200, ready: readiness, failing, breakers: breakerStates(samples) }, samples };
}

async function rankingModel(rankingSamples: Sample[], orchestratorUrl: string): Promise<MeshStatus['rankingModel']> {
  const fromMetrics = rankingModelFromMetrics(rankingSamples);
  if (fromMetrics) return { model: fromMetrics, source: 'ranking_model_info of the ranking service' };
  // The orchestrator's debug answer names the model that ranked a real search.
  // (A generous budget: this asks which model answers, not how fast.)
  const answer = await get(`${orchestratorUrl}/v1/search?q=tv&size=1&debug=true`, { [DEADLINE_HEADER]: String(TIMEOUT_MS - 500) });
  if (answer?.status === 200) {
    const body = JSON.parse(answer.text) as { debug?: { ranking?: { model?: { name: string; version: string } } }; degraded?: Array<{ stage: string; reason: string }> };
    const model = body.debug?.ranking?.model;
    if (model) return { model: `${model.name} ${model.version}`, source: 'the model that ranked a search for "tv"' };
    const rank = body.degraded?.find((d) => d.stage === 'rank');
    if (rank) return { missing: `the orchestrator's ranking stage fell back (${rank.reason}): Elasticsearch order` };
  }
  return { missing: 'the ranking service exposes no ranking_model_info and no search could be made' };
}

async function indexStatus(config: ReturnType<typeof loadBackends>): Promise<MeshStatus['index']> {
  const es = createSearchClient(config, { requestTimeoutMs: TIMEOUT_MS });
  const alias = indexNames(config.namespace).productsAlias;
  try {
    const [aliases, count] = await Promise.all([es.indices.getAlias({ name: alias }), es.count({ index: alias })]);
    return { alias, indices: Object.keys(aliases), count: count.count };
  } catch (err) {
    return { error: `${alias}: ${(err as Error).message.split('\n')[0]}` };
  } finally {
    await es.close();
  }
}

async function consumerLag(config: ReturnType<typeof loadBackends>): Promise<MeshStatus['consumers']> {
  const admin = createKafka(config, 'search-mesh-status').admin();
  try {
    await admin.connect();
    const { groups } = await admin.listGroups();
    const ours = groups.map((g) => g.groupId).filter((g) => g.startsWith(`${config.namespace}.`));
    if (ours.length === 0) return [];
    const described = await admin.describeGroups(ours);
    const active = described.groups.filter((g) => g.state === 'Stable' || g.state === 'PreparingRebalance' || g.state === 'CompletingRebalance');
    const out: ConsumerLag[] = [];
    for (const group of active) {
      const committed = await admin.fetchOffsets({ groupId: group.groupId });
      const topics: ConsumerLag['topics'] = [];
      for (const t of committed) topics.push({ topic: t.topic, lag: topicLag(await admin.fetchTopicOffsets(t.topic), t.partitions) });
      // A group that reads from the latest offset and commits nothing (autocomplete's per-replica groups).
      if (topics.length === 0) topics.push({ topic: '(no committed offsets)', lag: undefined });
      out.push({ group: group.groupId, state: group.state, topics });
    }
    return out.sort((a, b) => a.group.localeCompare(b.group));
  } catch (err) {
    return { error: `Kafka: ${(err as Error).message}` };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function loadBackends() {
  return loadConfig('status', backendSettings, process.env);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  const config = loadBackends();
  const names = Object.keys(SERVICES) as ServiceName[];
  const probed = await Promise.all(names.map(probeService));
  const samplesOf = (name: ServiceName) => probed[names.indexOf(name)]!.samples;
  const [model, index, consumers] = await Promise.all([
    rankingModel(samplesOf('ranking'), probed[names.indexOf('orchestrator')]!.status.url),
    indexStatus(config),
    consumerLag(config),
  ]);
  const status: MeshStatus = {
    namespace: config.namespace,
    services: probed.map((p) => p.status),
    rankingModel: model,
    index,
    consumers,
    freshness: freshnessFrom(samplesOf('ranking'), samplesOf('feature-pipeline')),
  };
  console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status));
  process.exitCode = allHealthy(status) ? 0 : 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
