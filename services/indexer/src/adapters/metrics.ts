import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from '@search-mesh/service-kit';

export type EventOutcome = 'indexed' | 'stale' | 'dead_lettered';

/** Throughput, lag and freshness of the indexer. */
export class IndexerMetrics {
  readonly events: Counter<'outcome'>;
  readonly bulkDuration: Histogram;
  readonly lag: Gauge<'partition'>;
  readonly eventAge: Histogram;
  readonly failures: Counter<'stage'>;

  constructor(registry: Registry) {
    this.events = new Counter({ name: 'indexer_events_total', help: 'Catalog events handled, by outcome', labelNames: ['outcome'], registers: [registry] });
    this.bulkDuration = new Histogram({
      name: 'indexer_batch_duration_seconds',
      help: 'Time to apply one batch (state lookup, bulk write, dead letters, commit)',
      buckets: LATENCY_BUCKETS,
      registers: [registry],
    });
    this.lag = new Gauge({
      name: 'indexer_consumer_lag',
      help: 'Catalog events not yet indexed, per partition (high watermark minus committed offset)',
      labelNames: ['partition'],
      registers: [registry],
    });
    this.eventAge = new Histogram({
      name: 'indexer_event_age_seconds',
      help: 'From an event being produced to its batch being acknowledged by Elasticsearch',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
      registers: [registry],
    });
    this.failures = new Counter({ name: 'indexer_failures_total', help: 'Batches that failed and were retried, by stage', labelNames: ['stage'], registers: [registry] });
  }
}
