/**
 * Hostile HTTP inputs, generated from a seed (the same seed gives the same inputs): random bytes, huge and
 * deeply nested bodies, invalid UTF-8, query-syntax injection, header abuse (huge or forged deadline,
 * traceparent, request id, content headers), missing and forged tokens, odd methods and paths. Pure: no I/O.
 */

export interface HostileRequest {
  /** Which generator made it (the report counts by kind). */
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** Sent as raw bytes on a socket (for what an HTTP client refuses to send). */
  raw?: Buffer;
  /** Carries the valid admin token (so a 2xx on an admin route is allowed). */
  authorised: boolean;
}

/** mulberry32: small, seeded, good enough to vary inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
/** Percent-encodes the UTF-8 bytes of `text` (a lone surrogate becomes U+FFFD's bytes, like a browser sends it). */
const pct = (text: string) => [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
const pick = <T>(r: Rand, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const bytes = (r: Rand, n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));

/** Strings a search box or a JSON field should survive. */
const NASTY_STRINGS = [
  '', ' ', '\t\n', 'a'.repeat(10_000), '*', '?', '~', '"', '\\', '\\\\"', '(', ')', '[', ']', '{', '}', ':', '/', '!',
  'tv AND (samsung OR', 'title:"x" OR _exists_:price', 'price:[0 TO *]', '/.*/', 'a~2', '"unterminated', '\\u0000',
  '{"query":{"match_all":{}}}', '"}},"size":10000,"x":{"', '<script>alert(1)</script>', "' OR 1=1 --", '${jndi:ldap://x}',
  '%00', '\u0000', '\u0007bell', '\u202eevil', '\u200b\u200b', '🙂🙃🙂', 'ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ', '\ud800', '\udfff', 'e\u0301\u0301\u0301\u0301',
  'Ω'.repeat(600), '__proto__', 'constructor', 'toString', 'NaN', 'Infinity', '-1', '1e309', '0x10', 'null', 'true',
];

const NASTY_NUMBERS = ['-1', '0', '1e309', '-1e309', 'NaN', '9007199254740993', '99999999999999999999', '1.5', '0x1f', '', ' 1', '1,2', '١٢'];

/** Percent-encoded bytes that are not valid UTF-8, or are overlong / truncated forms. */
const BAD_ENCODINGS = ['%', '%z', '%zz', '%ff', '%ff%fe', '%c0%af', '%ed%a0%80', '%e2%82', '%f8%88%80%80%80', '%00', '%25%', '+%2B%', '%uD800'];

function nastyString(r: Rand): string {
  const base = pick(r, NASTY_STRINGS);
  return r() < 0.3 ? base + pick(r, NASTY_STRINGS) : base;
}

function deepJson(r: Rand): string {
  const depth = pick(r, [100, 1_000, 10_000, 50_000]);
  return r() < 0.5 ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** A JSON value of random shape, with the nasty strings and numbers at its leaves. */
function randomJson(r: Rand, depth = 0): unknown {
  const roll = r();
  if (depth > 3 || roll < 0.35) return pick(r, [nastyString(r), Number(pick(r, NASTY_NUMBERS)) || 0, null, true, -0, 1e308]);
  if (roll < 0.6) return Array.from({ length: int(r, 0, 4) }, () => randomJson(r, depth + 1));
  const obj: Record<string, unknown> = {};
  for (let i = int(r, 0, 4); i > 0; i--) obj[pick(r, ['query', 'q', 'phrases', 'rules', 'version', 'size', 'filters', 'candidates', '__proto__', 'constructor', nastyString(r).slice(0, 20)])] = randomJson(r, depth + 1);
  return obj;
}

/** Fills `:param` segments of a route with hostile values. */
function fillPath(r: Rand, url: string): string {
  return url.replace(/:[^/]+/g, () => pct(nastyString(r).slice(0, 200)) || 'x').replace(/\*/g, () => pick(r, ['x', '..%2f..%2fetc%2fpasswd', '%00']));
}

const QUERY_KEYS = ['q', 'size', 'page', 'limit', 'category', 'filter', 'sort', 'debug', 'spellcheck', 'topCategories', 'x', '__proto__', 'constructor'];

function hostileQueryString(r: Rand): string {
  const parts: string[] = [];
  for (let i = int(r, 1, 5); i > 0; i--) {
    const key = pick(r, QUERY_KEYS);
    const roll = r();
    let value: string;
    if (roll < 0.3) value = pick(r, BAD_ENCODINGS);
    else if (roll < 0.5) value = pick(r, NASTY_NUMBERS);
    else if (roll < 0.6) value = 'a'.repeat(pick(r, [200, 2_000, 7_000]));
    else if (roll < 0.7) value = pct(`brand:${nastyString(r).slice(0, 50)}`) + '|' + pick(r, BAD_ENCODINGS);
    else value = pct(nastyString(r).slice(0, 500));
    parts.push(r() < 0.1 ? `${key}[]=${value}` : `${key}=${value}`);
  }
  return parts.join('&');
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-16', 'text/plain', 'application/octet-stream', 'multipart/form-data; boundary=x', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', '', 'application/jsonx', 'Application/JSON'];

/**
 * Authorization values that do not carry the token. Not here: the token with spaces before or after it,
 * which the HTTP parser trims from a field value (RFC 9110 §5.5): that is the token itself.
 */
const FORGED_AUTH = (token: string) => [
  '', 'Bearer', 'Bearer ', 'Bearer x', `Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, `bearer ${token}`, `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`,
  `Bearer ${'A'.repeat(8000)}`, `Bearer  ${token}`, `Bearer\t${token}`, 'Bearer null', 'Bearer undefined', `Bearer ${token.toUpperCase()}`,
];

const FORGED_BUDGETS = ['-1', '0', '1e309', 'NaN', 'Infinity', '99999999999999', '1.5', '', ' ', '1,2', '0x10', 'a'.repeat(5000), '10;drop', '٣٠٠'];
const FORGED_TRACEPARENTS = [
  '00-00000000000000000000000000000000-0000000000000000-01', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-zz-yy-01', '',
  `00-${'a'.repeat(5000)}-00f067aa0ba902b7-01`, '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-ff-extra', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-',
];

export interface Endpoint {
  service: string;
  method: string;
  url: string;
  /** Answers 401/403 without the token: writes need the token. */
  admin: boolean;
}

/** `count` hostile requests for one endpoint. */
export function hostileRequests(endpoint: Endpoint, token: string, count: number, seed: number): HostileRequest[] {
  const r = rng(seed);
  const out: HostileRequest[] = [];
  const methods = [endpoint.method, endpoint.method, endpoint.method, 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
  for (let i = 0; i < count; i++) {
    const method = r() < 0.85 ? endpoint.method : pick(r, methods);
    const withBody = method !== 'GET' && method !== 'HEAD';
    const authorised = endpoint.admin && r() < 0.15;
    const headers: Record<string, string> = {};
    if (authorised) headers.authorization = `Bearer ${token}`;
    else if (r() < 0.5) headers.authorization = pick(r, FORGED_AUTH(token));
    if (headers.authorization === '') delete headers.authorization;
    let path = fillPath(r, endpoint.url);
    let body: Buffer | string | undefined;
    let raw: Buffer | undefined;
    const kindRoll = r();
    let kind: string;
    if (kindRoll < 0.12) {
      kind = 'random-bytes-body';
      body = bytes(r, pick(r, [1, 16, 1024, 64 * 1024]));
      headers['content-type'] = pick(r, CONTENT_TYPES);
    } else if (kindRoll < 0.2) {
      kind = 'deeply-nested-json';
      body = deepJson(r);
      headers['content-type'] = 'application/json';
    } else if (kindRoll < 0.22) {
      kind = 'huge-body';
      body = `{"query":"${'x'.repeat(pick(r, [900_000, 1_100_000, 2_000_000]))}"}`;
      headers['content-type'] = 'application/json';
    } else if (kindRoll < 0.35) {
      kind = 'invalid-utf8-body';
      const text = JSON.stringify(randomJson(r));
      body = Buffer.concat([Buffer.from(text.slice(0, Math.floor(text.length / 2))), bytes(r, int(r, 1, 8)).map((b) => b | 0x80), Buffer.from(text.slice(Math.floor(text.length / 2)))]);
      headers['content-type'] = 'application/json';
    } else if (kindRoll < 0.55) {
      kind = 'hostile-json-values';
      body = JSON.stringify(randomJson(r));
      headers['content-type'] = pick(r, ['application/json', 'application/json', 'application/json; charset=utf-8', 'text/plain']);
    } else if (kindRoll < 0.72) {
      kind = 'hostile-query-string';
      path = `${path}?${hostileQueryString(r)}`;
    } else if (kindRoll < 0.82) {
      kind = 'header-abuse';
      headers['x-request-budget-ms'] = pick(r, FORGED_BUDGETS);
      headers.traceparent = pick(r, FORGED_TRACEPARENTS);
      if (r() < 0.5) headers['x-request-id'] = pick(r, ['', 'a'.repeat(8000), nastyString(r).replace(/[^\x20-\x7e]/g, '?')]);
      if (r() < 0.3) headers['x-client-id'] = 'c'.repeat(pick(r, [1, 129, 4000]));
      if (r() < 0.3) headers['accept-encoding'] = pick(r, ['gzip;q=2', 'br, *;q=-1', 'x'.repeat(3000)]);
      if (withBody) {
        body = JSON.stringify(randomJson(r));
        headers['content-type'] = 'application/json';
      }
    } else if (kindRoll < 0.9) {
      kind = 'hostile-path';
      path = pick(r, [
        `${path}/`, `${path}//`, `/${path}`, `${path}/..`, `${path}%2f..%2f`, `${path};x=1`, `${path}%00`, `${path}/${'a'.repeat(3000)}`,
        path.toUpperCase(), `${path}?${'&'.repeat(2000)}`, `${path}#frag`, `${path}?q=${pick(r, BAD_ENCODINGS)}`,
      ]);
    } else {
      kind = 'raw-socket';
      raw = rawRequest(r, method, path);
    }
    out.push({ kind, method, path, headers, ...(body !== undefined && withBody ? { body } : {}), ...(raw ? { raw } : {}), authorised });
  }
  return out;
}

/** What an HTTP client would not send: broken request lines, bare LFs, bad lengths, invalid bytes, huge headers. */
function rawRequest(r: Rand, method: string, path: string): Buffer {
  const roll = r();
  if (roll < 0.15) return bytes(r, int(r, 1, 2048));
  if (roll < 0.3) return Buffer.concat([Buffer.from(`${method} ${path}`), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]);
  if (roll < 0.4) return Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nContent-Type: application/json\r\n\r\n{"query":`);
  if (roll < 0.5) return Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n`);
  if (roll < 0.6) return Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\nzz\r\n`);
  if (roll < 0.7) return Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(70_000)}\r\n\r\n`);
  if (roll < 0.8) return Buffer.from(`${method} ${path} HTTP/1.1\nHost: x\nx-request-budget-ms: 5\r\nbroken header line\r\n\r\n`);
  if (roll < 0.9) return Buffer.from(`${method} ${path}\r\n\r\n`);
  return Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: x\r\nx-request-id: a\r\n evil-folded: yes\r\nAuthorization: Bearer \u0000\r\n\r\n`, 'latin1');
}
