import { loadConfig } from '@search-mesh/service-kit';
import { buildApp } from '../../src/app';
import { settings } from '../../src/config';

describe('storefront app', () => {
  // Nothing listens on port 9: every call to the "orchestrator" fails to connect.
  const config = loadConfig('storefront', settings, { SEARCH_MESH_STOREFRONT_LOG_LEVEL: 'silent', SEARCH_MESH_STOREFRONT_ORCHESTRATOR_URL: 'http://127.0.0.1:9', SEARCH_MESH_STOREFRONT_RETRY_MAX_ATTEMPTS: '1' });

  it('serves the page, its script and its styles', async () => {
    const app = await buildApp(config);
    try {
      const page = await app.inject('/');
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('<script src="/app.js"');
      for (const file of ['/app.js', '/style.css']) expect((await app.inject(file)).statusCode).toBe(200);
      expect((await app.inject('/nope.js')).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('answers 503 in the error shape when the orchestrator cannot be reached, and exposes no other path', async () => {
    const app = await buildApp(config);
    try {
      const res = await app.inject('/v1/search?q=tv');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ error: { code: 'UNAVAILABLE', message: expect.stringContaining('unavailable') } });
      expect((await app.inject({ method: 'POST', url: '/v1/search' })).statusCode).toBe(404);
      expect((await app.inject('/v1/rules')).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
