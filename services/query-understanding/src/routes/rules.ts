import { QueryRuleSet } from '@search-mesh/contracts';
import { bearerTokenGuard, HttpError, type ServiceApp } from '@search-mesh/service-kit';
import type { QuMetrics } from '../adapters/metrics';
import { RuleCompileError } from '../domain/rules';
import type { RuleStore } from '../domain/rule-store';

/**
 * Admin: `POST /v1/rules` replaces the whole rule set at run time (the merchandising service, or an
 * operator, with `Authorization: Bearer <ADMIN_TOKEN>`); `GET /v1/rules` tells which set is live.
 */
export function rulesRoutes(app: ServiceApp, rules: RuleStore, adminToken: string, metrics: QuMetrics): void {
  const guard = bearerTokenGuard(adminToken, 'SEARCH_MESH_QUERY_UNDERSTANDING_ADMIN_TOKEN');
  app.get('/v1/rules', { onRequest: guard }, async () => ({ version: rules.current.version, rules: rules.current.ruleCount }));
  app.post('/v1/rules', { onRequest: guard, schema: { body: QueryRuleSet } }, async (request) => {
    try {
      const compiled = rules.replace(request.body);
      metrics.ruleReloads.inc({ source: 'http', outcome: 'applied' });
      request.log.info({ version: compiled.version, rules: compiled.ruleCount }, 'rule set replaced');
      return { version: compiled.version, rules: compiled.ruleCount };
    } catch (err) {
      metrics.ruleReloads.inc({ source: 'http', outcome: 'rejected' });
      if (err instanceof RuleCompileError) throw HttpError.badRequest(err.message, `body.${err.path}`);
      throw err;
    }
  });
}
