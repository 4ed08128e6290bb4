import { indexCatalog, type IndexedCatalog, testNamespace } from '../../services/orchestrator/test/support/catalog-index';
import { runHostile } from '../reliability/lib/hostile-run';
import { startWholeMesh, type WholeMesh } from '../reliability/lib/mesh';

/**
 * The bad-input suite's fast subset (`npm run test:hostile` sends ≥ 10,000): every service as a real process,
 * ~900 generated hostile requests over every route they list. No 5xx, no request left unanswered, no
 * crash, no admin write without the token, admin state unchanged.
 */
let catalog: IndexedCatalog;
let mesh: WholeMesh;

beforeAll(async () => {
  const namespace = testNamespace();
  catalog = await indexCatalog(1000, namespace);
  mesh = await startWholeMesh({ namespace, adminToken: 'hostile-subset-token', catalogSize: 1000, env: { SEARCH_MESH_ORCHESTRATOR_REQUEST_BUDGET_MS: '2000' } });
}, 180_000);

afterAll(async () => {
  await mesh?.stop();
  await catalog?.drop();
});

it('survives hostile input on every endpoint of every service', async () => {
  const result = await runHostile(mesh, { total: 900, seed: 7, concurrency: 4 });
  expect(result.endpoints.length).toBeGreaterThan(20);
  expect(result.endpoints.filter((e) => e.admin).map((e) => `${e.method} ${e.url}`)).toEqual(expect.arrayContaining(['POST /v1/rules', 'GET /v1/blocklist', 'PUT /v1/admin/suggest-blocklist/:id']));
  expect({ serverErrors: result.serverErrors, unanswered: result.unanswered, failures: result.failures.slice(0, 5) }).toEqual({ serverErrors: 0, unanswered: 0, failures: [] });
  expect(result.crashed).toEqual([]);
  expect(result.unauthenticatedWrites).toEqual([]);
  expect(result.adminRoutesOpen).toEqual([]);
  expect(result.adminStateChanged).toEqual([]);
  expect(result.requests).toBeGreaterThanOrEqual(900);
}, 180_000);
