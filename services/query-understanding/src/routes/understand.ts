import { UnderstandRequest } from '@search-mesh/contracts';
import { HttpError, type ServiceApp } from '@search-mesh/service-kit';
import type { Engine } from '../engine';
import type { QuMetrics } from '../adapters/metrics';

/** C0 and C1 control characters other than tab, line feed and carriage return (which count as spaces). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

/** Input checks the schema cannot express; the plan itself is safe for any text that passes them. */
export function checkQuery(query: string): void {
  if (query.trim() === '') throw HttpError.badRequest('query must contain something besides whitespace', 'body.query');
  if (CONTROL.test(query)) throw HttpError.badRequest('query must not contain control characters', 'body.query');
  if (query.includes('\uFFFD') || /[\uD800-\uDFFF]/.test(query.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, ''))) {
    throw HttpError.badRequest('query is not valid UTF-8 / UTF-16 text', 'body.query');
  }
}

export function understandRoutes(app: ServiceApp, engine: Engine, metrics: QuMetrics): void {
  app.post('/v1/understand', { schema: { body: UnderstandRequest } }, async (request) => {
    checkQuery(request.body.query);
    const plan = await engine.understand(request.body.query, request.body.topCategories ?? 3);
    metrics.plans.inc({ intent: plan.intent.type, spelling: plan.spelling.action });
    return plan;
  });
}
