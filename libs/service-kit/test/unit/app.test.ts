import { Type } from '@sinclair/typebox';
import { createServiceApp, HttpError, kitSettings, loadConfig, type ServiceApp } from '../../src';

async function buildTestApp(): Promise<ServiceApp> {
  const config = loadConfig('test', kitSettings(0), { SEARCH_MESH_TEST_LOG_LEVEL: 'silent' });
  const app = await createServiceApp({ name: 'test', config });
  app.get(
    '/items',
    { schema: { querystring: Type.Object({ size: Type.Integer({ minimum: 1, maximum: 100 }) }) } },
    async (request) => ({ size: request.query.size, budget: Math.round(request.deadline.remaining()) }),
  );
  app.post('/items', { schema: { body: Type.Object({ name: Type.String() }, { additionalProperties: false }) } }, async () => ({ ok: true }));
  app.get('/conflict', async () => {
    throw HttpError.conflict('version 3 is stale, current is 4', 'version');
  });
  app.get('/boom', async () => {
    throw new Error('secret internals');
  });
  return app;
}

describe('service app', () => {
  let app: ServiceApp;
  beforeEach(async () => {
    app = await buildTestApp();
  });
  afterEach(async () => {
    await app.close();
  });

  it('answers every error in one JSON shape naming the field', async () => {
    const bad = await app.inject({ method: 'GET', url: '/items?size=0' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('size'), field: 'querystring.size' } });

    const missing = await app.inject({ method: 'POST', url: '/items', payload: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.field).toBe('body.name');

    const notJson = await app.inject({ method: 'POST', url: '/items', headers: { 'content-type': 'application/json' }, payload: '{nope' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('BAD_REQUEST');

    const conflict = await app.inject({ method: 'GET', url: '/conflict' });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json()).toEqual({ error: { code: 'CONFLICT', message: 'version 3 is stale, current is 4', field: 'version' } });

    const notFound = await app.inject({ method: 'GET', url: '/nowhere?x=1' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route GET /nowhere' } });
  });

  it('never leaks internals in a 500', async () => {
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
  });

  it('echoes the caller\'s request id and makes one when absent', async () => {
    const given = await app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBeUndefined(); // ids travel in logs and downstream calls, not back
    const res = await app.inject({ method: 'GET', url: '/items?size=1' });
    expect(res.statusCode).toBe(200);
  });

  it('takes the deadline from the budget header, rejects a malformed or spent (0) one with 400', async () => {
    const withBudget = await app.inject({ method: 'GET', url: '/items?size=1', headers: { 'x-request-budget-ms': '80' } });
    expect(withBudget.json().budget).toBeLessThanOrEqual(80);
    expect(withBudget.json().budget).toBeGreaterThan(40);

    const defaultBudget = await app.inject({ method: 'GET', url: '/items?size=1' });
    expect(defaultBudget.json().budget).toBeGreaterThan(900);

    const malformed = await app.inject({ method: 'GET', url: '/items?size=1', headers: { 'x-request-budget-ms': 'soon' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.field).toBe('headers.x-request-budget-ms');

    // No caller in the mesh sends 0 (mesh-client fails a call with no time left itself): a client's mistake.
    const spent = await app.inject({ method: 'GET', url: '/items?size=1', headers: { 'x-request-budget-ms': '0' } });
    expect(spent.statusCode).toBe(400);
    expect(spent.json().error.field).toBe('headers.x-request-budget-ms');
  });

  it('reports readiness per dependency: 503 naming the one that is down or too slow', async () => {
    app.readiness.add('fine', async () => undefined);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

    app.readiness.add('database', async () => {
      throw new Error('connection refused');
    });
    app.readiness.add('slow', () => new Promise(() => undefined));
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const checks = res.json().checks as Array<{ name: string; ok: boolean; error?: string }>;
    expect(checks.find((c) => c.name === 'database')).toMatchObject({ ok: false, error: 'connection refused' });
    expect(checks.find((c) => c.name === 'slow')).toMatchObject({ ok: false, error: expect.stringMatching(/no answer within/) });
    expect(checks.find((c) => c.name === 'fine')).toMatchObject({ ok: true });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('turns not ready as soon as shutdown begins', async () => {
    app.readiness.beginShutdown();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().status).toBe('shutting_down');
  });

  it('exposes RED metrics per route and Node runtime metrics', async () => {
    await app.inject({ method: 'GET', url: '/items?size=2' });
    await app.inject({ method: 'GET', url: '/boom' });
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/http_server_request_duration_seconds_count\{service="test",method="GET",route="\/items",status_code="200"\} 1/);
    expect(res.body).toMatch(/http_server_request_duration_seconds_count\{service="test",method="GET",route="\/boom",status_code="500"\} 1/);
    expect(res.body).toMatch(/nodejs_eventloop_lag_seconds/);
    expect(res.body).toMatch(/nodejs_heap_size_used_bytes/);
  });
});

describe('load shedding', () => {
  it('answers 503 OVERLOADED with Retry-After past a threshold, but keeps probes and metrics answering', async () => {
    const config = loadConfig('test', kitSettings(0), { SEARCH_MESH_TEST_LOG_LEVEL: 'silent', SEARCH_MESH_TEST_MAX_HEAP_USED_BYTES: '1' });
    const app = await createServiceApp({ name: 'test', config });
    app.get('/work', async () => ({ ok: true }));
    await app.ready();
    try {
      // The heap is sampled once a second; any heap is above 1 byte.
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const shed = await app.inject({ method: 'GET', url: '/work' });
      expect(shed.statusCode).toBe(503);
      expect(shed.headers['retry-after']).toBe('1');
      expect(shed.json()).toEqual({ error: { code: 'OVERLOADED', message: 'service is overloaded, retry later' } });
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
