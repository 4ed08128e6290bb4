import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Buckets of the rank route's own latency: its budget is a few milliseconds, finer than the kit's request histogram. */
export const RANK_BUCKETS = [0.00025, 0.0005, 0.00075, 0.001, 0.00125, 0.0015, 0.002, 0.0025, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.025, 0.1];

/** The ranking service's metrics; every one but the route's latency is labelled with the model version it is about. */
export class RankingMetrics {
  readonly rankDuration: Histogram;
  readonly inference: Histogram<'version'>;
  readonly batchRows: Histogram<'version'>;
  readonly batchRequests: Histogram<'version'>;
  readonly candidates: Histogram<'version'>;
  readonly requests: Counter<'version' | 'role'>;
  readonly score: Histogram<'version' | 'role'>;
  readonly modelInfo: Gauge<'version' | 'role' | 'provider'>;
  readonly shadowDiff: Histogram<'version'>;
  readonly shadowOverlap: Histogram<'version'>;
  readonly featurePsi: Gauge<'version' | 'feature'>;
  readonly scorePsi: Gauge<'version'>;
  readonly featureLog: Counter<'outcome'>;
  readonly lifecycle: Counter<'action' | 'outcome'>;
  readonly threads: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.rankDuration = new Histogram({
      name: 'ranking_rank_duration_seconds',
      help: 'POST /v1/rank, request received to response sent (fastify elapsed time)',
      buckets: RANK_BUCKETS,
      registers,
    });
    this.inference = new Histogram({
      name: 'ranking_inference_duration_seconds',
      help: 'Time of one model run (a micro-batch), by model version',
      labelNames: ['version'],
      buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.01, 0.025, 0.1],
      registers,
    });
    this.batchRows = new Histogram({ name: 'ranking_batch_rows', help: 'Candidates scored per model run', labelNames: ['version'], buckets: [1, 10, 50, 100, 200, 400, 800, 1600, 3200], registers });
    this.batchRequests = new Histogram({ name: 'ranking_batch_requests', help: 'Requests per model run', labelNames: ['version'], buckets: [1, 2, 3, 4, 6, 8, 12, 16, 32], registers });
    this.candidates = new Histogram({ name: 'ranking_request_candidates', help: 'Candidates per rank request', labelNames: ['version'], buckets: [1, 10, 50, 100, 200, 500, 1000], registers });
    this.requests = new Counter({ name: 'ranking_requests_total', help: 'Rank requests scored, by model version and role (active, canary)', labelNames: ['version', 'role'], registers });
    this.score = new Histogram({
      name: 'ranking_score',
      help: 'Scores returned, by model version and role (shadow: computed, never returned)',
      labelNames: ['version', 'role'],
      buckets: [-4, -3, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3, 4],
      registers,
    });
    this.modelInfo = new Gauge({ name: 'ranking_model_info', help: 'Models loaded (1), by version, role and execution provider', labelNames: ['version', 'role', 'provider'], registers });
    this.shadowDiff = new Histogram({ name: 'ranking_shadow_score_diff', help: 'Mean |shadow − served| score per request', labelNames: ['version'], buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2], registers });
    this.shadowOverlap = new Histogram({ name: 'ranking_shadow_top10_overlap', help: 'Share of the served top 10 the shadow model also puts in its top 10', labelNames: ['version'], buckets: [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 1], registers });
    this.featurePsi = new Gauge({ name: 'ranking_feature_psi', help: 'PSI of each feature served against its training distribution', labelNames: ['version', 'feature'], registers });
    this.scorePsi = new Gauge({ name: 'ranking_score_psi', help: 'PSI of the scores served against the training scores', labelNames: ['version'], registers });
    this.featureLog = new Counter({ name: 'ranking_feature_log_total', help: 'Feature-log events, by outcome (sent, dropped, failed)', labelNames: ['outcome'], registers });
    this.lifecycle = new Counter({ name: 'ranking_model_changes_total', help: 'Model lifecycle changes, by action and outcome', labelNames: ['action', 'outcome'], registers });
    this.threads = new Gauge({ name: 'ranking_intra_op_threads', help: 'ONNX Runtime intra-op threads per session', registers });
  }
}
