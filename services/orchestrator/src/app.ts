import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { createSearchClient, searchReady } from '@search-mesh/backends';
import { ErrorCode, indexNames } from '@search-mesh/contracts';
import { meshClientPlugin, peerOptions } from '@search-mesh/mesh-client';
import { ConfigError, createServiceApp, HttpError, type ServiceApp } from '@search-mesh/service-kit';
import { Peers } from './adapters/peers';
import { ProductSearch } from './adapters/product-search';
import { budgetShares, type Config } from './config';
import { validateShares } from './domain/budget';
import { searchRoutes } from './routes/search';
import { suggestRoutes } from './routes/suggest';
import { SearchFlow } from './search-flow';
import { warmUp } from './warmup';

/**
 * Wires the orchestrator: service-kit, Elasticsearch (the products alias), its four peers behind
 * mesh-client, per-client rate limits, the OpenAPI document (`/openapi.json`, UI at `/docs`), the
 * storefront routes `GET /v1/search` and `GET /v1/suggest`, and the warm-up searches before readiness.
 */
export async function buildApp(config: Config): Promise<ServiceApp> {
  const shares = budgetShares(config);
  const problems = validateShares(shares);
  if (problems.length > 0) throw new ConfigError(problems.map((p) => `SEARCH_MESH_ORCHESTRATOR_BUDGET_*: ${p}`));

  const app = await createServiceApp({ name: 'orchestrator', config });

  const search = createSearchClient(config);
  app.readiness.add('elasticsearch', () => searchReady(search));
  app.addHook('onClose', async () => search.close());

  await app.register(meshClientPlugin, {
    peers: [
      peerOptions(config, 'query-understanding', config.queryUnderstandingUrl),
      peerOptions(config, 'autocomplete', config.autocompleteUrl),
      peerOptions(config, 'facet', config.facetUrl),
      peerOptions(config, 'ranking', config.rankingUrl),
    ],
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'search-mesh orchestrator', version: '1.0.0', description: "The storefront's search API. Every 4xx/5xx has the body `{ error: { code, message, field? } }`." },
      tags: [{ name: 'search', description: 'storefront search and suggestions' }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(rateLimit, { global: false });
  const header = config.rateLimitClientHeader;
  const limit =
    config.rateLimitMax === 0
      ? false
      : {
          max: config.rateLimitMax,
          timeWindow: config.rateLimitWindowMs,
          keyGenerator: (request: { headers: Record<string, string | string[] | undefined>; ip: string }) => {
            const client = header === '' ? undefined : request.headers[header];
            return typeof client === 'string' && client.length > 0 && client.length <= 128 ? `client:${client}` : `ip:${request.ip}`;
          },
          errorResponseBuilder: (_request: unknown, context: { max: number; after: string }) =>
            new HttpError(429, ErrorCode.TooManyRequests, `more than ${context.max} requests in ${config.rateLimitWindowMs} ms from this client; retry in ${context.after}`),
        };

  const peers = new Peers(app.mesh);
  const flow = new SearchFlow(new ProductSearch(search, indexNames(config.namespace).productsAlias), peers, { rerankWindow: config.rerankWindow, shares });
  searchRoutes(app, flow, limit);
  suggestRoutes(app, peers, limit, shares.margin);
  warmUp(app, config.warmupSearches);
  return app;
}
