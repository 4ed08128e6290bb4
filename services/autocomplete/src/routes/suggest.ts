import { Type } from '@sinclair/typebox';
import { LRUCache } from 'lru-cache';
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

/**
 * `GET /v1/suggest?q=&size=|limit=&category=`: suggestions for what the shopper typed so far.
 *
 * Answers are cached serialized, by (q, limit, category), up to `cacheEntries` (LRU): typing traffic repeats
 * the same popular prefixes, and a hit skips the index, the highlighting and the serializer (Elasticsearch's
 * request cache does the same for its suggester). The cache is emptied whenever the suggester swaps in a new
 * index or blocklist, so an answer is never older than what the suggester would say now.
 */
export function suggestRoutes(app: ServiceApp, suggester: Suggester, metrics: AutocompleteMetrics, cacheEntries: number): void {
  const cache = cacheEntries > 0 ? new LRUCache<string, string>({ max: cacheEntries }) : undefined;
  let cachedGeneration = suggester.generation;
  const hit = metrics.answerCache.labels('hit');
  const miss = metrics.answerCache.labels('miss');
  app.get(
    '/v1/suggest',
    {
      schema: { querystring: AutocompleteQuerystring, response: { 200: AutocompleteResponse } },
      onResponse: (_request, reply, done) => {
        metrics.suggestDuration.observe(reply.elapsedTime / 1000);
        done();
      },
    },
    (request, reply) => {
      const { q, size, limit, category } = request.query as { q: string; size?: number; limit?: number; category?: string };
      const n = limit ?? size ?? SUGGEST_LIMITS.defaultSize;
      if (cache !== undefined && suggester.generation !== cachedGeneration) {
        cache.clear();
        cachedGeneration = suggester.generation;
      }
      const key = `${n}\u0000${category ?? ''}\u0000${q}`;
      let body = cache?.get(key);
      if (body === undefined) {
        body = reply.serialize({ suggestions: suggester.suggest({ q, limit: n, ...(category !== undefined ? { category } : {}) }) }) as string;
        if (cache !== undefined) {
          cache.set(key, body);
          miss.inc();
        }
      } else hit.inc();
      // Sent as serialized text: the route's typed `send` takes only the response object.
      reply.type('application/json; charset=utf-8');
      (reply as unknown as { send(payload: string): unknown }).send(body);
    },
  );
}
