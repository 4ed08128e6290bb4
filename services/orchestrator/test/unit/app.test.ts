import { loadConfig, type ServiceApp } from '@search-mesh/service-kit';
import { buildApp } from '../../src/app';
import { settings } from '../../src/config';

// No backend is reached: every request here is refused before any I/O (bad input, rate limit, docs).
const env = { SEARCH_MESH_ORCHESTRATOR_LOG_LEVEL: 'silent', ES_URL: 'http://127.0.0.1:9', SEARCH_MESH_ORCHESTRATOR_RATE_LIMIT_MAX: '1000' };

async function app(extra: Record<string, string> = {}): Promise<ServiceApp> {
  return buildApp(loadConfig('orchestrator', settings, { ...env, ...extra }));
}

describe('orchestrator HTTP edge', () => {
  let orchestrator: ServiceApp;
  beforeAll(async () => {
    orchestrator = await app();
  });
  afterAll(async () => orchestrator.close());

  const get = async (url: string) => {
    const res = await orchestrator.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() as { error: { code: string; message: string; field?: string } } };
  };

  it.each([
    ['unknown sort', '/v1/search?q=tv&sort=cheapest', 'querystring.sort'],
    ['page beyond the limit', '/v1/search?q=tv&page=50&size=24', 'querystring.page'],
    ['page above the schema maximum', '/v1/search?q=tv&page=5000', 'querystring.page'],
    ['size 10000', '/v1/search?q=tv&size=10000', 'querystring.size'],
    ['size 0', '/v1/search?q=tv&size=0', 'querystring.size'],
    ['page not a number', '/v1/search?q=tv&page=two', 'querystring.page'],
    ['malformed filter', '/v1/search?q=tv&filter=brand', 'querystring.filter'],
    ['unknown filter field', '/v1/search?q=tv&filter=colour:red', 'querystring.filter'],
    ['inverted range', '/v1/search?q=tv&filter=price:500..100', 'querystring.filter'],
    ['10 KB query', `/v1/search?q=${'a'.repeat(10_240)}`, 'querystring.q'],
    ['control characters', '/v1/search?q=tv%00', 'querystring.q'],
    ['too deep a category', `/v1/search?category=${encodeURIComponent('1 > 2 > 3 > 4 > 5 > 6 > 7')}`, 'querystring.category'],
    ['unknown parameter', '/v1/search?q=tv&colour=red', 'querystring.colour'],
    ['debug not a boolean', '/v1/search?q=tv&debug=maybe', 'querystring.debug'],
    ['suggest without q', '/v1/suggest', 'querystring.q'],
    ['suggest with a blank q', '/v1/suggest?q=%20%20', 'querystring.q'],
    ['suggest size 100', '/v1/suggest?q=tv&size=100', 'querystring.size'],
  ])('%s → 400 naming the parameter', async (_why, url, field) => {
    const res = await get(url);
    expect(res.status).toBe(400);
    expect(res.body.error).toEqual(expect.objectContaining({ code: 'BAD_REQUEST', field }));
    expect(res.body.error.message.length).toBeGreaterThan(5);
  });

  it('serves the OpenAPI document with both routes and their parameters', async () => {
    const res = await orchestrator.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, { get: { parameters: Array<{ name: string }>; responses: Record<string, unknown> } }> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.paths['/v1/search']!.get.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['q', 'category', 'filter', 'sort', 'page', 'size', 'debug']));
    expect(Object.keys(doc.paths['/v1/search']!.get.responses)).toEqual(expect.arrayContaining(['200', '400', '429', '503']));
    expect(doc.paths['/v1/suggest']).toBeDefined();
    const ui = await orchestrator.inject({ method: 'GET', url: '/docs' });
    expect(ui.statusCode).toBeLessThan(400);
  });
});

describe('per-client rate limits', () => {
  it('answers 429 in the error shape past the limit, per client', async () => {
    const limited = await app({ SEARCH_MESH_ORCHESTRATOR_RATE_LIMIT_MAX: '3', SEARCH_MESH_ORCHESTRATOR_RATE_LIMIT_WINDOW_MS: '60000' });
    try {
      const send = (client: string) => limited.inject({ method: 'GET', url: '/v1/search?q=tv&size=0', headers: { 'x-client-id': client } });
      for (let i = 0; i < 3; i++) expect((await send('shop-a')).statusCode).toBe(400);
      const refused = await send('shop-a');
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toEqual({ error: { code: 'TOO_MANY_REQUESTS', message: expect.stringContaining('more than 3 requests') } });
      expect(refused.headers['retry-after']).toBeDefined();
      expect((await send('shop-b')).statusCode).toBe(400);
      // Probes are never limited.
      for (let i = 0; i < 5; i++) expect((await limited.inject({ method: 'GET', url: '/healthz', headers: { 'x-client-id': 'shop-a' } })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('refuses budget shares that add up to more than the budget', async () => {
    await expect(app({ SEARCH_MESH_ORCHESTRATOR_BUDGET_UNDERSTAND_SHARE: '0.9' })).rejects.toThrow(/more than the whole budget/);
  });
});
