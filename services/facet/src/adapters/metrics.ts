import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Facet service metrics: configuration changes applied and how long they took to get here. */
export class FacetMetrics {
  readonly applied: Counter<'source' | 'kind'>;
  readonly propagation: Histogram;
  readonly documents: Gauge<'kind'>;

  constructor(registry: Registry) {
    this.applied = new Counter({ name: 'facet_config_applied_total', help: 'Configuration documents applied, by source (save, kafka, resync) and kind', labelNames: ['source', 'kind'], registers: [registry] });
    this.propagation = new Histogram({
      name: 'facet_config_propagation_seconds',
      help: 'From a change being announced to this instance applying it (the 2 s target)',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
      registers: [registry],
    });
    this.documents = new Gauge({ name: 'facet_config_documents', help: 'Live configuration documents held, by kind', labelNames: ['kind'], registers: [registry] });
  }
}
