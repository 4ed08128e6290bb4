import { Type } from '@sinclair/typebox';
import { AutocompleteResponse, SUGGEST_LIMITS, SuggestQuerystring } from '@search-mesh/contracts';
import type { ServiceApp } from '@search-mesh/service-kit';
import type { AutocompleteMetrics } from '../adapters/metrics';
import type { Suggester } from '../domain/suggester';

/** The contract's query string, plus `limit` as another name of `size` (the spelling). */
export const AutocompleteQuerystring = Type.Object(
  {
    ...SuggestQuerystring.properties,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SUGGEST_LIMITS.maxSize, description: 'same as size' })),
  },
  { additionalProperties: false },
);

/** `GET /v1/suggest?q=&size=|limit=&category=`: suggestions for what the shopper typed so far. */
export function suggestRoutes(app: ServiceApp, suggester: Suggester, metrics: AutocompleteMetrics): void {
  app.get(
    '/v1/suggest',
    {
      schema: { querystring: AutocompleteQuerystring, response: { 200: AutocompleteResponse } },
      onResponse: (_request, reply, done) => {
        metrics.suggestDuration.observe(reply.elapsedTime / 1000);
        done();
      },
    },
    async (request) => {
      const { q, size, limit, category } = request.query as { q: string; size?: number; limit?: number; category?: string };
      const suggestions = suggester.suggest({ q, limit: limit ?? size ?? SUGGEST_LIMITS.defaultSize, ...(category !== undefined ? { category } : {}) });
      return { suggestions };
    },
  );
}
