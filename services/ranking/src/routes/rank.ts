import { ErrorCode, FEATURE_LOG_SCHEMA, packValues, RankRequest, RankResponse, type RankedCandidate } from '@search-mesh/contracts';
import { normaliseQuery } from '@search-mesh/catalog';
import { HttpError, type ServiceApp } from '@search-mesh/service-kit';
import type { FeatureLog } from '../adapters/feature-log';
import type { RankingMetrics } from '../adapters/metrics';
import { featureReadBudgetMs } from '../domain/budget';
import { type DriftMonitor, RotatingSample } from '../domain/drift';
import { type CandidateBehaviour, checkRequest, FEATURE_COUNT, FEATURE_NAMES, FeatureError, featureMatrix, type RequestForm } from '../domain/features';
import type { ModelLifecycle, ServingModel } from '../domain/lifecycle';
import { orderByScore, topOverlap } from '../domain/order';

export interface RankDeps {
  lifecycle: ModelLifecycle;
  metrics: RankingMetrics;
  drift: (version: string) => DriftMonitor | undefined;
  /** Behaviour features of the candidates; defaults for what is not read within `deadlineMs`. */
  behaviour: ((normalisedQuery: string, ids: readonly string[], deadlineMs: number) => Promise<Map<string, CandidateBehaviour>>) | undefined;
  /** `FEATURE_STORE_DEADLINE_MS`: the longest a request's feature read may take (less when its caller has less left). */
  behaviourDeadlineMs: number;
  featureLog: FeatureLog | undefined;
  /** Every k-th candidate's score goes into the score histogram (per-candidate work on the request path). */
  scoreSampleEvery?: number;
  /** Uniform in [0, 1): which requests the canary takes. */
  draw?: () => number;
}

function rowOf(matrix: Float32Array, i: number): Record<string, number> {
  const features: Record<string, number> = {};
  FEATURE_NAMES.forEach((name, k) => (features[name] = matrix[i * FEATURE_COUNT + k]!));
  return features;
}

/**
 * `POST /v1/rank`: features (request, derived, feature store) → the serving model (active, canary share, or
 * the version the request pins) → candidates best first. The shadow model scores the same rows after the
 * answer is decided; its scores reach metrics and the log, never the response.
 */
export function rankRoutes(app: ServiceApp, deps: RankDeps): void {
  const draw = deps.draw ?? Math.random;
  const sampleEvery = deps.scoreSampleEvery ?? 1;
  // Its own scope, for its own JSON parser: a rank body is tens of KB of numbers, parsed by JSON.parse
  // alone, without secure-json-parse's two whole-body scans for "__proto__" and "constructor" (a tenth of
  // the parse). Nothing merges the body into another object, and the schema drops unknown properties.
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch (err) {
        done(HttpError.badRequest(`body is not valid JSON: ${(err as Error).message}`, 'body'), undefined);
      }
    });
    rankRoute(scope, deps, draw, sampleEvery);
  });
}

function rankRoute(app: ServiceApp, deps: RankDeps, draw: () => number, sampleEvery: number): void {
  const scoreSample = new RotatingSample(sampleEvery);
  app.post(
    '/v1/rank',
    {
      schema: { body: RankRequest, response: { 200: RankResponse } },
      onResponse: (_request, reply, done) => {
        deps.metrics.rankDuration.observe(reply.elapsedTime / 1000);
        done();
      },
    },
    async (request, reply) => {
      const body = request.body;
      let form: RequestForm;
      try {
        form = checkRequest(body);
      } catch (err) {
        if (err instanceof FeatureError) throw HttpError.badRequest(err.message, err.field);
        throw err;
      }
      let pinned: ServingModel | undefined;
      if (body.modelVersion !== undefined) {
        pinned = deps.lifecycle.loaded(body.modelVersion);
        if (pinned === undefined) throw new HttpError(404, ErrorCode.NotFound, `model version "${body.modelVersion}" is not serving (active, canary or shadow)`, 'body.modelVersion');
      }
      const n = body.candidates.length;
      const ids = body.candidates.map((c) => c.id);
      const behaviour = deps.behaviour && n > 0 ? await deps.behaviour(normaliseQuery(body.query), ids, featureReadBudgetMs(request.deadline.remaining(), deps.behaviourDeadlineMs)) : undefined;
      const matrix = featureMatrix(body, (id) => behaviour?.get(id), form);
      // No await between picking the model and starting to score on it: a swap cannot release it in between.
      const { model, role } = pinned ? { model: pinned, role: 'pinned' } : deps.lifecycle.pick(draw());
      const scores = n > 0 ? await model.score(matrix, n) : new Float32Array(0);
      const order = orderByScore(scores);
      const ranked: RankedCandidate[] = order.map((i) => (body.explain ? { id: ids[i]!, score: scores[i]!, features: rowOf(matrix, i) } : { id: ids[i]!, score: scores[i]! }));

      // Bookkeeping (metrics, drift, the feature log, the shadow model) runs after the answer is written: it
      // needs the scores, not the shopper's wait.
      setImmediate(() => {
        deps.metrics.requests.inc({ version: model.version, role });
        deps.metrics.candidates.observe({ version: model.version }, n);
        const scoreHistogram = deps.metrics.score.labels({ version: model.version, role });
        for (let i = scoreSample.start(); i < n; i += scoreSample.every) scoreHistogram.observe(scores[i]!);
        deps.drift(model.version)?.observe(matrix, scores);
        deps.featureLog?.push({
          schema: FEATURE_LOG_SCHEMA,
          type: 'ranking.scored',
          requestId: String(request.id),
          query: body.query,
          modelVersion: model.version,
          featureNames: [...FEATURE_NAMES],
          candidates: ids.map((id, i) => ({ id, score: scores[i]! })),
          packedValues: packValues(matrix),
          scoredAt: new Date().toISOString(),
        });
        const shadow = deps.lifecycle.shadow;
        if (shadow !== undefined && shadow !== model && n > 0) {
          void shadow.score(matrix, n).then(
            (shadowScores) => {
              let diff = 0;
              for (let i = 0; i < n; i++) diff += Math.abs(shadowScores[i]! - scores[i]!);
              const overlap = topOverlap(order, orderByScore(shadowScores), 10);
              deps.metrics.shadowDiff.observe({ version: shadow.version }, diff / n);
              deps.metrics.shadowOverlap.observe({ version: shadow.version }, overlap);
              const shadowHistogram = deps.metrics.score.labels({ version: shadow.version, role: 'shadow' });
              for (const s of shadowScores) shadowHistogram.observe(s);
              request.log.info({ shadow: shadow.version, served: model.version, meanAbsDiff: diff / n, top10Overlap: overlap, shadowScores: Array.from(shadowScores) }, 'shadow scores');
            },
            (err: unknown) => request.log.warn({ err, shadow: shadow.version }, 'shadow scoring failed'),
          );
        }
      });
      reply.header('x-model-version', model.version);
      return { model: { name: model.manifest.name, version: model.version }, ranked };
    },
  );
}
