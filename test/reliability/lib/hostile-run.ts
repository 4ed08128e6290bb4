import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Client, Pool } from 'undici';
import { type Endpoint, type HostileRequest, hostileRequests } from './hostile-inputs';
import type { WholeMesh } from './mesh';

/** Admin routes the services are known to have; each must refuse a request without the token. */
export const KNOWN_ADMIN_ROUTES = ['GET /v1/rules', 'POST /v1/rules', 'GET /v1/blocklist', 'PUT /v1/admin/suggest-blocklist/:id'];
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface HostileFailure {
  service: string;
  kind: string;
  method: string;
  path: string;
  status: number | string;
  body: string;
}

export interface HostileResult {
  suite: 'hostile';
  at: string;
  seed: number;
  requests: number;
  durationS: number;
  endpoints: Array<Endpoint & { requests: number }>;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  byService: Record<string, Record<string, number>>;
  serverErrors: number;
  /**
   * 504 DEADLINE_EXCEEDED to a request that said `x-request-budget-ms: 0` (its caller's deadline has passed):
   * the mesh's documented answer, counted apart from the 5xx.
   */
  spentDeadline504: number;
  /** A request the server never answered (a raw request with a missing body is expected to wait: not counted). */
  unanswered: number;
  /** Connections the server closed without an answer (its HTTP parser refusing a request is fine). */
  connectionClosed: number;
  crashed: string[];
  unauthenticatedWrites: HostileFailure[];
  adminRoutesOpen: string[];
  adminStateChanged: string[];
  failures: HostileFailure[];
  passed: boolean;
}

const snippet = (text: string) => text.slice(0, 300);
const ANSWER_TIMEOUT_MS = 10_000;

/** A raw request on its own socket; the status line of the answer, or why there was none. */
function sendRaw(url: string, raw: Buffer): Promise<{ status: number | 'closed' | 'no-answer'; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let data = '';
    const done = (status: number | 'closed' | 'no-answer') => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ status, body: snippet(data) });
    };
    // The server may rightly wait for a body it was promised: give up after 2 s (counted as no answer).
    const timer = setTimeout(() => done('no-answer'), 2000);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      if (match && data.includes('\r\n\r\n')) done(Number(match[1]));
    });
    socket.on('close', () => done(/^HTTP\/1\.[01] (\d{3})/.exec(data) ? Number(/^HTTP\/1\.[01] (\d{3})/.exec(data)![1]) : 'closed'));
    socket.write(raw, () => undefined);
  });
}

