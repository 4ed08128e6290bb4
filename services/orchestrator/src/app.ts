import { createSearchClient, searchReady } from '@search-mesh/backends';
import { meshClientPlugin, peerOptions } from '@search-mesh/mesh-client';
import { createServiceApp, type ServiceApp } from '@search-mesh/service-kit';
import type { Config } from './config';

/** Wires the orchestrator: service-kit, Elasticsearch, and its four peers behind mesh-client. */
export async function buildApp(config: Config): Promise<ServiceApp> {
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
  return app;
}
