import { ErrorCode, SearchQuerystring, SearchResponse } from '@search-mesh/contracts';
import { HttpError, type ServiceApp } from '@search-mesh/service-kit';
import { SearchUnavailable } from '../adapters/product-search';
import { InvalidParameter } from '../domain/errors';
import type { SearchFlow } from '../search-flow';
import { errorResponses } from './errors';

/** `GET /v1/search`: validate, run the flow, shape errors (400 naming the parameter, 503 when Elasticsearch is down). */
export function searchRoutes(app: ServiceApp, flow: SearchFlow, rateLimit: object | false): void {
  app.get(
    '/v1/search',
    {
      config: { rateLimit },
      schema: {
        summary: 'Search the products',
        description:
          'Query understanding, Elasticsearch retrieval, ranking and facets within one request budget. Stages that fell back are listed in `degraded`; only Elasticsearch being unavailable fails the search (503).',
        tags: ['search'],
        querystring: SearchQuerystring,
        response: { 200: SearchResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      try {
        return await flow.search(request.query, request);
      } catch (err) {
        if (err instanceof InvalidParameter) throw HttpError.badRequest(err.message, err.field);
        if (err instanceof SearchUnavailable) {
          request.log.warn({ reason: err.reason, cause: (err.cause as Error | undefined)?.message }, err.message);
          reply.header('retry-after', '1');
          throw new HttpError(503, ErrorCode.Unavailable, `Search is unavailable right now (${err.message}); please retry.`);
        }
        throw err;
      }
    },
  );
}
