import { type Sample, samplesOf } from './prometheus';

/** What `npm run status` found out about one service: its probes and what its metrics say. */
export interface ServiceStatus {
  name: string;
  url: string;
  /** `/healthz` answered. */
  alive: boolean;
  /** `/readyz`: `ready`, `not_ready` (with the failing checks), `shutting_down`, or `down` (no answer). */
  ready: 'ready' | 'not_ready' | 'shutting_down' | 'down';
  failing: string[];
  breakers: Array<{ peer: string; state: BreakerStateName }>;
}

export type BreakerStateName = 'closed' | 'half-open' | 'open';

export interface ConsumerLag {
  group: string;
  state: string;
  /** Events not yet committed, per topic; undefined when the group has committed nothing there yet. */
  topics: Array<{ topic: string; lag: number | undefined }>;
}

export interface MeshStatus {
  namespace: string;
  services: ServiceStatus[];
  /** `name version` of the model the ranking service serves, and where that was read. */
  rankingModel: { model: string; source: string } | { missing: string };
  index: { alias: string; indices: string[]; count: number } | { error: string };
  consumers: ConsumerLag[] | { error: string };
  freshness: Freshness;
}

export interface Freshness {
  /** The ranking service's feature-store reader: age of the newest event behind the features it last read. */
  featureStoreSeconds?: number;
  /** The feature pipeline: events written to Cassandra since it started, and their mean age when written. */
  pipelineEvents?: number;
  pipelineMeanAgeSeconds?: number;
}

/** mesh-client's `mesh_peer_breaker_state{peer}` gauge (0 closed, 1 half-open, 2 open). */
export function breakerStates(samples: readonly Sample[]): ServiceStatus['breakers'] {
  const names: BreakerStateName[] = ['closed', 'half-open', 'open'];
  return samplesOf(samples, 'mesh_peer_breaker_state')
    .filter((s) => s.labels.peer !== undefined)
    .map((s) => ({ peer: s.labels.peer!, state: names[s.value] ?? 'open' }));
}

/** The ranking service's `ranking_model_info{name?,version}` (value 1 for the model being served). */
export function rankingModelFromMetrics(samples: readonly Sample[]): string | undefined {
  const info = samplesOf(samples, 'ranking_model_info').find((s) => s.value === 1) ?? samplesOf(samples, 'ranking_model_info')[0];
  if (!info) return undefined;
  const { name, model, version } = info.labels;
  return [name ?? model, version].filter(Boolean).join(' ') || undefined;
}

/** Freshness from the ranking service's and the feature pipeline's metrics (either may be missing). */
export function freshnessFrom(ranking: readonly Sample[], pipeline: readonly Sample[]): Freshness {
  const out: Freshness = {};
  const store = samplesOf(ranking, 'feature_store_freshness_seconds')[0];
  if (store) out.featureStoreSeconds = store.value;
  const count = samplesOf(pipeline, 'feature_pipeline_event_age_seconds_count')[0];
  const sum = samplesOf(pipeline, 'feature_pipeline_event_age_seconds_sum')[0];
  if (count) {
    out.pipelineEvents = count.value;
    if (sum && count.value > 0) out.pipelineMeanAgeSeconds = sum.value / count.value;
  }
  return out;
}

/** Lag of one group on one topic: per partition, the newest offset minus the committed one. */
export function topicLag(partitions: ReadonlyArray<{ partition: number; high: string; low: string }>, committed: ReadonlyArray<{ partition: number; offset: string }>): number | undefined {
  const byPartition = new Map(committed.map((c) => [c.partition, Number(c.offset)]));
  if (![...byPartition.values()].some((o) => o >= 0)) return undefined;
  let lag = 0;
  for (const p of partitions) {
    const at = byPartition.get(p.partition) ?? -1;
    // Nothing committed on a partition yet: all it holds is still to be read.
    lag += Math.max(0, Number(p.high) - (at >= 0 ? at : Number(p.low)));
  }
  return lag;
}

/** Everything up: every service alive and ready, and no breaker open. */
export function allHealthy(status: MeshStatus): boolean {
  return status.services.every((s) => s.alive && s.ready === 'ready' && s.breakers.every((b) => b.state === 'closed'));
}

const seconds = (s: number) => (s < 1 ? `${Math.round(s * 1000)} ms` : `${s.toFixed(1)} s`);

/** The report as plain text lines, one block per topic. */
export function formatStatus(status: MeshStatus): string {
  const lines: string[] = [`search-mesh status (namespace ${status.namespace})`, '', 'services'];
  const width = Math.max(...status.services.map((s) => s.name.length));
  for (const s of status.services) {
    const health = !s.alive ? 'DOWN' : s.ready === 'ready' ? 'ready' : s.ready === 'not_ready' ? `NOT READY (${s.failing.join('; ')})` : s.ready.toUpperCase();
    const breakers = s.breakers.length === 0 ? '' : `  breakers: ${s.breakers.map((b) => `${b.peer} ${b.state === 'closed' ? 'closed' : b.state.toUpperCase()}`).join(', ')}`;
    lines.push(`  ${s.name.padEnd(width)}  ${s.url}  ${health}${breakers}`);
  }
  lines.push('', 'ranking model');
  lines.push('model' in status.rankingModel ? `  ${status.rankingModel.model} (${status.rankingModel.source})` : `  unknown: ${status.rankingModel.missing}`);
  lines.push('', 'index');
  lines.push('error' in status.index ? `  ${status.index.error}` : `  ${status.index.alias} → ${status.index.indices.join(', ') || '(no index)'}: ${status.index.count.toLocaleString('en-US')} documents`);
  lines.push('', 'Kafka consumer lag (groups with members)');
  if ('error' in status.consumers) lines.push(`  ${status.consumers.error}`);
  else if (status.consumers.length === 0) lines.push('  no active consumer group');
  else for (const c of status.consumers) for (const t of c.topics) lines.push(`  ${c.group}  ${t.topic}  ${t.lag === undefined ? 'nothing committed yet' : `${t.lag.toLocaleString('en-US')} behind`}`);
  lines.push('', 'feature freshness');
  const f = status.freshness;
  if (f.featureStoreSeconds !== undefined) lines.push(`  newest event behind the features ranking last read: ${seconds(f.featureStoreSeconds)} old`);
  else lines.push('  ranking reads no features yet (no feature_store_freshness_seconds)');
  if (f.pipelineEvents !== undefined) {
    lines.push(`  feature pipeline: ${f.pipelineEvents.toLocaleString('en-US')} events written to Cassandra since it started${f.pipelineMeanAgeSeconds !== undefined ? `, ${seconds(f.pipelineMeanAgeSeconds)} from produced to written on average` : ''}`);
  } else lines.push('  feature pipeline: no metrics');
  return lines.join('\n');
}
