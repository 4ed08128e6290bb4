import { bearerTokenGuard, type ServiceApp } from '@search-mesh/service-kit';
import type { BlocklistSources } from '../domain/blocklist';

/**
 * `GET /v1/blocklist` with `Authorization: Bearer <ADMIN_TOKEN>` (403 while no token is set): the phrases
 * this replica blocks now and the version of the merchandisers' list among them. Read-only: the list is
 * changed in the facet service's control plane (admin API or console), the one source every replica follows.
 */
export function blocklistRoutes(app: ServiceApp, blocklist: BlocklistSources, adminToken: string): void {
  const guard = bearerTokenGuard(adminToken, 'SEARCH_MESH_AUTOCOMPLETE_ADMIN_TOKEN');
  app.get('/v1/blocklist', { onRequest: guard }, async () => ({ phrases: blocklist.current.phrases, version: blocklist.managedVersion }));
}
