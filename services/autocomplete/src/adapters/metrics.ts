import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/**
 * Autocomplete metrics. The suggest latency has buckets of its own (25 µs to 10 ms), finer than the kit's
 * request histogram, because this route's budget is counted in fractions of a millisecond.
 */
export const SUGGEST_BUCKETS = [0.000025, 0.00005, 0.0001, 0.00015, 0.0002, 0.0003, 0.0005, 0.00075, 0.001, 0.0015, 0.002, 0.003, 0.005, 0.01];

export class AutocompleteMetrics {
  readonly suggestDuration: Histogram;
  readonly indexEntries: Gauge;
  readonly rebuilds: Counter;
  readonly rebuildLongestSlice: Histogram;
  readonly queryLogEvents: Counter<'outcome'>;
  readonly blocklistUpdates: Counter<'outcome'>;
  readonly blocklistTerms: Gauge;
  readonly blocklistVersion: Gauge;
  readonly answerCache: Counter<'result'>;

  constructor(registry: Registry) {
    this.suggestDuration = new Histogram({
      name: 'autocomplete_suggest_duration_seconds',
      help: 'GET /v1/suggest, request received to response sent (fastify elapsed time)',
      buckets: SUGGEST_BUCKETS,
      registers: [registry],
    });
    this.indexEntries = new Gauge({ name: 'autocomplete_index_entries', help: 'Suggestions in the live index', registers: [registry] });
    this.rebuilds = new Counter({ name: 'autocomplete_index_rebuilds_total', help: 'Index rebuilds swapped in', registers: [registry] });
    this.rebuildLongestSlice = new Histogram({
      name: 'autocomplete_rebuild_longest_slice_seconds',
      help: 'Per rebuild, the longest time it held the event loop in one go',
      buckets: SUGGEST_BUCKETS,
      registers: [registry],
    });
    this.queryLogEvents = new Counter({ name: 'autocomplete_query_log_events_total', help: 'Query-log events read, by outcome', labelNames: ['outcome'], registers: [registry] });
    this.blocklistUpdates = new Counter({
      name: 'autocomplete_blocklist_updates_total',
      help: 'Blocklist announcements read from config-changes: applied, stale (not newer than the one held) or rejected',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.blocklistTerms = new Gauge({ name: 'autocomplete_blocklist_terms', help: 'Phrases blocked now (fixed and managed)', registers: [registry] });
    this.answerCache = new Counter({ name: 'autocomplete_answer_cache_total', help: 'Suggest answers from the answer cache (hit) or computed (miss)', labelNames: ['result'], registers: [registry] });
    this.blocklistVersion = new Gauge({ name: 'autocomplete_blocklist_version', help: 'Version of the merchandisers\' blocklist in force (0: none)', registers: [registry] });
  }
}
