import { freePort, waitFor } from '@search-mesh/testing';
import { loadConfig } from '@search-mesh/service-kit';
import { buildApp } from '../../src/app';
import { settings } from '../../src/config';

type Checks = Array<{ name: string; ok: boolean; error?: string }>;

async function withApp<T>(env: NodeJS.ProcessEnv, use: (app: Awaited<ReturnType<typeof buildApp>>) => Promise<T>): Promise<T> {
  const app = await buildApp(loadConfig('orchestrator', settings, { ...env, SEARCH_MESH_ORCHESTRATOR_LOG_LEVEL: 'silent' }));
  try {
    return await use(app);
  } finally {
    await app.close();
  }
}

async function readiness(app: Awaited<ReturnType<typeof buildApp>>) {
  const res = await app.inject({ method: 'GET', url: '/readyz' });
  return { status: res.statusCode, checks: (res.json() as { checks: Checks }).checks };
}

/** Searches the app has answered so far (any status), from its RED metrics. */
async function searchesServed(app: Awaited<ReturnType<typeof buildApp>>): Promise<number> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  return [...text.matchAll(/^http_server_request_duration_seconds_count\{[^}]*route="\/v1\/search"[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}

describe('orchestrator readiness', () => {
  it('is ready when Elasticsearch answers and its warm-up searches are done, not before', async () => {
    await withApp({ ES_URL: process.env.ES_URL, SEARCH_MESH_ORCHESTRATOR_WARMUP_SEARCHES: '12' }, async (app) => {
      const first = await readiness(app);
      expect(first.status).toBe(503);
      expect(first.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'warmup', ok: false, error: expect.stringMatching(/^warming up: \d+ of 12 searches sent/) })]));
      const ready = await waitFor('ready', async () => {
        const r = await readiness(app);
        return r.status === 200 ? r : undefined;
      }, 30_000, 50);
      expect(ready.checks).toEqual([expect.objectContaining({ name: 'elasticsearch', ok: true }), expect.objectContaining({ name: 'warmup', ok: true })]);
      expect(await searchesServed(app)).toBe(12);
    });
  });

  it('is ready at once with WARMUP_SEARCHES=0', async () => {
    await withApp({ ES_URL: process.env.ES_URL, SEARCH_MESH_ORCHESTRATOR_WARMUP_SEARCHES: '0' }, async (app) => {
      expect(await readiness(app)).toEqual({ status: 200, checks: [expect.objectContaining({ name: 'elasticsearch', ok: true }), expect.objectContaining({ name: 'warmup', ok: true })] });
      expect(await searchesServed(app)).toBe(0);
    });
  });

  it('answers 503 naming Elasticsearch when it is down', async () => {
    await withApp({ ES_URL: `http://127.0.0.1:${await freePort()}` }, async (app) => {
      const res = await readiness(app);
      expect(res.status).toBe(503);
      expect(res.checks).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'elasticsearch', ok: false })]));
    });
  });
});
