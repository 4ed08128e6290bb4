import type { PeerError } from '@search-mesh/mesh-client';
import { HttpError, type ServiceApp } from '@search-mesh/service-kit';
import { forwardFailure } from '../domain/forward';

export const ORCHESTRATOR = 'orchestrator';

/**
 * `GET /v1/search` and `GET /v1/suggest`: the page's only API, passed to the orchestrator's public API
 * unchanged (same path and query string, which the orchestrator validates) through mesh-client, so the call
 * carries the request id and the page's deadline and goes through the breaker. Nothing else is reachable.
 */
export function apiRoutes(app: ServiceApp): void {
  for (const path of ['/v1/search', '/v1/suggest']) {
    app.get(path, { schema: { hide: true } }, async (request, reply) => {
      try {
        const answer = await app.mesh.peer(ORCHESTRATOR).call<unknown>({ method: 'GET', path: request.url, context: request });
        reply.header('cache-control', 'no-store');
        return answer.body;
      } catch (err) {
        const error = err as PeerError;
        const forwarded = forwardFailure(error.code, error.statusCode, error.body);
        if (forwarded.kind === 'upstream') return reply.code(forwarded.status).send(forwarded.body);
        request.log.warn({ reason: error.code, err: error.message }, 'orchestrator did not answer');
        reply.header('retry-after', '1');
        throw new HttpError(forwarded.status, forwarded.code, forwarded.message);
      }
    });
  }
}
