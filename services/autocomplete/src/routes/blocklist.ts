import { timingSafeEqual } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { ErrorCode, VISIBLE_TEXT_PATTERN } from '@search-mesh/contracts';
import { HttpError, type ServiceApp } from '@search-mesh/service-kit';
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

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * Admin: `GET /v1/blocklist` (what is blocked) and `PUT /v1/blocklist` `{ "phrases": [...] }` (replace it at
 * run time; the next request uses it), with `Authorization: Bearer <ADMIN_TOKEN>`; 403 while no token is set.
 */
export function blocklistRoutes(app: ServiceApp, suggester: Suggester, adminToken: string): void {
  const guard = async (request: { headers: Record<string, string | string[] | undefined> }) => {
    if (adminToken === '') throw new HttpError(403, ErrorCode.Forbidden, 'the blocklist admin endpoint is disabled (set SEARCH_MESH_AUTOCOMPLETE_ADMIN_TOKEN)');
    const header = request.headers.authorization;
    if (!tokenMatches(typeof header === 'string' ? header : undefined, adminToken)) {
      throw new HttpError(401, ErrorCode.Unauthorized, 'a valid bearer token is required', 'headers.authorization');
    }
  };
  app.get('/v1/blocklist', { preHandler: guard }, async () => ({ phrases: suggester.blocked.phrases }));
  app.put('/v1/blocklist', { preHandler: guard, schema: { body: BlocklistBody } }, async (request) => {
    const blocklist = new Blocklist((request.body as { phrases: string[] }).phrases);
    suggester.setBlocklist(blocklist);
    request.log.info({ phrases: blocklist.size }, 'blocklist replaced');
    return { phrases: blocklist.phrases };
  });
}
