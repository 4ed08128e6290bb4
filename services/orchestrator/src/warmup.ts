import { loadQueries } from '@search-mesh/catalog';
import { DEADLINE_HEADER } from '@search-mesh/contracts';
import type { ServiceApp } from '@search-mesh/service-kit';

/** Budget of one warm-up search: a cold Elasticsearch and cold peers may take well over the storefront's. */
const WARMUP_BUDGET_MS = 5000;

/**
 * Warm-up before readiness. A new replica's first searches are slow (cold JIT, empty connection pools,
 * Elasticsearch's caches not yet holding the index): after `npm start` the very first search ran past the
 * 150 ms budget and answered 503, and a rolling update would show the same to shoppers. Once the app is
 * ready, it sends itself `searches` searches for the built-in demo queries (most popular first, through the
 * whole route: validation, every peer, serialisation), one after another; `/readyz` fails its `warmup`
 * check until they are done, so no traffic arrives first. A failed warm-up search is not retried:
 * Elasticsearch being down is the `elasticsearch` check's business.
 */
export function warmUp(app: ServiceApp, searches: number): void {
  let sent = 0;
  let done = searches === 0;
  let closed = false;
  app.readiness.add('warmup', async () => {
    if (!done) throw new Error(`warming up: ${sent} of ${searches} searches sent`);
  });
  if (done) return;
  app.addHook('onClose', async () => void (closed = true));
  app.addHook('onReady', async () => {
    // After ready() has finished: inject() waits for it.
    setImmediate(() => void run());
  });
  const run = async () => {
    const started = performance.now();
    const queries = loadQueries(null)
      .sort((a, b) => b.popularity - a.popularity)
      .map((q) => q.query);
    for (; sent < searches && !closed; sent++) {
      const query = queries[sent % queries.length]!;
      await app.inject({ method: 'GET', url: `/v1/search?q=${encodeURIComponent(query)}`, headers: { [DEADLINE_HEADER]: String(WARMUP_BUDGET_MS) } }).catch(() => undefined);
    }
    done = true;
    if (!closed) app.log.info({ searches: sent, ms: Math.round(performance.now() - started) }, 'warmed up');
  };
}
