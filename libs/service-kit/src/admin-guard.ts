import { timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '@search-mesh/contracts';
import { HttpError } from './http-error';

type Headers = { headers: Record<string, string | string[] | undefined> };

function bearer(request: Headers): Buffer {
  const header = request.headers.authorization;
  return Buffer.from(typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '');
}

/** Constant time for tokens of the same length. */
function same(given: Buffer, wanted: Buffer): boolean {
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

const unauthorized = () => new HttpError(401, ErrorCode.Unauthorized, 'a valid bearer token is required', 'headers.authorization');

/**
 * An `onRequest` hook for admin routes (before the body is read or validated, so a caller without the
 * token learns nothing and costs no parsing): `Authorization: Bearer <token>` compared in constant time; 403 while no
 * token is configured (the endpoint is off), 401 naming `headers.authorization` for a missing or wrong one.
 */
export function bearerTokenGuard(token: string, settingName: string) {
  const wanted = Buffer.from(token);
  return async (request: Headers): Promise<void> => {
    if (token === '') throw new HttpError(403, ErrorCode.Forbidden, `this admin endpoint is disabled (set ${settingName})`);
    if (!same(bearer(request), wanted)) throw unauthorized();
  };
}

/**
 * Role-based access for admin APIs: `tokens` maps each bearer token to who holds it and their role.
 * `operatorOf` answers the caller (401 for a missing or unknown token); `require(...roles)` is a
 * `onRequest` hook that also answers 403 when the caller's role is not among `roles`.
 */
export function bearerRoles<R extends string, O extends { name: string; role: R }>(tokens: ReadonlyMap<string, O>) {
  const known = [...tokens].map(([token, operator]) => ({ token: Buffer.from(token), operator }));
  const operatorOf = (request: Headers): O => {
    const given = bearer(request);
    // Every token is compared, so the time taken does not tell which one nearly matched.
    let found: O | undefined;
    for (const k of known) if (same(given, k.token)) found = k.operator;
    if (given.length === 0 || found === undefined) throw unauthorized();
    return found;
  };
  return {
    operatorOf,
    require(...roles: R[]) {
      return async (request: Headers): Promise<void> => {
        const { role } = operatorOf(request);
        if (!roles.includes(role)) throw new HttpError(403, ErrorCode.Forbidden, `the ${role} role may not do this (needs ${roles.join(' or ')})`);
      };
    },
  };
}
