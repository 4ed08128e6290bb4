import { Type } from '@sinclair/typebox';
import { VISIBLE_TEXT_PATTERN } from '@search-mesh/contracts';
import { bearerTokenGuard, type ServiceApp } from '@search-mesh/service-kit';
import { Blocklist, BLOCKLIST_LIMITS } from '../domain/blocklist';
import type { Suggester } from '../domain/suggester';

const BlocklistBody = Type.Object(
  {
    phrases: Type.Array(Type.String({ minLength: 1, maxLength: BLOCKLIST_LIMITS.maxPhraseLength, pattern: VISIBLE_TEXT_PATTERN }), {
      maxItems: BLOCKLIST_LIMITS.maxPhrases,
    }),
  },
  { additionalProperties: false },
);

/**
 * Admin: `GET /v1/blocklist` (what is blocked) and `PUT /v1/blocklist` `{ "phrases": [...] }` (replace it at
 * run time; the next request uses it), with `Authorization: Bearer <ADMIN_TOKEN>`; 403 while no token is set.
 */
export function blocklistRoutes(app: ServiceApp, suggester: Suggester, adminToken: string): void {
  const guard = bearerTokenGuard(adminToken, 'SEARCH_MESH_AUTOCOMPLETE_ADMIN_TOKEN');
  app.get('/v1/blocklist', { onRequest: guard }, async () => ({ phrases: suggester.blocked.phrases }));
  app.put('/v1/blocklist', { onRequest: guard, schema: { body: BlocklistBody } }, async (request) => {
    const blocklist = new Blocklist((request.body as { phrases: string[] }).phrases);
    suggester.setBlocklist(blocklist);
    request.log.info({ phrases: blocklist.size }, 'blocklist replaced');
    return { phrases: blocklist.phrases };
  });
}
