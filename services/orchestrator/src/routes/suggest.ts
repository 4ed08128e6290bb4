import { Deadline, SuggestQuerystring, SuggestResponse } from '@search-mesh/contracts';
import type { ServiceApp } from '@search-mesh/service-kit';
import { degradedStage, type Peers } from '../adapters/peers';
import { errorResponses } from './errors';

/** `GET /v1/suggest`: the autocomplete service's suggestions, or none (and `degraded`) when it cannot answer in time. */
export function suggestRoutes(app: ServiceApp, peers: Peers, rateLimit: object | false, marginShare: number): void {
  app.get(
    '/v1/suggest',
    {
      config: { rateLimit },
      schema: {
        summary: 'Suggestions as the shopper types',
        tags: ['search'],
        querystring: SuggestQuerystring,
        response: { 200: SuggestResponse, ...errorResponses },
      },
    },
    async (request) => {
      const remaining = request.deadline.remaining();
      const deadline = Deadline.after(remaining - marginShare * remaining);
      const outcome = await peers.suggest(request.query, { id: request.id, span: request.span, deadline });
      return {
        query: request.query.q,
        suggestions: outcome.value.suggestions,
        degraded: outcome.degraded ? [degradedStage('suggest', outcome, 'no suggestions')] : [],
      };
    },
  );
}
