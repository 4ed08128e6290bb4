import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { meshClientPlugin, peerOptions } from '@search-mesh/mesh-client';
import { createServiceApp, type ServiceApp } from '@search-mesh/service-kit';
import type { Config } from './config';
import { apiRoutes, ORCHESTRATOR } from './routes/api';

/** The page's files: plain HTML, JavaScript and CSS, no build step. */
export const PUBLIC_DIR = path.join(__dirname, '..', 'public');

/**
 * Wires the storefront: service-kit, the orchestrator as its one peer (mesh-client), the page's static
 * files at `/`, and `/v1/search` and `/v1/suggest` passed to the orchestrator. Same origin for page and
 * API, as behind a real storefront's gateway: no CORS on the orchestrator, which stays reachable only from
 * the storefront (the charts' NetworkPolicy).
 */
export async function buildApp(config: Config): Promise<ServiceApp> {
  const app = await createServiceApp({ name: 'storefront', config });
  // The orchestrator's error answers (its 503 while Elasticsearch is down) are passed on as they are, so they
  // do not open the breaker: it would refuse suggestions, which still work, too.
  await app.register(meshClientPlugin, { peers: [{ ...peerOptions(config, ORCHESTRATOR, config.orchestratorUrl), relaysErrorAnswers: true }] });
  // The page is a demo under development: revalidate on every load rather than serve a stale script.
  await app.register(fastifyStatic, { root: PUBLIC_DIR, cacheControl: false, setHeaders: (res) => res.setHeader('cache-control', 'no-cache') });
  apiRoutes(app);
  return app;
}
