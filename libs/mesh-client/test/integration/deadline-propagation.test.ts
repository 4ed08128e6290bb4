import { Type } from '@sinclair/typebox';
import { request } from 'undici';
import { createServiceApp, kitSettings, loadConfig, type ServiceApp } from '@search-mesh/service-kit';
import { meshClientPlugin, meshSettings, peerOptions } from '../../src';

/** A service-kit app that records the budget it was given and, if it has a next hop, calls it. */
async function hop(name: string, next: string | undefined, seen: Record<string, number>, workMs: number): Promise<ServiceApp> {
  const env = { [`SEARCH_MESH_${name.toUpperCase()}_LOG_LEVEL`]: 'silent' };
  const config = loadConfig(name, { ...kitSettings(0), ...meshSettings() }, env);
  const app = await createServiceApp({ name, config });
  if (next) await app.register(meshClientPlugin, { peers: [peerOptions(config, 'next', next)] });
  app.get('/work', { schema: { response: { 200: Type.Object({ ok: Type.Boolean() }) } } }, async (req) => {
    seen[name] = Number(req.headers['x-request-budget-ms']);
    await new Promise((resolve) => setTimeout(resolve, workMs));
    if (next) await app.mesh.peer('next').call({ method: 'GET', path: '/work', context: req });
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app;
}

describe('deadline propagation through service-kit and mesh-client', () => {
  it('reaches every downstream and shrinks hop by hop', async () => {
    const seen: Record<string, number> = {};
    const c = await hop('c', undefined, seen, 0);
    const b = await hop('b', `http://127.0.0.1:${(c.server.address() as { port: number }).port}`, seen, 10);
    const a = await hop('a', `http://127.0.0.1:${(b.server.address() as { port: number }).port}`, seen, 10);
    try {
      const res = await request(`http://127.0.0.1:${(a.server.address() as { port: number }).port}/work`, {
        headers: { 'x-request-budget-ms': '500' },
      });
      expect(res.statusCode).toBe(200);
      await res.body.dump();
      expect(seen.a).toBe(500);
      expect(seen.b).toBeLessThanOrEqual(490); // a spent ≥ 10 ms working first
      expect(seen.c).toBeLessThanOrEqual(seen.b! - 10);
      expect(seen.c).toBeGreaterThan(0);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
