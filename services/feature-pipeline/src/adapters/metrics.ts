import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '@search-mesh/service-kit';

/** Throughput, lag, freshness and health of the feature pipeline. */
export class PipelineMetrics {
  readonly events: Counter<'outcome'>;
  readonly stateWrites: Counter;
  readonly chunkDuration: Histogram;
  readonly lag: Gauge<'partition'>;
  readonly eventAge: Histogram;
  readonly failures: Counter<'stage'>;
  readonly paused: Gauge;

  constructor(registry: Registry) {
    this.events = new Counter({
      name: 'feature_pipeline_events_total',
      help: 'Behaviour events handled, by outcome (counted, duplicate: already counted before a restart or redelivery, no_features, dead_lettered)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.stateWrites = new Counter({ name: 'feature_pipeline_state_writes_total', help: 'Feature rows written to Cassandra', registers: [registry] });
    this.chunkDuration = new Histogram({
      name: 'feature_pipeline_chunk_duration_seconds',
      help: 'Time to apply one chunk (load states, fold, write, dead letters)',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.lag = new Gauge({ name: 'feature_pipeline_consumer_lag', help: 'Events not yet committed, per partition', labelNames: ['partition'], registers: [registry] });
    this.eventAge = new Histogram({
      name: 'feature_pipeline_event_age_seconds',
      help: 'From an event being produced to its features being written to Cassandra',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    this.failures = new Counter({ name: 'feature_pipeline_failures_total', help: 'Chunks that failed and were retried, by stage', labelNames: ['stage'], registers: [registry] });
    this.paused = new Gauge({ name: 'feature_pipeline_paused', help: '1 while a chunk is being retried (Cassandra or Kafka failing) and nothing more is fetched', registers: [registry] });
  }
}
