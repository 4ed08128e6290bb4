import { timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '@search-mesh/contracts';
import { HttpError } from './http-error';

/**
 * A `preHandler` for admin routes: `Authorization: Bearer <token>` compared in constant time; 403 while no
 * token is configured (the endpoint is off), 401 naming `headers.authorization` for a missing or wrong one.
 */
export function bearerTokenGuard(token: string, settingName: string) {
  const wanted = Buffer.from(token);
  return async (request: { headers: Record<string, string | string[] | undefined> }): Promise<void> => {
    if (token === '') throw new HttpError(403, ErrorCode.Forbidden, `this admin endpoint is disabled (set ${settingName})`);
    const header = request.headers.authorization;
    const given = Buffer.from(typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      throw new HttpError(401, ErrorCode.Unauthorized, 'a valid bearer token is required', 'headers.authorization');
    }
  };
}