/** Sends one request; whatever happens, settles within ANSWER_TIMEOUT_MS + 5 s ('no-answer' when it did not). */
async function send(url: string, req: HostileRequest): Promise<{ status: number | 'closed' | 'no-answer'; body: string }> {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<{ status: 'no-answer'; body: string }>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'no-answer', body: 'the client gave up (watchdog)' }), ANSWER_TIMEOUT_MS + 5000);
  });
  try {
    return await Promise.race([sendOnce(url, req), watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

/** Each hostile request on a connection of its own: one that poisons a connection cannot stall the others. */
async function sendOnce(url: string, req: HostileRequest): Promise<{ status: number | 'closed' | 'no-answer'; body: string }> {
  if (req.raw) return sendRaw(url, req.raw);
  const client = new Client(url);
  try {
    const res = await client.request({
      method: req.method,
      path: req.path,
      headers: req.headers,
      body: req.body,
      headersTimeout: ANSWER_TIMEOUT_MS,
      bodyTimeout: ANSWER_TIMEOUT_MS,
      // Also bounds sending the body (a server that answered early may stop reading it).
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    const body = req.method === 'HEAD' ? '' : await res.body.text();
    return { status: res.statusCode, body: snippet(body) };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || (err as Error).name === 'TimeoutError') return { status: 'no-answer', body: `${code} ${(err as Error).message}` };
    // The server answered early (e.g. 413 before reading a huge body) and closed while we were still writing.
    return { status: 'closed', body: `${code} ${(err as Error).message}` };
  } finally {
    void client.destroy().catch(() => undefined);
  }
}

/** Classifies each route: admin when a request without the token is refused with 401/403. */
async function endpointsOf(mesh: WholeMesh): Promise<Endpoint[]> {
  const endpoints: Endpoint[] = [];
  for (const service of mesh.services.values()) {
    const pool = new Pool(service.url, { connections: 1 });
    for (const route of service.routes) {
      if (route.method === 'HEAD') continue; // Fastify's automatic HEAD of a GET route: fuzzed through the GET's methods
      const hasBody = WRITE_METHODS.has(route.method);
      // A service that just started may still shed load (503 while its event loop is busy loading models).
      let status = 503;
      for (let attempt = 0; status === 503 && attempt < 50; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        const res = await pool.request({ method: route.method, path: route.url.replace(/:[^/]+/g, 'x'), ...(hasBody ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}) });
        await res.body.dump();
        status = res.statusCode;
      }
      endpoints.push({ service: service.name, method: route.method, url: route.url, admin: status === 401 || status === 403 });
    }
    await pool.close();
  }
  // Validation runs before the token check, so a write probed with an empty body may answer 400: a route
  // whose URL is admin under another method is admin too.
  const adminUrls = new Set(endpoints.filter((e) => e.admin).map((e) => `${e.service} ${e.url}`));
  for (const e of endpoints) if (adminUrls.has(`${e.service} ${e.url}`)) e.admin = true;
  return endpoints;
}

/** What an admin GET route answers with the token: its state, compared before and after the suite. */
async function adminState(mesh: WholeMesh, endpoints: readonly Endpoint[]): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  for (const e of endpoints.filter((x) => x.admin && x.method === 'GET' && !x.url.includes(':'))) {
    const pool = new Pool(mesh.services.get(e.service)!.url, { connections: 1 });
    const res = await pool.request({ method: 'GET', path: e.url, headers: { authorization: `Bearer ${mesh.adminToken}` } });
    state.set(`${e.service} ${e.url}`, `${res.statusCode} ${await res.body.text()}`);
    await pool.close();
  }
  return state;
}

async function healthy(mesh: WholeMesh): Promise<string[]> {
  const down: string[] = [...mesh.exited()];
  for (const service of mesh.services.values()) {
    try {
      const pool = new Pool(service.url, { connections: 1 });
      const res = await pool.request({ method: 'GET', path: '/healthz', headersTimeout: 5000 });
      await res.body.dump();
      await pool.close();
      if (res.statusCode !== 200 && !down.includes(service.name)) down.push(service.name);
    } catch {
      if (!down.includes(service.name)) down.push(service.name);
    }
  }
  return down;
}

/**
 * Sends `total` hostile requests spread over every endpoint of every service (`concurrency` at a time per
 * service), checking between rounds that every process is alive and healthy. Passes when no answer is a
 * 5xx, nothing crashed, and no admin write succeeded without the token.
 */
export async function runHostile(mesh: WholeMesh, options: { total: number; seed: number; concurrency: number; log?: (line: string) => void }): Promise<HostileResult> {
  const log = options.log ?? (() => undefined);
  const began = performance.now();
  const endpoints = await endpointsOf(mesh);
  const present = new Set(endpoints.map((e) => `${e.method} ${e.url}`));
  const adminRoutesOpen = KNOWN_ADMIN_ROUTES.filter((r) => present.has(r) && !endpoints.some((e) => `${e.method} ${e.url}` === r && e.admin));
  const before = await adminState(mesh, endpoints);
  const perEndpoint = Math.ceil(options.total / endpoints.length);
  log(`${endpoints.length} endpoints on ${mesh.services.size} services, ${perEndpoint} inputs each; admin: ${endpoints.filter((e) => e.admin).map((e) => `${e.service} ${e.method} ${e.url}`).join(", ")}`);

  const result: HostileResult = {
    suite: 'hostile',
    at: new Date().toISOString(),
    seed: options.seed,
    requests: 0,
    durationS: 0,
    endpoints: endpoints.map((e) => ({ ...e, requests: perEndpoint })),
    byKind: {},
    byStatus: {},
    byService: {},
    serverErrors: 0,
    spentDeadline504: 0,
    unanswered: 0,
    connectionClosed: 0,
    crashed: [],
    unauthenticatedWrites: [],
    adminRoutesOpen,
    adminStateChanged: [],
    failures: [],
    passed: false,
  };
  // Routes an authorised hostile write changed (legitimately): their state is not compared.
  const changedWithToken = new Set<string>();

  for (const [index, endpoint] of endpoints.entries()) {
    const service = mesh.services.get(endpoint.service)!;
    const requests = hostileRequests(endpoint, mesh.adminToken, perEndpoint, options.seed * 1000 + index);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const req = requests[next++]!;
        const sentAt = performance.now();
        const { status, body } = await send(service.url, req);
        const ms = performance.now() - sentAt;
        if (ms > 2500 && !req.raw) log(`slow answer (${Math.round(ms)} ms, ${status}): ${endpoint.service} ${req.kind} ${req.method} ${req.path.slice(0, 100)} ${JSON.stringify(req.headers).slice(0, 200)}`);
        result.requests++;
        result.byKind[req.kind] = (result.byKind[req.kind] ?? 0) + 1;
        result.byStatus[String(status)] = (result.byStatus[String(status)] ?? 0) + 1;
        const perService = (result.byService[endpoint.service] ??= {});
        perService[String(status)] = (perService[String(status)] ?? 0) + 1;
        const failure = { service: endpoint.service, kind: req.kind, method: req.method, path: snippet(req.path), status, body };
        if (status === 504 && req.headers['x-request-budget-ms'] === '0' && (body.includes('DEADLINE_EXCEEDED') || req.method === 'HEAD')) result.spentDeadline504++;
        else if (typeof status === 'number' && status >= 500) {
          result.serverErrors++;
          if (result.serverErrors <= 10) log(`5xx: ${endpoint.service} ${req.kind} ${req.method} ${req.path.slice(0, 100)} ${JSON.stringify(req.headers).slice(0, 300)} → ${status} ${body.slice(0, 200)}`);
          if (result.failures.length < 50) result.failures.push(failure);
        }
        if (status === 'no-answer' && !req.raw) {
          result.unanswered++;
          if (result.failures.length < 50) result.failures.push(failure);
        }
        if (status === 'closed') result.connectionClosed++;
        if (endpoint.admin && WRITE_METHODS.has(req.method) && typeof status === 'number' && status >= 200 && status < 300) {
          if (!req.authorised) result.unauthenticatedWrites.push(failure);
          // A service's admin routes share its state (ranking's shadow shows in its model list): any
          // write with the token may change what any of its admin reads answer.
          else changedWithToken.add(endpoint.service);
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const down = await healthy(mesh);
    if (down.length > 0) {
      log(`after ${endpoint.service} ${endpoint.method} ${endpoint.url}: down: ${down.join(', ')}`);
      for (const name of down) if (!result.crashed.includes(name)) result.crashed.push(name);
    }
    log(`${endpoint.service} ${endpoint.method} ${endpoint.url}: ${result.requests} sent, ${result.serverErrors} 5xx so far`);
  }
  const after = await adminState(mesh, endpoints);
  result.adminStateChanged = [...before].filter(([key, value]) => !changedWithToken.has(key.split(' ')[0]!) && after.get(key) !== value).map(([key]) => key);
  result.durationS = Math.round((performance.now() - began) / 100) / 10;
  result.passed =
    result.serverErrors === 0 && result.unanswered === 0 && result.crashed.length === 0 && result.unauthenticatedWrites.length === 0 && result.adminRoutesOpen.length === 0 && result.adminStateChanged.length === 0;
  return result;
}
