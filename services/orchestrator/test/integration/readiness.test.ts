import { freePort } from '@search-mesh/testing';
import { loadConfig } from '@search-mesh/service-kit';
import { buildApp } from '../../src/app';
import { settings } from '../../src/config';

async function readiness(env: NodeJS.ProcessEnv) {
  const app = await buildApp(loadConfig('orchestrator', settings, { ...env, SEARCH_MESH_ORCHESTRATOR_LOG_LEVEL: 'silent' }));
  try {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    return { status: res.statusCode, body: res.json() as { checks: Array<{ name: string; ok: boolean }> } };
  } finally {
    await app.close();
  }
}

describe('orchestrator readiness', () => {
  it('is ready when Elasticsearch answers', async () => {
    const res = await readiness({ ES_URL: process.env.ES_URL });
    expect(res.status).toBe(200);
    expect(res.body.checks).toEqual([expect.objectContaining({ name: 'elasticsearch', ok: true })]);
  });

  it('answers 503 naming Elasticsearch when it is down', async () => {
    const res = await readiness({ ES_URL: `http://127.0.0.1:${await freePort()}` });
    expect(res.status).toBe(503);
    expect(res.body.checks).toEqual([expect.objectContaining({ name: 'elasticsearch', ok: false })]);
  });
});
